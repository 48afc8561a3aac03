import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { labels, names, selectorLabels } from './names';

/**
 * Keeps one controller pod serving while the other is evicted: every webhook we register fails
 * closed, so with no controller pod up, pods in readiness-gated namespaces, TargetGroupBindings,
 * Ingresses and IngressClassParams can be neither created nor changed.
 */
export class ControllerPodDisruptionBudget extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new k8s.KubePodDisruptionBudget(this, 'resource', {
      metadata: { name: names.controller, namespace: names.namespace, labels },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: { ...selectorLabels } },
      },
    });
  }
}
