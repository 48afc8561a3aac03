import type { AwsEnvironment } from './aws-environment';
import { partitionOf } from './partition';

/**
 * The outcome of checking one parameter value: the parsed value, or what was expected and,
 * when it can be told, what exactly is wrong (`its account is 222222222222, but env dev is in ...`).
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; expected: string; reason?: string };

/** A validator of a raw SSM value for one environment. */
export interface ValueKind<T> {
  /** What a valid value looks like, for error messages ("an IAM role ARN in account ..."). */
  describe(env: AwsEnvironment): string;
  check(raw: string, env: AwsEnvironment): Checked<T>;
}

function pattern(describe: (env: AwsEnvironment) => string, regex: (env: AwsEnvironment) => RegExp): ValueKind<string> {
  return {
    describe,
    check(raw, env) {
      return regex(env).test(raw) ? { ok: true, value: raw } : { ok: false, expected: describe(env) };
    },
  };
}

/** What an ARN kind requires of `arn:<partition>:<service>:<region>:<account>:<resource>`. */
interface ArnShape {
  /** e.g. `an IAM role ARN`. */
  readonly what: string;
  readonly service: string;
  /** Regional services put the env's region in the ARN; global ones (IAM) leave it empty. */
  readonly regional: boolean;
  /** The resource part, e.g. `role/<name>`, as shown in messages. */
  readonly resourceShape: string;
  readonly resource: RegExp;
}

/**
 * An ARN checked part by part, so a value from the wrong account, region or partition is
 * reported as exactly that (the usual mistake: a value copied from another environment).
 */
function arn(shape: ArnShape): ValueKind<string> {
  const describe = (env: AwsEnvironment) =>
    `${shape.what} in ${shape.regional ? `${env.region}/` : 'account '}${env.account} ` +
    `(arn:${partitionOf(env.region)}:${shape.service}:${shape.regional ? env.region : ''}:${env.account}:${shape.resourceShape})`;
  return {
    describe,
    check(raw, env) {
      const parts = raw.split(':');
      if (parts.length < 6 || parts[0] !== 'arn') return { ok: false, expected: describe(env), reason: 'it is not an ARN' };
      const [, partition, service, region, account] = parts as [string, string, string, string, string];
      const resource = parts.slice(5).join(':');
      const reasons: string[] = [];
      const expectedPartition = partitionOf(env.region);
      if (partition !== expectedPartition) {
        reasons.push(`its partition is ${partition || '(none)'}, but env ${env.name} (${env.region}) is in partition ${expectedPartition}`);
      }
      if (service !== shape.service) reasons.push(`its service is ${service || '(none)'}, not ${shape.service}`);
      if (shape.regional && region !== env.region) reasons.push(`its region is ${region || '(none)'}, but env ${env.name} is in ${env.region}`);
      if (!shape.regional && region !== '') reasons.push(`its region is ${region}, but ${shape.service} ARNs carry no region`);
      if (account !== env.account) reasons.push(`its account is ${account || '(none)'}, but env ${env.name} is in account ${env.account}`);
      if (!shape.resource.test(resource)) reasons.push(`its resource "${resource}" is not ${shape.resourceShape}`);
      return reasons.length === 0 ? { ok: true, value: raw } : { ok: false, expected: describe(env), reason: reasons.join('; ') };
    },
  };
}

/**
 * `arn:aws:iam::<account>:role/<path/><name>`; IAM is global, so the ARN carries no region.
 * Role names are 1-64 of `[\w+=,.@-]` (IAM API reference, CreateRole).
 */
export const iamRoleArn = arn({
  what: 'an IAM role ARN',
  service: 'iam',
  regional: false,
  resourceShape: 'role/<name>',
  resource: /^role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
});

/**
 * `arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<16 hex>`; target group
 * names are 1-32 letters, digits and "-", not starting or ending with "-" (ELBv2 CreateTargetGroup).
 */
export const targetGroupArn = arn({
  what: 'an ELBv2 target group ARN',
  service: 'elasticloadbalancing',
  regional: true,
  resourceShape: 'targetgroup/<name>/<id>',
  resource: /^targetgroup\/[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?\/[0-9a-f]{16}$/,
});

export const securityGroupId = pattern(
  () => 'a security group ID (sg- followed by 8 or 17 hex digits)',
  () => /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
);

export const vpcId = pattern(
  () => 'a VPC ID (vpc- followed by 8 or 17 hex digits)',
  () => /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
);

/** CloudWatch Logs: 1-512 of [A-Za-z0-9_\-/.#]; the `aws/` prefix is reserved for AWS services. */
export const logGroupName: ValueKind<string> = {
  describe: () => 'a CloudWatch Logs group name (1-512 of A-Z a-z 0-9 _ - / . #, not starting with "aws/")',
  check(raw, env) {
    if (raw.startsWith('aws/')) return { ok: false, expected: this.describe(env), reason: 'it starts with "aws/", which AWS reserves for its services' };
    const ok = /^[A-Za-z0-9_\-/.#]{1,512}$/.test(raw);
    return ok ? { ok: true, value: raw } : { ok: false, expected: this.describe(env) };
  },
};

/** EKS cluster names: 1-100 characters, a letter or digit first, then letters, digits, "-" and "_". */
export const eksClusterName = pattern(
  () => 'an EKS cluster name (1-100 of A-Z a-z 0-9 - _, starting with a letter or digit)',
  () => /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/,
);

/** EKS endpoints live under the partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn` in China). */
const dnsSuffixOf = (region: string) => (partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com');

/** The API server endpoint EKS reports, `https://<id>.<zone>.<region>.eks.amazonaws.com`. */
export const eksEndpoint: ValueKind<string> = {
  describe: (env) => `an EKS API endpoint in ${env.region} (https://<id>.<zone>.${env.region}.eks.${dnsSuffixOf(env.region)})`,
  check(raw, env) {
    const match = /^https:\/\/[A-Z0-9]{16,64}\.[a-z0-9]{2,4}\.([a-z0-9-]+)\.eks\.(amazonaws\.com(?:\.cn)?)$/.exec(raw);
    if (match && match[1] === env.region && match[2] === dnsSuffixOf(env.region)) return { ok: true, value: raw };
    const reason = match && match[1] !== env.region ? `its region is ${match[1]}, but env ${env.name} is in ${env.region}` : undefined;
    return { ok: false, expected: this.describe(env), ...(reason ? { reason } : {}) };
  },
};

/** `certificateAuthority.data` as `aws eks describe-cluster` returns it: base64 of a PEM certificate. */
export const certificateAuthorityData: ValueKind<string> = {
  describe: () => 'base64-encoded PEM certificate data (certificateAuthority.data of describe-cluster)',
  check(raw, env) {
    const base64 = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) && raw.length % 4 === 0;
    if (!base64) return { ok: false, expected: this.describe(env), reason: 'it is not base64' };
    const pem = Buffer.from(raw, 'base64').toString('latin1').startsWith('-----BEGIN CERTIFICATE-----');
    return pem ? { ok: true, value: raw } : { ok: false, expected: this.describe(env), reason: 'it does not decode to a PEM certificate' };
  },
};

/**
 * A StringList whose every element is valid for `element`. SSM joins StringList values with ","
 * (so an element can never contain one); an empty element is refused like any malformed one.
 */
export function listOf<T>(element: ValueKind<T>): ValueKind<T[]> {
  return {
    describe: (env) => `a comma-separated list of ${element.describe(env)}`,
    check(raw, env) {
      const values: T[] = [];
      const items = raw.split(',');
      for (const [index, item] of items.entries()) {
        const checked = element.check(item, env);
        if (!checked.ok) {
          const reason = `its element ${index + 1} of ${items.length} ("${item}") is ${checked.reason ? `refused: ${checked.reason}` : 'malformed'}`;
          return { ok: false, expected: this.describe(env), reason };
        }
        values.push(checked.value);
      }
      return { ok: true, value: values };
    },
  };
}

export { acmCertificateArn, dnsZoneName, hostedZoneId, subnetId, wafv2RegionalWebAclArn } from './ingress-values';
