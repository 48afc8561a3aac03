import { checkParameter, parameterName, parameters, type ParameterDefinition } from '@gitops/contract';
import type { EnvironmentSpec } from '@gitops/core';
import type { ParameterSnapshot } from '@gitops/synth';

type Entry = ParameterSnapshot['parameters'][string];

/** IAM role names are at most 64 characters (IAM CreateRole); target group names 32 (ELBv2 CreateTargetGroup). */
const clip = (name: string, max: number) => name.slice(0, max).replace(/-+$/, '');

/**
 * Values of the right form for what infra has not written yet: each passes the contract's own
 * check for the env's account and region, and is marked `placeholder: true` so synth says it
 * renders from them and `params:pull` replaces them. IDs that can spell it say PLACEHOLDER.
 */
function valueFor(definition: ParameterDefinition, env: EnvironmentSpec, app?: string, dns?: PlaceholderZone): string {
  const { account, region } = env;
  const cluster = env.cluster.name;
  const uuid = '00000000-0000-0000-0000-000000000000';
  switch (definition.path) {
    case parameters.clusterName.path:
      return cluster;
    case parameters.clusterEndpoint.path:
      return `https://PLACEHOLDER${'0'.repeat(21)}.gr7.${region}.eks.amazonaws.com`;
    case parameters.clusterCertificateAuthority.path:
      return Buffer.from('-----BEGIN CERTIFICATE-----\nPLACEHOLDER\n-----END CERTIFICATE-----\n').toString('base64');
    case parameters.vpcId.path:
      return `vpc-${'0'.repeat(17)}`;
    case parameters.albSecurityGroupId.path:
      return `sg-${'0'.repeat(17)}`;
    case parameters.loadBalancerControllerRoleArn.path:
      return `arn:aws:iam::${account}:role/${clip(`${cluster}-aws-load-balancer-controller`, 64)}`;
    case parameters.fargateLogGroupName.path:
      return `/eks/${cluster}/pods`;
    case parameters.argocdDeployerRoleArn.path:
      return `arn:aws:iam::${account}:role/${clip(`${cluster}-argocd-deployer`, 64)}`;
    case parameters.dnsHostedZoneId.path:
      return dns?.hostedZoneId ?? `Z${'0'.repeat(8)}PLACEHOLDER`;
    case parameters.dnsZoneName.path:
      return dns?.zoneName ?? `${env.name}.example.com`;
    case parameters.ingressCertificateArn.path:
      return `arn:aws:acm:${region}:${account}:certificate/${uuid}`;
    case parameters.ingressWebAclArn.path:
      return `arn:aws:wafv2:${region}:${account}:regional/webacl/${clip(`${cluster}-web-acl`, 128)}/${uuid}`;
    case parameters.privateSubnetIds.path:
      return `subnet-${'0'.repeat(17)},subnet-${'0'.repeat(16)}1`;
    case parameters.publicSubnetIds.path:
      return `subnet-${'0'.repeat(16)}2,subnet-${'0'.repeat(16)}3`;
    case parameters.externalDnsRoleArn.path:
      return `arn:aws:iam::${account}:role/${clip(`${cluster}-external-dns`, 64)}`;
  }
  if (app && definition.path === parameters.appTargetGroupArn(app).path) {
    return `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${clip(`${env.name}-${app}`, 32)}/${'0'.repeat(16)}`;
  }
  if (app && definition.path === parameters.appRoleArn(app).path) return `arn:aws:iam::${account}:role/${clip(`${cluster}-app-${app}`, 64)}`;
  throw new Error(`no placeholder for parameter ${definition.path}`);
}

function entry(definition: ParameterDefinition, env: EnvironmentSpec, app?: string, dns?: PlaceholderZone): [string, Entry] {
  const value = valueFor(definition, env, app, dns);
  const checked = checkParameter(definition, { type: definition.type, value }, env);
  if (!checked.ok) throw new Error(`placeholder for ${checked.name} fails the contract: ${checked.problem}`);
  return [parameterName(definition, env), { type: definition.type, value, placeholder: true }];
}

/** The hosted zone the env's infra settings name, so the Ingress parameters' placeholders agree with it. */
export interface PlaceholderZone {
  readonly hostedZoneId: string;
  readonly zoneName: string;
}

/**
 * Every env-level parameter the contract defines (what infra writes for any env, and the Ingress
 * path's, which infra writes once the env has an Ingress app; params:pull drops what it did not).
 */
export function envPlaceholders(env: EnvironmentSpec, dns?: PlaceholderZone): [string, Entry][] {
  const fixed = Object.values(parameters).flatMap((definition) => (typeof definition === 'function' ? [] : [definition as ParameterDefinition]));
  return fixed.map((definition) => entry(definition, env, undefined, dns));
}

/** The parameters infra writes for one app: its target group when exposed, its IRSA role with `aws`. */
export function appPlaceholders(env: EnvironmentSpec, app: string, { expose, aws }: { expose: boolean; aws: boolean }): [string, Entry][] {
  return [...(expose ? [entry(parameters.appTargetGroupArn(app), env, app)] : []), ...(aws ? [entry(parameters.appRoleArn(app), env, app)] : [])];
}
