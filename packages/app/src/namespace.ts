import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';

export interface AppNamespaceProps {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Whether pods of the namespace sit behind a target group (the app is exposed). Only then is the
   * namespace labelled for readiness-gate injection: a pod of an unlabelled namespace never reaches
   * the controller's fail-closed pod webhook, so a controller outage cannot block it.
   */
  readonly readinessGates: boolean;
}

/**
 * Label that opts a namespace, and a pod in it, into the controller's readiness-gate injection;
 * the same key and value as READINESS_GATE_NAMESPACE_LABEL and READINESS_GATE_POD_LABEL in
 * packages/platform (the webhook's selectors), which the synth convergence check compares.
 */
export const READINESS_GATE_LABEL = { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } as const;

/** The app's namespace, set up so the controller gates its exposed pods and Pod Security holds them to `restricted`. */
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
          ...(props.readinessGates ? READINESS_GATE_LABEL : {}),
          // The restricted profile refuses at admission anything the Deployment's defaults rule
          // out (root, privilege escalation, added capabilities, hostPath), whoever creates the pod.
          'pod-security.kubernetes.io/enforce': 'restricted',
        },
      },
    });
  }
}
