import { SYNC_WAVE_ANNOTATION } from '@gitops/core';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';

export interface AppHorizontalPodAutoscalerProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The Deployment it scales. */
  readonly deployment: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU utilisation, in percent of the requests. */
  readonly targetCpuPercent: number;
  /** Argo CD sync wave (the autoscaler goes with the Deployment it scales). */
  readonly syncWave: string;
}

/** Scales the app's Deployment on CPU utilisation (autoscaling/v2). */
export class AppHorizontalPodAutoscaler extends Construct {
  constructor(scope: Construct, id: string, props: AppHorizontalPodAutoscalerProps) {
    super(scope, id);
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...props.labels },
        annotations: { [SYNC_WAVE_ANNOTATION]: props.syncWave },
      },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.deployment },
        minReplicas: props.minReplicas,
        maxReplicas: props.maxReplicas,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.targetCpuPercent } } },
        ],
      },
    });
  }
}
