import { checkParameterName } from './parameter-name';

/**
 * Where an environment's AWS resources live. Both halves of the contract (packages/infra,
 * which writes parameters, and the generator, which reads them) identify an environment
 * by these four values, so ARNs can be checked against the right account and region.
 */
export interface AwsEnvironment {
  /** Environment name, e.g. `dev`. */
  readonly name: string;
  /** 12-digit AWS account ID. */
  readonly account: string;
  /** AWS region, e.g. `ap-northeast-1`. */
  readonly region: string;
  /** SSM path every parameter of this environment lives under, e.g. `/fargate-gitops/dev`. */
  readonly ssmPrefix: string;
}

export { partitionOf } from './partition';

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Problems with the identity itself (account, region, prefix), one message each. */
export function checkAwsEnvironment(env: AwsEnvironment): string[] {
  const problems: string[] = [];
  if (!ACCOUNT.test(env.account)) problems.push(`account "${env.account}" is not a 12-digit AWS account ID`);
  if (!REGION.test(env.region)) problems.push(`region "${env.region}" is not an AWS region name like ap-northeast-1`);
  if (!env.ssmPrefix.startsWith('/') || env.ssmPrefix.endsWith('/')) {
    problems.push(`ssmPrefix "${env.ssmPrefix}" must start with "/" and not end with "/"`);
  } else {
    // Every parameter name starts with the prefix: a prefix SSM refuses is one error here,
    // not one per parameter later.
    for (const problem of checkParameterName(env.ssmPrefix, env)) problems.push(`ssmPrefix "${env.ssmPrefix}": ${problem}`);
  }
  return problems;
}
