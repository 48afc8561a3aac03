import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';

export interface AppNamespaceProps {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The app's namespace, set up so the controller gates its pods and Pod Security holds them to `restricted`. */
export class AppNamespace extends Construct {
  constructor(scope: Construct, id: string, props: AppNamespaceProps) {
    super(scope, id);
    new k8s.KubeNamespace(this, 'resource', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          // The controller injects target-health readiness gates only into pods of namespaces
          // carrying this label (aws-load-balancer-controller docs, pod_readiness_gate.md).
          'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
          // The restricted profile refuses at admission anything the Deployment's defaults rule
          // out (root, privilege escalation, added capabilities, hostPath), whoever creates the pod.
          'pod-security.kubernetes.io/enforce': 'restricted',
        },
      },
    });
  }
}
