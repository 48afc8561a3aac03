import type { AppOverrides, Component } from '@gitops/core';
import { k8s } from 'cdk8s-plus-29';
import type { AppDefinition } from './definition';

/** The component folder an app renders into: `gitops/<env>/app-<name>/`. */
export function appComponent(app: AppDefinition, _overrides: AppOverrides): Component {
  const namespace = app.namespace ?? app.name;
  return {
    name: `app-${app.name}`,
    parameters: [],
    render(chart) {
      new k8s.KubeNamespace(chart, 'namespace', {
        metadata: {
          name: namespace,
          labels: {
            // The controller injects target-health readiness gates only into pods of namespaces
            // carrying this label (aws-load-balancer-controller docs, pod_readiness_gate.md).
            'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
            'pod-security.kubernetes.io/enforce': 'restricted',
          },
        },
      });
    },
  };
}
