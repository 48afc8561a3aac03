import type { AwsEnvironment } from './aws-environment';
import { checkParameterName } from './parameter-name';
import {
  certificateAuthorityData,
  eksClusterName,
  eksEndpoint,
  acmCertificateArn,
  dnsZoneName,
  hostedZoneId,
  iamRoleArn,
  listOf,
  logGroupName,
  subnetId,
  wafv2RegionalWebAclArn,
  securityGroupId,
  targetGroupArn,
  vpcId,
  type ValueKind,
} from './values';

/** SSM parameter types the contract allows. SecureString is refused: its value must never reach Git. */
export type ParameterType = 'String' | 'StringList';

/** One SSM parameter: where it lives under the environment's prefix, its type and its value's shape. */
export interface ParameterDefinition<T = unknown> {
  /** Path below the environment's `ssmPrefix`, without a leading slash. */
  readonly path: string;
  readonly type: ParameterType;
  /** What the value is, for people reading errors and the infra stack's parameter descriptions. */
  readonly description: string;
  readonly kind: ValueKind<T>;
}

function define<T>(path: string, kind: ValueKind<T>, description: string, type: ParameterType = 'String'): ParameterDefinition<T> {
  return { path, type, kind, description };
}

const appSegment = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
function appPath(app: string, leaf: string): string {
  if (!appSegment.test(app)) throw new Error(`app name "${app}" is not a DNS label (lowercase letters, digits, "-")`);
  return `apps/${app}/${leaf}`;
}

/**
 * Every parameter the generator may read, declared once. packages/infra writes exactly
 * these (by calling the same functions); the generator reads nothing else.
 */
export const parameters = {
  clusterName: define('cluster/name', eksClusterName, 'Name of the EKS cluster'),
  clusterEndpoint: define('cluster/endpoint', eksEndpoint, 'EKS API server endpoint (for a hub Argo CD)'),
  clusterCertificateAuthority: define(
    'cluster/certificate-authority-data',
    certificateAuthorityData,
    'EKS cluster CA, base64 PEM (for a hub Argo CD)',
  ),
  vpcId: define('network/vpc-id', vpcId, 'VPC of the cluster (the controller cannot discover it on Fargate)'),
  albSecurityGroupId: define('alb/security-group-id', securityGroupId, 'Security group of the shared ALB'),
  loadBalancerControllerRoleArn: define(
    'platform/aws-load-balancer-controller/role-arn',
    iamRoleArn,
    'IRSA role of the AWS Load Balancer Controller',
  ),
  fargateLogGroupName: define('logging/fargate-log-group-name', logGroupName, 'CloudWatch log group for Fargate pod logs'),
  argocdDeployerRoleArn: define('argocd/deployer-role-arn', iamRoleArn, 'Role a hub Argo CD assumes to deploy to this cluster'),
  appTargetGroupArn: (app: string) =>
    define(appPath(app, 'target-group-arn'), targetGroupArn, `Target group of app ${app} on the shared ALB`),
  appRoleArn: (app: string) => define(appPath(app, 'role-arn'), iamRoleArn, `IRSA role of app ${app}`),
  // Ingress-made ALBs and ExternalDNS (written only for envs with an app exposed through an Ingress).
  dnsHostedZoneId: define('dns/hosted-zone-id', hostedZoneId, 'Route 53 hosted zone ExternalDNS writes Ingress records into'),
  dnsZoneName: define('dns/zone-name', dnsZoneName, 'Domain of that hosted zone; every Ingress host must be inside it'),
  ingressCertificateArn: define('ingress/certificate-arn', acmCertificateArn, 'ACM certificate of the HTTPS listeners of Ingress-made ALBs'),
  ingressWebAclArn: define('ingress/web-acl-arn', wafv2RegionalWebAclArn, 'Regional WAFv2 web ACL every Ingress-made ALB is associated with'),
  privateSubnetIds: define('network/private-subnet-ids', listOf(subnetId), 'Private subnets (one per AZ), for internal Ingress-made ALBs', 'StringList'),
  publicSubnetIds: define('network/public-subnet-ids', listOf(subnetId), 'Public subnets (one per AZ), for internet-facing Ingress-made ALBs', 'StringList'),
  externalDnsRoleArn: define('platform/external-dns/role-arn', iamRoleArn, 'IRSA role of ExternalDNS (records in the one hosted zone)'),
} as const;

/** The parameter's full SSM name in an environment. */
export function parameterName(definition: ParameterDefinition, env: Pick<AwsEnvironment, 'ssmPrefix'>): string {
  return `${env.ssmPrefix}/${definition.path}`;
}

/** A value as read from SSM (or a snapshot of it). */
export interface RawParameter {
  readonly type: string;
  readonly value: string;
}

/** A checked parameter: its value, or one problem (without the name, which `name` carries). */
export type ParameterCheck<T> = { ok: true; value: T } | { ok: false; name: string; problem: string };

/** A value as shown in an error: long ones (certificate data) are cut so the line stays readable. */
function shown(value: string): string {
  return value.length <= 120 ? value : `${value.slice(0, 60)}... (${value.length} characters)`;
}

/**
 * Checks one parameter read from SSM against its definition: the name's SSM rules, the type
 * (SecureString refused, its value never echoed), and the value's shape including account and region.
 */
export function checkParameter<T>(
  definition: ParameterDefinition<T>,
  raw: RawParameter | undefined,
  env: AwsEnvironment,
): ParameterCheck<T> {
  const name = parameterName(definition, env);
  const fail = (problem: string): ParameterCheck<T> => ({ ok: false, name, problem });
  const nameProblems = checkParameterName(name, env);
  if (nameProblems.length > 0) return fail(`invalid SSM name: ${nameProblems.join('; ')}`);
  const expected = `expected ${definition.type} holding ${definition.kind.describe(env)}`;
  if (raw === undefined) return fail(`missing; ${expected}`);
  if (raw.type === 'SecureString') return fail(`is a SecureString, which the generator refuses to read; ${expected}`);
  if (raw.type !== definition.type) return fail(`has type ${raw.type}; ${expected}`);
  const checked = definition.kind.check(raw.value, env);
  if (!checked.ok) {
    const verdict = checked.reason ? `is refused: ${checked.reason}` : 'is malformed';
    return fail(`value "${shown(raw.value)}" ${verdict}; expected ${checked.expected}`);
  }
  return { ok: true, value: checked.value };
}
