import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import type { RbacRule } from '../aws-load-balancer-controller/rbac';
import { externalDnsLabels, externalDnsNames } from './names';

/**
 * The chart's ClusterRole rules (external-dns chart 1.21.1, templates/clusterrole.yaml) for the
 * one source used, `ingress`: the chart adds nodes, pods, services and endpointslices only for
 * the node, pod and service sources, none of which runs here.
 */
export const externalDnsRules: readonly RbacRule[] = [{ apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'watch', 'list'] }];

/** ExternalDNS's ClusterRole and its binding to the service account. */
export class ExternalDnsRbac extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const metadata = { name: externalDnsNames.name, labels: externalDnsLabels };
    new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata,
      rules: externalDnsRules.map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })),
    });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: externalDnsNames.name },
      subjects: [{ kind: 'ServiceAccount', name: externalDnsNames.name, namespace: externalDnsNames.namespace }],
    });
  }
}
