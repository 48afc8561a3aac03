import { describe, expect, it } from 'vitest';
import { checkAwsEnvironment, checkParameter, checkParameterName, parameterArn, parameters, type AwsEnvironment } from '../src/index';

const dev: AwsEnvironment = { name: 'dev', account: '111111111111', region: 'ap-northeast-1', ssmPrefix: '/fargate-gitops/dev' };

/** `arn:aws:ssm:ap-northeast-1:111111111111:parameter/`: what SSM adds to a name when counting 1011. */
const ARN_PREFIX_LENGTH = 'arn:aws:ssm:ap-northeast-1:111111111111:parameter/'.length;

/** A single-level name whose ARN is exactly `arnLength` characters long. */
const nameWithArnLength = (arnLength: number) => `/${'n'.repeat(arnLength - ARN_PREFIX_LENGTH)}`;

describe('SSM parameter name rules', () => {
  it('accepts letters, digits, "_", ".", "-" and "/" separators', () => {
    expect(checkParameterName('/fargate-gitops/dev/Cluster_1/name.v2', dev)).toEqual([]);
  });

  it.each([
    ['/fargate gitops/dev', '" "'],
    ['/fargate-gitops/dev/a$b', '"$"'],
    ['/fargate-gitops/dev/ü', '"ü"'],
    ['/fargate-gitops/dev/a:b', '":"'],
    ['/fargate-gitops/dev/a*b?c', '"*" "?"'],
  ])('refuses %s naming the bad characters', (name, bad) => {
    expect(checkParameterName(name, dev)).toEqual([`${bad}: only letters, digits, "_", ".", "-" and "/" are allowed`]);
  });

  it.each([
    ['fargate-gitops/dev/x', 'a hierarchical name must start with "/"'],
    ['/fargate-gitops//x', 'empty hierarchy level'],
    ['/fargate-gitops/x/', 'empty hierarchy level'],
  ])('refuses %s: %s', (name, problem) => {
    expect(checkParameterName(name, dev)).toContain(problem);
  });

  it('allows 15 hierarchy levels and refuses 16', () => {
    const levels = (n: number) => `/${Array.from({ length: n }, (_, i) => `l${i + 1}`).join('/')}`;

    expect(checkParameterName(levels(15), dev)).toEqual([]);
    expect(checkParameterName(levels(16), dev)).toEqual(['16 hierarchy levels, at most 15 are allowed']);
  });

  it.each(['/aws/x', '/AWS/x', '/Aws-things/x', '/ssm/x', '/SSM/x', '/sSm_x', 'awsTestParameter', 'SSM-testparameter'])(
    'refuses %s: names must not begin with aws or ssm, in any case',
    (name) => {
      expect(checkParameterName(name, dev)).toContain('names must not begin with "aws" or "ssm"');
    },
  );

  it.each(['/fargate-gitops/aws/x', '/my-ssm/x', '/a-aws'])('accepts %s: aws or ssm further in is fine', (name) => {
    expect(checkParameterName(name, dev)).toEqual([]);
  });

  it('counts the ARN prefix in the 1011-character limit: exactly 1011 passes, 1012 is refused', () => {
    const longest = nameWithArnLength(1011);
    const tooLong = nameWithArnLength(1012);

    expect(parameterArn(longest, dev)).toHaveLength(1011);
    expect(checkParameterName(longest, dev)).toEqual([]);
    expect(checkParameterName(tooLong, dev)).toEqual(['1012 characters counting the ARN prefix, at most 1011 are allowed']);
    // The name alone is far below SSM's advertised 2048: only the ARN count catches it.
    expect(tooLong.length).toBeLessThan(1000);
  });

  it('counts the env partition and region in the ARN prefix', () => {
    const name = nameWithArnLength(1011);
    const gov = { account: '111111111111', region: 'us-gov-west-1' };
    const shorter = { account: '111111111111', region: 'us-east-1' };

    expect(parameterArn('/a/b', gov)).toBe('arn:aws-us-gov:ssm:us-gov-west-1:111111111111:parameter/a/b');
    expect(checkParameterName(name, gov)).toEqual(['1017 characters counting the ARN prefix, at most 1011 are allowed']);
    expect(checkParameterName(name, shorter)).toEqual([]);
  });

  it('drops the leading "/" of a hierarchical name in its ARN, as SSM does', () => {
    expect(parameterArn('/fargate-gitops/dev/cluster/name', dev)).toBe('arn:aws:ssm:ap-northeast-1:111111111111:parameter/fargate-gitops/dev/cluster/name');
  });

  it('applies the rules to every parameter through checkParameter, naming the parameter', () => {
    const longPrefix = { ...dev, ssmPrefix: nameWithArnLength(1011 - '/cluster/name'.length + 1) };

    const result = checkParameter(parameters.clusterName, { type: 'String', value: 'fargate-gitops-dev' }, longPrefix);

    expect(result).toEqual({
      ok: false,
      name: `${longPrefix.ssmPrefix}/cluster/name`,
      problem: 'invalid SSM name: 1012 characters counting the ARN prefix, at most 1011 are allowed',
    });
  });
});

describe('checkAwsEnvironment', () => {
  it('accepts a well-formed env', () => {
    expect(checkAwsEnvironment(dev)).toEqual([]);
  });

  it('reports every problem of the identity at once', () => {
    expect(checkAwsEnvironment({ name: 'dev', account: '1111', region: 'tokyo', ssmPrefix: 'fargate-gitops/dev/' })).toEqual([
      'account "1111" is not a 12-digit AWS account ID',
      'region "tokyo" is not an AWS region name like ap-northeast-1',
      'ssmPrefix "fargate-gitops/dev/" must start with "/" and not end with "/"',
    ]);
  });

  it.each([
    ['/aws/dev', 'names must not begin with "aws" or "ssm"'],
    ['/SSM/dev', 'names must not begin with "aws" or "ssm"'],
    ['/fargate gitops/dev', '" ": only letters'],
  ])('refuses the SSM prefix %s once, naming it', (ssmPrefix, problem) => {
    const problems = checkAwsEnvironment({ ...dev, ssmPrefix });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`ssmPrefix "${ssmPrefix}": `);
    expect(problems[0]).toContain(problem);
  });
});
