import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';

export interface AppPodDisruptionBudgetProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
}

/**
 * At most one pod of the app evicted at a time. Fargate patches the pods' hosts by evicting pods
 * through the Eviction API, which respects PodDisruptionBudgets (EKS UG, fargate-pod-patching).
 */
export class AppPodDisruptionBudget extends Construct {
  constructor(scope: Construct, id: string, props: AppPodDisruptionBudgetProps) {
    super(scope, id);
    new k8s.KubePodDisruptionBudget(this, 'resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...props.selector } } },
    });
  }
}
