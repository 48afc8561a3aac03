import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { AWS_LOAD_BALANCER_CONTROLLER_VERSION } from '../versions';
import { labels, names, selectorLabels } from './names';

/** The controller's image, at the pinned release. */
export const CONTROLLER_IMAGE = `public.ecr.aws/eks/aws-load-balancer-controller:${AWS_LOAD_BALANCER_CONTROLLER_VERSION}`;

/**
 * Feature gates turned off explicitly, so that the RBAC left out in rbac.ts can never be needed:
 * with these off the controller sets up no Gateway API, Global Accelerator, target-control agent
 * or ACM certificate reconciler, hence no informer on those kinds. v3.5.0 turns ALBGatewayAPI,
 * NLBGatewayAPI and GatewayListenerSet on by default (chart values.yaml `controllerConfig.featureGates`);
 * naming them keeps this true whatever a release's defaults are. An unknown gate name stops the
 * controller at start, so every name here is one the v3.5.0 chart lists.
 */
export const FEATURE_GATES_OFF = [
  'ALBGatewayAPI',
  'ALBTargetControlAgent',
  'EnableCertificateManagement',
  'GatewayListenerSet',
  'GlobalAcceleratorController',
  'NLBGatewayAPI',
] as const;

/**
 * The controller's AWS add-ons for the load balancers it manages, each stated rather than left to
 * the controller's default (on, for all three), because an add-on that is on makes the controller
 * reconcile that association on every ALB it owns, and one that is off makes it ignore the
 * matching Ingress annotation or IngressClassParams field.
 */
export interface ControllerAddons {
  /** WAF Classic (`--enable-waf`): retired by AWS; always off. */
  readonly waf: false;
  /**
   * WAFv2 (`--enable-wafv2`): on exactly when an Ingress or IngressClassParams of the env names a
   * web ACL. The shared ALB's web ACL is attached by infrastructure code, which the controller
   * never touches, so with no Ingress path it stays off.
   */
  readonly wafv2: boolean;
  /** Shield Advanced (`--enable-shield`): the project subscribes to none; off. */
  readonly shield: false;
}

/** Nothing in the env asks the controller for WAF, WAFv2 or Shield. */
export const NO_ADDONS: ControllerAddons = { waf: false, wafv2: false, shield: false };

/** Health probe port: the controller's default health bind address (pkg/config/runtime_config.go). */
export const HEALTH_PORT = 61779;
/** controller-runtime's default serving-certificate folder, where the cert Secret is mounted. */
export const WEBHOOK_CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';

export interface ControllerDeploymentProps {
  /** EKS cluster name; the controller tags and discovers AWS resources by it. */
  readonly clusterName: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** VPC of the cluster. */
  readonly vpcId: string;
  /** @default 2 (one pod keeps serving the webhooks while the other restarts) */
  readonly replicas?: number;
  /**
   * Requests, set equal to limits: Fargate sizes the pod from the requests (plus 256 MB for its
   * own agents) and runs it as guaranteed (EKS user guide, fargate-pod-configuration).
   * @default 250m CPU and 768Mi: with Fargate's 256 MB exactly 0.25 vCPU / 1 GB (v3 watches
   * more kinds than v2; 512Mi was billed as 1 GB anyway)
   */
  readonly resources?: { readonly cpu: string; readonly memory: string };
  /** @default NO_ADDONS */
  readonly addons?: ControllerAddons;
}

/** The controller's Deployment, configured for a Fargate-only cluster. */
export class ControllerDeployment extends Construct {
  constructor(scope: Construct, id: string, props: ControllerDeploymentProps) {
    super(scope, id);
    const quantities = props.resources ?? { cpu: '250m', memory: '768Mi' };
    const addons = props.addons ?? NO_ADDONS;
    const resources = {
      cpu: k8s.Quantity.fromString(quantities.cpu),
      memory: k8s.Quantity.fromString(quantities.memory),
    };
    new k8s.KubeDeployment(this, 'resource', {
      metadata: { name: names.controller, namespace: names.namespace, labels },
      spec: {
        replicas: props.replicas ?? 2,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { ...selectorLabels } },
        template: {
          metadata: { labels: { ...labels } },
          spec: {
            serviceAccountName: names.controller,
            automountServiceAccountToken: true,
            // The controller admits TargetGroupBindings and Ingresses for the whole cluster; it is
            // scheduled before application pods when capacity is short.
            priorityClassName: 'system-cluster-critical',
            terminationGracePeriodSeconds: 10,
            securityContext: {
              runAsNonRoot: true,
              fsGroup: 65534,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: names.controller,
                image: CONTROLLER_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                args: [
                  `--cluster-name=${props.clusterName}`,
                  '--ingress-class=alb',
                  // An Ingress joins an ALB only through an alb-<group> class, whose IngressClassParams
                  // fix its group, scheme, WAF, certificate and namespaceSelector. The controller's
                  // Ingress webhook refuses new use of the two annotations that would bypass them: the
                  // legacy `kubernetes.io/ingress.class: alb` (an Ingress with no class params at all,
                  // in any namespace) and `alb.ingress.kubernetes.io/group.name` (chart values
                  // disableIngressClassAnnotation, disableIngressGroupNameAnnotation; pkg/config/ingress_config.go).
                  '--disable-ingress-class-annotation=true',
                  '--disable-ingress-group-name-annotation=true',
                  // Fargate has no instance metadata service, so neither the region nor the VPC
                  // can be discovered; without a VPC ID the controller exits at start
                  // (pkg/aws/cloud.go; EKS user guide, aws-load-balancer-controller on Fargate).
                  `--aws-region=${props.region}`,
                  `--aws-vpc-id=${props.vpcId}`,
                  // Instance targets never reach Fargate pods (the default binding node selector
                  // excludes compute-type fargate), so IP is the only useful default.
                  '--default-target-type=ip',
                  `--enable-waf=${addons.waf}`,
                  `--enable-wafv2=${addons.wafv2}`,
                  `--enable-shield=${addons.shield}`,
                  `--feature-gates=${FEATURE_GATES_OFF.map((gate) => `${gate}=false`).join(',')}`,
                ],
                ports: [
                  { name: 'webhook-server', containerPort: 9443, protocol: 'TCP' },
                  { name: 'metrics-server', containerPort: 8080, protocol: 'TCP' },
                ],
                resources: { requests: resources, limits: resources },
                livenessProbe: {
                  httpGet: { path: '/healthz', port: k8s.IntOrString.fromNumber(HEALTH_PORT), scheme: 'HTTP' },
                  initialDelaySeconds: 30,
                  timeoutSeconds: 10,
                  failureThreshold: 2,
                },
                readinessProbe: {
                  httpGet: { path: '/readyz', port: k8s.IntOrString.fromNumber(HEALTH_PORT), scheme: 'HTTP' },
                  initialDelaySeconds: 10,
                  timeoutSeconds: 10,
                  failureThreshold: 2,
                },
                securityContext: {
                  runAsNonRoot: true,
                  readOnlyRootFilesystem: true,
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'cert', mountPath: WEBHOOK_CERT_DIR, readOnly: true }],
              },
            ],
            volumes: [{ name: 'cert', secret: { secretName: names.webhookTlsSecret, defaultMode: 0o644 } }],
          },
        },
      },
    });
  }
}
