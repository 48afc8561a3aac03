/**
 * What the infra stack of one environment needs beyond `clusters/<env>/env.ts`: network layout,
 * who may reach and administer the cluster, TLS and DNS for the shared ALB. It lives here, beside
 * the stack, because only the infra package reads it; the generator never needs these values.
 */
export interface InfraSettings {
  /** IPv4 CIDR of the VPC; each AZ gets one public and one private subnet carved from it. */
  readonly vpcCidr: string;
  /**
   * The two Availability Zones of the env's region, named explicitly so synth never asks AWS
   * which zones exist (a Vpc without them records a context lookup).
   */
  readonly availabilityZones: readonly [string, string];
  /**
   * NAT gateways: 1 is cheaper, but the private subnets of the other AZ lose egress (image
   * pulls) when that AZ fails; 2 gives one per AZ.
   * @default 1
   */
  readonly natGateways?: 1 | 2;
  /**
   * CIDRs allowed to reach the EKS API's public endpoint (operators, CI, a hub Argo CD outside
   * the VPC). Requests are still authenticated with IAM.
   */
  readonly apiPublicAccessCidrs: readonly string[];
  /** IAM role ARNs given cluster admin through EKS access entries (the first-day bootstrap). */
  readonly clusterAdminRoleArns: readonly string[];
  /**
   * Hub mode, for an env whose `argocd.managedBy` names a hub: the roles of the hub's Argo CD
   * (its application controller and server, in one account) that may assume this env's deployer
   * role. Required for such an env and refused for any other.
   * @default none: the env runs its own Argo CD, which needs no AWS role to deploy to its cluster
   */
  readonly argocdHub?: { readonly roleArns: readonly string[] };
  /** The HTTPS listener's certificate: an existing ACM certificate, or one issued here and validated in `dns`. */
  readonly certificate: { readonly arn: string } | { readonly domainName: string; readonly alternativeNames?: readonly string[] };
  /**
   * The public hosted zone of the env's domain, named by ID so nothing is looked up. When set, an
   * alias record for every app host inside the zone points at the ALB.
   * It is also the zone ExternalDNS writes the records of Ingress hosts into (IRSA on that zone only).
   * @default no DNS records, and no app may be exposed through an Ingress
   */
  readonly dns?: { readonly hostedZoneId: string; readonly zoneName: string };
  /**
   * The Host header each app's listener rule matches in this env, overriding the app's own
   * `expose.host` (which cannot differ per env).
   * @default each app's `expose.host`
   */
  readonly appHosts?: Readonly<Record<string, string>>;
  /** Retention of the Fargate pod log group, the VPC flow logs and the control plane logs, in days. */
  readonly logRetentionDays: number;
  /** ALB deletion protection and RETAIN of stateful resources. @default false */
  readonly protectFromDeletion?: boolean;
}

/** Types an env's infra settings (`packages/infra/src/environments/<env>.ts`). */
export function defineInfraSettings(settings: InfraSettings): InfraSettings {
  return settings;
}
