import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import type { ResolvedPort } from './resolve';

export interface AppServiceProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
  /** Each container port, served on the same number. */
  readonly ports: readonly ResolvedPort[];
}

/**
 * A ClusterIP Service over the app's pods. A TargetGroupBinding registers the endpoints of a
 * Service, so exposed apps need one; in-cluster callers use it too.
 */
export class AppService extends Construct {
  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    new k8s.KubeService(this, 'resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: {
        type: 'ClusterIP',
        selector: { ...props.selector },
        ports: props.ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' })),
      },
    });
  }
}
