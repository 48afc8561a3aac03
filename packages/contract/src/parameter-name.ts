import type { AwsEnvironment } from './aws-environment';
import { partitionOf } from './partition';

// SSM Parameter Store name rules (Systems Manager user guide, "Parameter name requirements"):
// case-sensitive; a-z A-Z 0-9 _ . - and "/" as the hierarchy separator; at most 15 levels;
// must not begin with "aws" or "ssm" (any case); at most 1011 characters *including* the
// ARN prefix `arn:<partition>:ssm:<region>:<account>:parameter/`.
const NAME_CHARS = /^[A-Za-z0-9_.\-/]+$/;
const MAX_LEVELS = 15;
const MAX_LENGTH_WITH_ARN = 1011;
const RESERVED_PREFIX = /^\/?(aws|ssm)/i;

/** The parameter's ARN, as SSM counts it against the 1011-character limit. */
export function parameterArn(name: string, env: Pick<AwsEnvironment, 'account' | 'region'>): string {
  return `arn:${partitionOf(env.region)}:ssm:${env.region}:${env.account}:parameter/${name.replace(/^\//, '')}`;
}

/** Every way a full parameter name breaks SSM's rules; empty when it is valid. */
export function checkParameterName(name: string, env: Pick<AwsEnvironment, 'account' | 'region'>): string[] {
  const problems: string[] = [];
  if (!name.startsWith('/')) problems.push('a hierarchical name must start with "/"');
  if (!NAME_CHARS.test(name)) {
    const bad = [...new Set(name.replace(/[A-Za-z0-9_.\-/]/g, ''))].map((c) => JSON.stringify(c)).join(' ');
    problems.push(`${bad || 'an empty name'}: only letters, digits, "_", ".", "-" and "/" are allowed`);
  }
  if (name.includes('//') || (name.length > 1 && name.endsWith('/'))) problems.push('empty hierarchy level');
  const levels = name.split('/').filter(Boolean).length;
  if (levels > MAX_LEVELS) problems.push(`${levels} hierarchy levels, at most ${MAX_LEVELS} are allowed`);
  if (RESERVED_PREFIX.test(name)) problems.push('names must not begin with "aws" or "ssm"');
  const arnLength = parameterArn(name, env).length;
  if (arnLength > MAX_LENGTH_WITH_ARN) {
    problems.push(`${arnLength} characters counting the ARN prefix, at most ${MAX_LENGTH_WITH_ARN} are allowed`);
  }
  return problems;
}
