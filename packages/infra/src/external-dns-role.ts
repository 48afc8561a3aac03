import { partitionOf } from '@gitops/contract';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ServiceAccountRef } from './plan';

/** The service account ExternalDNS runs as (packages/platform, external-dns): its role trusts exactly it. */
export const externalDnsServiceAccount: ServiceAccountRef = { namespace: 'kube-system', name: 'external-dns' };

/** `arn:<partition>:route53:::hostedzone/<id>`: Route 53 is global, so the ARN has no region or account. */
export function hostedZoneArn(region: string, hostedZoneId: string): string {
  return `arn:${partitionOf(region)}:route53:::hostedzone/${hostedZoneId}`;
}

/**
 * ExternalDNS's permissions (external-dns aws tutorial v0.22.0), narrowed from `hostedzone/*` to
 * the env's one zone: it may read and change records there and nowhere else. ListHostedZones
 * takes no resource ARN in IAM, so it stays `*`; it reveals zone names, not records.
 */
export function externalDnsStatements(region: string, hostedZoneId: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'RecordsOfTheOneZone',
      actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
      resources: [hostedZoneArn(region, hostedZoneId)],
    }),
    new iam.PolicyStatement({ sid: 'FindTheZone', actions: ['route53:ListHostedZones'], resources: ['*'] }),
  ];
}
