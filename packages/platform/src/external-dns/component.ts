import { parameters } from '@gitops/contract';
import type { Component } from '@gitops/core';
import { k8s } from 'cdk8s-plus-29';
import { platformSyncWaves } from '../sync-waves';
import { ExternalDnsDeployment } from './deployment';
import { externalDnsLabels, externalDnsNames } from './names';
import { ExternalDnsRbac } from './rbac';

/** @default policy when the env sets no `ingress.dnsPolicy`: never delete a record. */
export const DEFAULT_DNS_POLICY = 'upsert-only';

/**
 * ExternalDNS, `gitops/<env>/external-dns/`: writes the Route 53 records of the env's Ingress
 * hosts, pointing at the ALBs the controller made for them. Records of infra's shared ALB stay in
 * infra (a TargetGroupBinding has no hostname to read).
 */
export function externalDnsComponent(ingressClasses: readonly string[]): Component {
  return {
    name: externalDnsNames.component,
    parameters: [parameters.externalDnsRoleArn, parameters.dnsHostedZoneId, parameters.dnsZoneName],
    delivery: { syncWave: platformSyncWaves.ingress, namespace: externalDnsNames.namespace },
    render(chart, ctx) {
      new k8s.KubeServiceAccount(chart, 'service-account', {
        metadata: {
          name: externalDnsNames.name,
          namespace: externalDnsNames.namespace,
          labels: externalDnsLabels,
          annotations: { 'eks.amazonaws.com/role-arn': ctx.param(parameters.externalDnsRoleArn) },
        },
        automountServiceAccountToken: true,
      });
      new ExternalDnsRbac(chart, 'rbac');
      new ExternalDnsDeployment(chart, 'deployment', {
        region: ctx.env.region,
        hostedZoneId: ctx.param(parameters.dnsHostedZoneId),
        zoneName: ctx.param(parameters.dnsZoneName),
        // The cluster name is unique per account and region, and the env names it (checked
        // against SSM cluster/name by the controller's component).
        ownerId: ctx.env.cluster.name,
        policy: ctx.env.ingress?.dnsPolicy ?? DEFAULT_DNS_POLICY,
        ingressClasses,
      });
    },
  };
}
