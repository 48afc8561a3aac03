import { parameters } from '@gitops/contract';
import type { Component, IgnoredDifference } from '@gitops/core';
import { certManagerSource } from '../cert-manager';
import { platformSyncWaves } from '../sync-waves';
import { controllerCrdsSource } from './crds-source';
import { ControllerDeployment, NO_ADDONS, type ControllerAddons } from './deployment';
import { names } from './names';
import { ControllerPodDisruptionBudget } from './pod-disruption-budget';
import { ControllerRbac } from './rbac';
import { ControllerServiceAccount } from './service-account';
import { WebhookCertificates } from './webhook-certificates';
import { ControllerWebhooks } from './webhook-configurations';
import { WebhookService } from './webhook-service';

// cert-manager's CA injector writes the serving CA into every webhook of both configurations;
// Argo CD must neither report that as drift nor remove it (Argo CD diffing docs, jqPathExpressions
// rather than per-index JSON pointers, so adding a webhook needs no change here).
const injectedCaBundles: IgnoredDifference[] = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'].map((kind) => ({
  group: 'admissionregistration.k8s.io',
  kind,
  jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
}));

/**
 * The AWS Load Balancer Controller for a Fargate-only cluster: `gitops/<env>/aws-load-balancer-controller/`.
 * It reconciles the apps' TargetGroupBindings against the target groups infrastructure code made,
 * and the ALBs of the env's Ingress classes. Its CRDs and cert-manager arrive as upstream sources
 * in earlier waves. `addons` states which of WAF, WAFv2 and Shield it reconciles.
 */
export function awsLoadBalancerControllerComponent(addons: ControllerAddons): Component {
  return {
    name: names.controller,
    parameters: [parameters.loadBalancerControllerRoleArn, parameters.vpcId, parameters.clusterName],
    delivery: {
      syncWave: platformSyncWaves.controller,
      namespace: names.namespace,
      ignoreDifferences: injectedCaBundles,
    },
    upstream: [controllerCrdsSource, certManagerSource],
    render(chart, ctx) {
      // The controller tags and finds its AWS resources by cluster name (the IAM policy's
      // `elbv2.k8s.aws/cluster` conditions), so a snapshot taken from another cluster must not
      // silently render: the env spec and what infra published have to agree.
      const published = ctx.param(parameters.clusterName);
      if (published !== ctx.env.cluster.name) {
        throw new Error(
          `SSM cluster/name is "${published}", but clusters/${ctx.env.name}/env.ts names the cluster "${ctx.env.cluster.name}"; ` +
            'is the snapshot from another cluster?',
        );
      }
      new ControllerServiceAccount(chart, 'service-account', { roleArn: ctx.param(parameters.loadBalancerControllerRoleArn) });
      new ControllerRbac(chart, 'rbac');
      new WebhookCertificates(chart, 'webhook-certificates');
      new ControllerDeployment(chart, 'deployment', {
        clusterName: ctx.env.cluster.name,
        region: ctx.env.region,
        vpcId: ctx.param(parameters.vpcId),
        addons,
      });
      new ControllerPodDisruptionBudget(chart, 'pod-disruption-budget');
      new WebhookService(chart, 'webhook-service');
      new ControllerWebhooks(chart, 'webhooks');
    },
  };
}

/** The controller of an env no Ingress class asks for an add-on: WAF, WAFv2 and Shield all off. */
export const awsLoadBalancerController: Component = awsLoadBalancerControllerComponent(NO_ADDONS);
