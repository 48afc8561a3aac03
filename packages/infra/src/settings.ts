import { integer, patterned, type SpecOf } from '@gitops/core';
import { z } from 'zod';

// The infra settings (`packages/infra/src/environments/<env>.ts`) as a schema: the TypeScript type
// is inferred from it, and the infra synth checks every env's settings against it before planning.
// Checks that need the env spec too (zones of its region, a certificate ARN of its account, hub
// mode agreeing with `argocd.managedBy`) are in plan.ts.

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(\d|[12]\d|3[0-2])$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
// Route 53 hosted zone IDs: "Z" and upper-case letters and digits.
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const AVAILABILITY_ZONE = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;
// ELBv2 host-header values: [A-Za-z0-9-.*?], up to 128 characters.
const ALB_HOST = /^[A-Za-z0-9.*?-]{1,128}$/;
// CloudWatch Logs accepts only these retention periods (PutRetentionPolicy, retentionInDays).
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const cidr = (what: string) => patterned(CIDR, `an IPv4 CIDR like 203.0.113.0/24 (${what})`);
const roleArn = () => patterned(IAM_ROLE_ARN, 'an IAM role ARN (arn:aws:iam::<account>:role/<name>)');
const domain = () => patterned(DOMAIN, 'a lower-case domain name like api.example.com (a leading "*." allowed)');

/**
 * What the infra stack of one environment needs beyond `clusters/<env>/env.ts`: network layout,
 * who may reach and administer the cluster, TLS and DNS for the shared ALB. It lives here, beside
 * the stack, because only the infra package reads it; the generator never needs these values.
 */
export const infraSettingsSchema = z.strictObject({
  /** IPv4 CIDR of the VPC; each AZ gets one public and one private subnet carved from it. */
  vpcCidr: cidr('/16 to /24').refine((value) => Number(value.split('/')[1]) >= 16 && Number(value.split('/')[1]) <= 24, {
    error: 'an IPv4 CIDR from /16 to /24 (the VPC sizes a VPC accepts that leave room for four subnets)',
  }),
  /**
   * The two Availability Zones of the env's region, named explicitly so synth never asks AWS
   * which zones exist (a Vpc without them records a context lookup).
   */
  availabilityZones: z.tuple([patterned(AVAILABILITY_ZONE, 'an Availability Zone like ap-northeast-1a'), patterned(AVAILABILITY_ZONE, 'an Availability Zone like ap-northeast-1c')], {
    error: 'two Availability Zones',
  }),
  /**
   * NAT gateways: 1 is cheaper, but the private subnets of the other AZ lose egress (image
   * pulls) when that AZ fails; 2 gives one per AZ.
   * @default 1
   */
  natGateways: integer(1, 2, 'NAT gateways').optional(),
  /**
   * CIDRs allowed to reach the EKS API's public endpoint (operators, CI, a hub Argo CD outside
   * the VPC). Requests are still authenticated with IAM.
   */
  apiPublicAccessCidrs: z.array(cidr('an operator or CI network')),
  /** IAM role ARNs given cluster admin through EKS access entries (the first-day bootstrap). */
  clusterAdminRoleArns: z.array(roleArn()),
  /**
   * Hub mode, for an env whose `argocd.managedBy` names a hub: the roles of the hub's Argo CD
   * (its application controller and server, in one account) that may assume this env's deployer
   * role. Required for such an env and refused for any other.
   * @default none: the env runs its own Argo CD, which needs no AWS role to deploy to its cluster
   */
  argocdHub: z.strictObject({ roleArns: z.array(roleArn()).min(1, { error: 'at least 1 role of the hub Argo CD' }) }).optional(),
  /** The HTTPS listener's certificate: an existing ACM certificate, or one issued here and validated in `dns`. */
  certificate: z.union(
    [
      z.strictObject({ arn: patterned(/^arn:aws[a-z-]*:acm:/, 'an ACM certificate ARN') }),
      z.strictObject({ domainName: domain(), alternativeNames: z.array(domain()).optional() }),
    ],
    { error: 'either { arn } of an ACM certificate or { domainName, alternativeNames? } to issue one' },
  ),
  /**
   * The public hosted zone of the env's domain, named by ID so nothing is looked up. When set, an
   * alias record for every app host inside the zone points at the ALB.
   * It is also the zone ExternalDNS writes the records of Ingress hosts into (IRSA on that zone only).
   * @default no DNS records, and no app may be exposed through an Ingress
   */
  dns: z.strictObject({ hostedZoneId: patterned(HOSTED_ZONE_ID, 'a Route 53 hosted zone ID like Z0123456789ABC'), zoneName: domain() }).optional(),
  /**
   * The Host header each app's listener rule matches in this env, overriding the app's own
   * `expose.host` (which cannot differ per env).
   * @default each app's `expose.host`
   */
  appHosts: z.record(z.string(), patterned(ALB_HOST, 'an ALB host-header value like api.example.com')).optional(),
  /** Retention of the Fargate pod log group, the VPC flow logs and the control plane logs, in days. */
  logRetentionDays: z.union(LOG_RETENTION_DAYS.map((days) => z.literal(days)), {
    error: `a retention CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')} days`,
  }),
  /** ALB deletion protection and RETAIN of stateful resources. @default false */
  protectFromDeletion: z.boolean({ error: 'true or false' }).optional(),
});

export type InfraSettings = SpecOf<typeof infraSettingsSchema>;

/** Types an env's infra settings (`packages/infra/src/environments/<env>.ts`); checked against `infraSettingsSchema` before planning. */
export function defineInfraSettings(settings: InfraSettings): InfraSettings {
  return settings;
}
