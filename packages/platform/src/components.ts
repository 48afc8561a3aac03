import type { Component } from '@gitops/core';
import { awsLoadBalancerControllerComponent } from './aws-load-balancer-controller/component';
import { NO_ADDONS, type ControllerAddons } from './aws-load-balancer-controller/deployment';
import { awsObservability } from './aws-observability/component';
import { externalSecretsComponent } from './external-secrets';

/** The platform's component folders of every env, in the order they render. */
export function platformComponents(addons: ControllerAddons = NO_ADDONS): Component[] {
  return [awsObservability, awsLoadBalancerControllerComponent(addons), externalSecretsComponent()];
}
