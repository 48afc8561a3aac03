import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { labels, names } from './names';

/**
 * Label that opts a namespace into target-health readiness-gate injection (value `enabled`), the
 * key the chart's pod mutator selects namespaces by. Only namespaces with a load-balanced Service
 * carry it.
 */
export const READINESS_GATE_NAMESPACE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

/**
 * Pod label (value `enabled`) the pod mutator also requires: the pods of a Deployment behind a
 * TargetGroupBinding carry it, so any other pod of a labelled namespace (a Job, an Argo CD hook)
 * is never sent to the webhook and cannot be refused while the controller is down.
 */
export const READINESS_GATE_POD_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

/**
 * The annotation that makes cert-manager's CA injector write the serving CA into every webhook's
 * `clientConfig.caBundle`. No caBundle is rendered: a CA made at synth time would put a private
 * key in Git, and one rendered at all would be overwritten by the injector (Argo CD ignores the
 * injected field instead; see the component's delivery).
 */
const injectCa = { 'cert-manager.io/inject-ca-from': `${names.namespace}/${names.servingCertificate}` };

const clientConfig = (path: string): k8s.WebhookClientConfig => ({
  service: { name: names.webhookService, namespace: names.namespace, path, port: 443 },
});

/** Keeps the controller's own pods out of its webhooks, so it can always start. */
const notTheController: k8s.LabelSelector = {
  matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: [names.controller] }],
};

// v3 serves admission.k8s.io/v1 reviews, as the v3.5.0 chart declares (templates/webhook.yaml).
const common = { admissionReviewVersions: ['v1'], sideEffects: 'None', timeoutSeconds: 10 };

const targetGroupBindingRules: k8s.RuleWithOperations[] = [
  { apiGroups: ['elbv2.k8s.aws'], apiVersions: ['v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['targetgroupbindings'] },
];

/**
 * The controller's admission webhooks, for the features this platform uses only.
 *
 * Not registered:
 * - `mservice.elbv2.k8s.aws`, the Service mutator: it has no namespace selector and fails closed,
 *   so while the controller is not ready (for instance before a Fargate profile covers
 *   kube-system) every Service create in the cluster is refused, cert-manager's and the apps'
 *   included (aws-load-balancer-controller #4140, eks-charts #1058). It only sets
 *   `loadBalancerClass` on type=LoadBalancer Services, and we render none: the ALB is owned by
 *   infrastructure code and pods are bound to it with TargetGroupBindings.
 * - QUIC server-id injection, ALB target-control agent injection (namespace and object) and
 *   Global Accelerator validation: features we do not use (their gates are off, deployment.ts);
 *   each selects only namespaces or pods carrying its own opt-in label, which nothing here sets.
 */
export class ControllerWebhooks extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new k8s.KubeMutatingWebhookConfiguration(this, 'mutating', {
      metadata: { name: names.webhookConfiguration, labels, annotations: injectCa },
      webhooks: [
        {
          ...common,
          name: 'mpod.elbv2.k8s.aws',
          clientConfig: clientConfig('/mutate-v1-pod'),
          // Fail rather than the chart's Ignore: a pod admitted without its gate can receive
          // traffic before its target is healthy. The readiness-gate guide advises Fail only with
          // an explicit objectSelector, so the webhook sees nothing but pods that sit behind a
          // target group: labelled pods in labelled namespaces. A controller outage then delays
          // only pods that could not be registered anyway, never a worker or a Job.
          failurePolicy: 'Fail',
          namespaceSelector: {
            matchExpressions: [{ key: READINESS_GATE_NAMESPACE_LABEL, operator: 'In', values: ['enabled'] }],
          },
          objectSelector: {
            matchExpressions: [
              ...notTheController.matchExpressions!,
              { key: READINESS_GATE_POD_LABEL, operator: 'In', values: ['enabled'] },
            ],
          },
          rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
        },
        {
          ...common,
          name: 'mtargetgroupbinding.elbv2.k8s.aws',
          clientConfig: clientConfig('/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding'),
          failurePolicy: 'Fail',
          rules: targetGroupBindingRules,
        },
      ],
    });
    new k8s.KubeValidatingWebhookConfiguration(this, 'validating', {
      metadata: { name: names.webhookConfiguration, labels, annotations: injectCa },
      webhooks: [
        {
          ...common,
          name: 'vingressclassparams.elbv2.k8s.aws',
          clientConfig: clientConfig('/validate-elbv2-k8s-aws-v1beta1-ingressclassparams'),
          failurePolicy: 'Fail',
          objectSelector: notTheController,
          rules: [
            { apiGroups: ['elbv2.k8s.aws'], apiVersions: ['v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['ingressclassparams'] },
          ],
        },
        {
          ...common,
          name: 'vtargetgroupbinding.elbv2.k8s.aws',
          clientConfig: clientConfig('/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding'),
          failurePolicy: 'Fail',
          rules: targetGroupBindingRules,
        },
        {
          ...common,
          name: 'vingress.elbv2.k8s.aws',
          clientConfig: clientConfig('/validate-networking-v1-ingress'),
          failurePolicy: 'Fail',
          matchPolicy: 'Equivalent',
          rules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'] }],
        },
      ],
    });
  }
}
