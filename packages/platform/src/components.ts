import type { Component } from '@gitops/core';
import { awsLoadBalancerController } from './aws-load-balancer-controller/component';
import { awsObservability } from './aws-observability/component';
import { externalSecretsComponent } from './external-secrets';

/** The platform's component folders of every env, in the order they render. */
export function platformComponents(): Component[] {
  return [awsObservability, awsLoadBalancerController, externalSecretsComponent()];
}
