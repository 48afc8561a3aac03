import { partitionOf, type AwsEnvironment } from './aws-environment';

/** The outcome of checking one parameter value: the parsed value, or what was expected. */
export type Checked<T> = { ok: true; value: T } | { ok: false; expected: string };

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

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `arn:aws:iam::<account>:role/<path/><name>`; IAM is global, so the ARN carries no region. */
export const iamRoleArn = pattern(
  (env) => `an IAM role ARN in account ${env.account} (arn:${partitionOf(env.region)}:iam::${env.account}:role/<name>)`,
  (env) => new RegExp(`^arn:${partitionOf(env.region)}:iam::${env.account}:role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}$`),
);

/** `arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<16 hex>`. */
export const targetGroupArn = pattern(
  (env) =>
    `an ELBv2 target group ARN in ${env.region}/${env.account} ` +
    `(arn:${partitionOf(env.region)}:elasticloadbalancing:${env.region}:${env.account}:targetgroup/<name>/<id>)`,
  (env) =>
    new RegExp(
      `^arn:${partitionOf(env.region)}:elasticloadbalancing:${escape(env.region)}:${env.account}:targetgroup/` +
        '[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?/[0-9a-f]{16}$',
    ),
);

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
    const ok = /^[A-Za-z0-9_\-/.#]{1,512}$/.test(raw) && !raw.startsWith('aws/');
    return ok ? { ok: true, value: raw } : { ok: false, expected: this.describe(env) };
  },
};

/** EKS cluster names: 1-100 characters, a letter or digit first, then letters, digits, "-" and "_". */
export const eksClusterName = pattern(
  () => 'an EKS cluster name (1-100 of A-Z a-z 0-9 - _, starting with a letter or digit)',
  () => /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/,
);

/** The API server endpoint EKS reports, `https://<id>.<zone>.<region>.eks.amazonaws.com`. */
export const eksEndpoint = pattern(
  (env) => `an EKS API endpoint in ${env.region} (https://<id>.<zone>.${env.region}.eks.amazonaws.com)`,
  (env) => new RegExp(`^https://[A-Z0-9]{16,64}\\.[a-z0-9]{2,4}\\.${escape(env.region)}\\.eks\\.amazonaws\\.com$`),
);

/** `certificateAuthority.data` as `aws eks describe-cluster` returns it: base64 of a PEM certificate. */
export const certificateAuthorityData: ValueKind<string> = {
  describe: () => 'base64-encoded PEM certificate data (certificateAuthority.data of describe-cluster)',
  check(raw, env) {
    const base64 = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) && raw.length % 4 === 0;
    const pem = base64 && Buffer.from(raw, 'base64').toString('latin1').startsWith('-----BEGIN CERTIFICATE-----');
    return pem ? { ok: true, value: raw } : { ok: false, expected: this.describe(env) };
  },
};

/** A StringList whose every element is valid for `element`; SSM joins StringList values with ",". */
export function listOf<T>(element: ValueKind<T>): ValueKind<T[]> {
  return {
    describe: (env) => `a comma-separated list of ${element.describe(env)}`,
    check(raw, env) {
      const values: T[] = [];
      for (const item of raw.split(',')) {
        const checked = element.check(item, env);
        if (!checked.ok) return { ok: false, expected: this.describe(env) };
        values.push(checked.value);
      }
      return { ok: true, value: values };
    },
  };
}
