import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { labels, names } from './names';

/** One RBAC rule, in the shape `k8s.PolicyRule` takes. */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
}

/** Leader election in kube-system, exactly as the v3.5.0 chart grants it (templates/rbac.yaml). */
export const leaderElectionRules: readonly RbacRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
  { apiGroups: [''], resources: ['configmaps'], resourceNames: [names.leaderElection], verbs: ['get', 'patch', 'update'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [names.leaderElection], verbs: ['get', 'patch', 'update'] },
];

/**
 * The cluster-wide rules of the v3.5.0 chart (templates/rbac.yaml) for what this platform runs:
 * Ingress, Service and TargetGroupBinding reconciliation, the webhooks we register, and the
 * cluster-level ConfigMap access v3 added.
 *
 * Left out, because the features that need them are switched off (see FEATURE_GATES_OFF in
 * deployment.ts) or their webhooks are not registered:
 * - `gateway.k8s.aws` and `gateway.networking.k8s.io` (Gateway API): only the NLB/ALB Gateway
 *   reconcilers read them, and they are set up only when the NLBGatewayAPI, ALBGatewayAPI or
 *   GatewayListenerSet gate is on (all three on by default in v3). With them off the controller
 *   starts no informer on them, so it needs neither list nor watch to start. Neither we nor the
 *   upstream CRD kustomization install these kinds.
 * - `aga.k8s.aws` (Global Accelerator): its reconciler and validating webhook exist only with the
 *   GlobalAcceleratorController gate on.
 * - `elbv2.k8s.aws albtargetcontrolconfigs` (get only, never list/watch, so no informer needs it):
 *   read by the ALB target-control agent pod mutators alone; the ALBTargetControlAgent gate is
 *   off and we register neither mutator.
 * - `secrets`: the chart grants them only with `clusterSecretsPermissions.allowAllSecrets`.
 */
export const clusterRules: readonly RbacRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'delete', 'get', 'update'] },
  { apiGroups: [''], resources: ['endpoints', 'namespaces', 'nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['pods/status', 'services/status'], verbs: ['patch', 'update'] },
  { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['elbv2.k8s.aws'], resources: ['ingressclassparams'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: ['elbv2.k8s.aws'],
    resources: ['targetgroupbindings'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  { apiGroups: ['elbv2.k8s.aws'], resources: ['targetgroupbindings/status'], verbs: ['patch', 'update'] },
  { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
  { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses/status'], verbs: ['patch', 'update'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
];

const policyRules = (rules: readonly RbacRule[]): k8s.PolicyRule[] =>
  rules.map((rule) => ({
    apiGroups: [...rule.apiGroups],
    resources: [...rule.resources],
    ...(rule.resourceNames ? { resourceNames: [...rule.resourceNames] } : {}),
    verbs: [...rule.verbs],
  }));

/** The controller's Role (leader election) and ClusterRole, each bound to its service account. */
export class ControllerRbac extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const subjects = [{ kind: 'ServiceAccount', name: names.controller, namespace: names.namespace }];

    const role = `${names.controller}-leader-election-role`;
    new k8s.KubeRole(this, 'leader-election-role', {
      metadata: { name: role, namespace: names.namespace, labels },
      rules: policyRules(leaderElectionRules),
    });
    new k8s.KubeRoleBinding(this, 'leader-election-rolebinding', {
      metadata: { name: `${names.controller}-leader-election-rolebinding`, namespace: names.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
      subjects,
    });

    const clusterRole = `${names.controller}-role`;
    new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: clusterRole, labels },
      rules: policyRules(clusterRules),
    });
    new k8s.KubeClusterRoleBinding(this, 'cluster-rolebinding', {
      metadata: { name: `${names.controller}-rolebinding`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects,
    });
  }
}
