import { describe, expect, it } from 'vitest';
import { checkParameter, parameters, values, type AwsEnvironment, type ParameterDefinition } from '../src/index';

const dev: AwsEnvironment = { name: 'dev', account: '111111111111', region: 'ap-northeast-1', ssmPrefix: '/fargate-gitops/dev' };
const china: AwsEnvironment = { name: 'cn', account: '444444444444', region: 'cn-north-1', ssmPrefix: '/fargate-gitops/cn' };

const pem = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAV\n-----END CERTIFICATE-----\n').toString('base64');

/** Checks `value` as SSM would hand it over, returning the problem line (or the parsed value). */
function check(definition: ParameterDefinition, value: string, env = dev, type = definition.type) {
  return checkParameter(definition, { type, value }, env);
}

function problemOf(definition: ParameterDefinition, value: string, env = dev): string {
  const result = check(definition, value, env);
  if (result.ok) throw new Error(`expected "${value}" to be refused`);
  return result.problem;
}

interface KindCases {
  readonly definition: ParameterDefinition;
  readonly good: readonly string[];
  /** Bad value → text its problem must contain (the specific reason where the kind gives one). */
  readonly bad: Readonly<Record<string, string>>;
}

const role = (resource: string, account = '111111111111', partition = 'aws', region = '') =>
  `arn:${partition}:iam:${region}:${account}:${resource}`;
const targetGroup = (resource: string, region = 'ap-northeast-1', account = '111111111111', partition = 'aws') =>
  `arn:${partition}:elasticloadbalancing:${region}:${account}:${resource}`;

const kinds: Record<string, KindCases> = {
  'IAM role ARN': {
    definition: parameters.loadBalancerControllerRoleArn,
    good: [role('role/fargate-gitops-dev-lbc'), role('role/service-role/a.b+c=d,e@f_g-h'), role(`role/${'r'.repeat(64)}`)],
    bad: {
      [role('role/x', '222222222222')]: 'its account is 222222222222, but env dev is in account 111111111111',
      [role('role/x', '111111111111', 'aws-cn')]: 'its partition is aws-cn, but env dev (ap-northeast-1) is in partition aws',
      [role('role/x', '111111111111', 'aws', 'ap-northeast-1')]: 'its region is ap-northeast-1, but iam ARNs carry no region',
      [role('user/x')]: 'its resource "user/x" is not role/<name>',
      [role(`role/${'r'.repeat(65)}`)]: 'is not role/<name>',
      [role('role/has space')]: 'is not role/<name>',
      'arn:aws:sts::111111111111:assumed-role/x/session': 'its service is sts, not iam',
      'fargate-gitops-dev-lbc': 'it is not an ARN',
      '': 'it is not an ARN',
    },
  },
  'ELBv2 target group ARN': {
    definition: parameters.appTargetGroupArn('web'),
    good: [
      targetGroup('targetgroup/dev-web/0123456789abcdef'),
      targetGroup(`targetgroup/${'t'.repeat(32)}/0123456789abcdef`),
      targetGroup('targetgroup/a/fedcba9876543210'),
    ],
    bad: {
      [targetGroup('targetgroup/dev-web/0123456789abcdef', 'us-east-1')]: 'its region is us-east-1, but env dev is in ap-northeast-1',
      [targetGroup('targetgroup/dev-web/0123456789abcdef', 'ap-northeast-1', '222222222222')]:
        'its account is 222222222222, but env dev is in account 111111111111',
      [targetGroup('targetgroup/dev-web/0123456789abcdef', 'ap-northeast-1', '111111111111', 'aws-us-gov')]:
        'its partition is aws-us-gov, but env dev (ap-northeast-1) is in partition aws',
      [targetGroup('targetgroup/dev-web/0123456789ABCDEF')]: 'is not targetgroup/<name>/<id>',
      [targetGroup('targetgroup/dev-web/0123456789abcde')]: 'is not targetgroup/<name>/<id>',
      [targetGroup('targetgroup/-web/0123456789abcdef')]: 'is not targetgroup/<name>/<id>',
      [targetGroup(`targetgroup/${'t'.repeat(33)}/0123456789abcdef`)]: 'is not targetgroup/<name>/<id>',
      [targetGroup('loadbalancer/app/dev/0123456789abcdef')]: 'is not targetgroup/<name>/<id>',
      'arn:aws:elasticloadbalancing:ap-northeast-1:111111111111': 'it is not an ARN',
    },
  },
  'security group ID': {
    definition: parameters.albSecurityGroupId,
    good: ['sg-0a1b2c3d', 'sg-0a1b2c3d4e5f60011'],
    bad: {
      'sg-xyz12345': 'is malformed',
      'sg-0A1B2C3D': 'is malformed',
      'sg-0a1b2c3d4': 'is malformed',
      'vpc-0a1b2c3d': 'is malformed',
      ' sg-0a1b2c3d': 'is malformed',
      '': 'is malformed',
    },
  },
  'VPC ID': {
    definition: parameters.vpcId,
    good: ['vpc-0a1b2c3d', 'vpc-0a1b2c3d4e5f60001'],
    bad: { 'vpc-0a1b2c3': 'is malformed', 'vpc-0a1b2c3d4e5f6000': 'is malformed', 'sg-0a1b2c3d': 'is malformed', 'VPC-0a1b2c3d': 'is malformed' },
  },
  'log group name': {
    definition: parameters.fargateLogGroupName,
    good: ['/eks/fargate-gitops-dev/pods', 'a#b.c_d-e/f', 'x'.repeat(512)],
    bad: {
      'aws/eks/pods': 'it starts with "aws/", which AWS reserves for its services',
      ['x'.repeat(513)]: 'is malformed',
      'has space': 'is malformed',
      'colon:name': 'is malformed',
      '': 'is malformed',
    },
  },
  'EKS cluster name': {
    definition: parameters.clusterName,
    good: ['fargate-gitops-dev', 'A_1', 'c'.repeat(100)],
    bad: { '-leading-dash': 'is malformed', ['c'.repeat(101)]: 'is malformed', 'has.dot': 'is malformed', '': 'is malformed' },
  },
  'EKS endpoint': {
    definition: parameters.clusterEndpoint,
    good: ['https://6E1F3A9C2B7D4E8F0A1B2C3D4E5F6A7B.gr7.ap-northeast-1.eks.amazonaws.com'],
    bad: {
      'https://6E1F3A9C2B7D4E8F0A1B2C3D4E5F6A7B.gr7.us-east-1.eks.amazonaws.com': 'its region is us-east-1, but env dev is in ap-northeast-1',
      'http://6E1F3A9C2B7D4E8F0A1B2C3D4E5F6A7B.gr7.ap-northeast-1.eks.amazonaws.com': 'is malformed',
      'https://6E1F3A9C2B7D4E8F0A1B2C3D4E5F6A7B.gr7.ap-northeast-1.eks.amazonaws.com/': 'is malformed',
      'https://6E1F3A9C2B7D4E8F0A1B2C3D4E5F6A7B.gr7.ap-northeast-1.eks.amazonaws.com.cn': 'is malformed',
      'https://example.com': 'is malformed',
    },
  },
  'certificate authority data': {
    definition: parameters.clusterCertificateAuthority,
    good: [pem],
    bad: {
      [Buffer.from('-----BEGIN PUBLIC KEY-----\n').toString('base64')]: 'it does not decode to a PEM certificate',
      '-----BEGIN CERTIFICATE-----': 'it is not base64',
      [pem.slice(0, -1)]: 'it is not base64',
      'not base64!': 'it is not base64',
    },
  },
};

describe.each(Object.entries(kinds))('%s', (_, { definition, good, bad }) => {
  it.each(good.map((value) => [value.length > 70 ? `${value.slice(0, 70)}...` : value, value]))('accepts %s', (_, value) => {
    // GIVEN a value of the right shape, account and region WHEN checked THEN it is returned as is
    expect(check(definition, value)).toEqual({ ok: true, value });
  });

  it.each(Object.entries(bad).map(([value, reason]) => [value.length > 70 ? `${value.slice(0, 70)}...` : value || '(empty)', value, reason]))(
    'refuses %s',
    (_, value, reason) => {
      // WHEN a bad value is checked
      const result = check(definition, value);
      // THEN the problem names the parameter, the specific reason and what was expected
      expect(result).toMatchObject({ ok: false, name: `/fargate-gitops/dev/${definition.path}` });
      const problem = (result as { problem: string }).problem;
      expect(problem).toContain(reason);
      expect(problem).toContain(`; expected ${definition.kind.describe(dev)}`);
    },
  );
});

describe('ARN checks', () => {
  it('reports every wrong part of one ARN, not only the first', () => {
    const problem = problemOf(parameters.appTargetGroupArn('web'), targetGroup('targetgroup/dev-web/0123456789abcdef', 'us-east-1', '222222222222'));

    expect(problem).toContain('its region is us-east-1, but env dev is in ap-northeast-1');
    expect(problem).toContain('its account is 222222222222, but env dev is in account 111111111111');
  });

  it('expects the partition and DNS suffix of the env region (China)', () => {
    const endpoint = 'https://6E1F3A9C2B7D4E8F0A1B2C3D4E5F6A7B.yl4.cn-north-1.eks.amazonaws.com.cn';

    expect(check(parameters.loadBalancerControllerRoleArn, 'arn:aws-cn:iam::444444444444:role/lbc', china).ok).toBe(true);
    expect(check(parameters.clusterEndpoint, endpoint, china).ok).toBe(true);
    expect(problemOf(parameters.loadBalancerControllerRoleArn, 'arn:aws:iam::444444444444:role/lbc', china)).toContain(
      'its partition is aws, but env cn (cn-north-1) is in partition aws-cn',
    );
    expect(problemOf(parameters.clusterEndpoint, endpoint.replace('.com.cn', '.com'), china)).toContain('is malformed');
  });

  it('describes the expected ARN with the env account, region and partition', () => {
    expect(values.targetGroupArn.describe(dev)).toBe(
      'an ELBv2 target group ARN in ap-northeast-1/111111111111 ' +
        '(arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/<name>/<id>)',
    );
    expect(values.iamRoleArn.describe(china)).toBe('an IAM role ARN in account 444444444444 (arn:aws-cn:iam::444444444444:role/<name>)');
  });
});

describe('StringList', () => {
  const securityGroups: ParameterDefinition<string[]> = {
    path: 'network/security-group-ids',
    type: 'StringList',
    description: 'security groups',
    kind: values.listOf(values.securityGroupId),
  };
  const roles: ParameterDefinition<string[]> = {
    path: 'apps/web/role-arns',
    type: 'StringList',
    description: 'roles',
    kind: values.listOf(values.iamRoleArn),
  };

  it('accepts a comma-separated list and returns its elements', () => {
    expect(check(securityGroups, 'sg-0a1b2c3d,sg-0a1b2c3d4e5f60011')).toEqual({ ok: true, value: ['sg-0a1b2c3d', 'sg-0a1b2c3d4e5f60011'] });
    expect(check(securityGroups, 'sg-0a1b2c3d')).toEqual({ ok: true, value: ['sg-0a1b2c3d'] });
  });

  it.each([
    ['sg-0a1b2c3d,sg-bad', 'its element 2 of 2 ("sg-bad") is malformed'],
    ['sg-0a1b2c3d, sg-0a1b2c3e', 'its element 2 of 2 (" sg-0a1b2c3e") is malformed'],
    ['sg-0a1b2c3d,', 'its element 2 of 2 ("") is malformed'],
    ['', 'its element 1 of 1 ("") is malformed'],
  ])('refuses %j naming the bad element', (value, reason) => {
    expect(problemOf(securityGroups, value)).toContain(reason);
  });

  it('passes an element ARN check reason through', () => {
    expect(problemOf(roles, `${role('role/a')},${role('role/b', '222222222222')}`)).toContain(
      'its element 2 of 2 ("arn:aws:iam::222222222222:role/b") is refused: its account is 222222222222',
    );
  });

  it('refuses a String where a StringList is declared, and the other way round', () => {
    const asString = check(securityGroups, 'sg-0a1b2c3d', dev, 'String');
    const asList = check(parameters.vpcId, 'vpc-0a1b2c3d', dev, 'StringList');

    expect(asString).toMatchObject({ ok: false, problem: expect.stringMatching(/^has type String; expected StringList holding a comma-separated list/) });
    expect(asList).toMatchObject({ ok: false, problem: expect.stringMatching(/^has type StringList; expected String holding a VPC ID/) });
  });
});

describe('checkParameter', () => {
  it('refuses a SecureString without echoing its value', () => {
    const result = checkParameter(parameters.vpcId, { type: 'SecureString', value: 'vpc-0a1b2c3d-hunter2' }, dev);

    expect(result).toEqual({
      ok: false,
      name: '/fargate-gitops/dev/network/vpc-id',
      problem: 'is a SecureString, which the generator refuses to read; expected String holding a VPC ID (vpc- followed by 8 or 17 hex digits)',
    });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('reports a missing parameter with its full name and what was expected', () => {
    expect(checkParameter(parameters.appRoleArn('api'), undefined, dev)).toEqual({
      ok: false,
      name: '/fargate-gitops/dev/apps/api/role-arn',
      problem: 'missing; expected String holding an IAM role ARN in account 111111111111 (arn:aws:iam::111111111111:role/<name>)',
    });
  });

  it('refuses an unknown type', () => {
    expect(checkParameter(parameters.vpcId, { type: 'Text', value: 'vpc-0a1b2c3d' }, dev)).toMatchObject({ ok: false, problem: expect.stringMatching(/^has type Text;/) });
  });

  it('cuts a long malformed value so the error line stays readable', () => {
    const value = `${'QUFB'.repeat(500)}`;
    const problem = problemOf(parameters.clusterCertificateAuthority, value);

    expect(problem).toContain(`value "${value.slice(0, 60)}... (2000 characters)" is refused: it does not decode to a PEM certificate`);
    expect(problem.length).toBeLessThan(300);
  });

  it('refuses a definition whose full name breaks the SSM name rules, before looking at the value', () => {
    const badPath: ParameterDefinition = { ...parameters.vpcId, path: 'network/vpc id' };

    expect(check(badPath, 'vpc-0a1b2c3d')).toEqual({
      ok: false,
      name: '/fargate-gitops/dev/network/vpc id',
      problem: 'invalid SSM name: " ": only letters, digits, "_", ".", "-" and "/" are allowed',
    });
  });
});

describe('the parameter declarations', () => {
  // Per-app declarations are functions of the app name; every one is checked for app "web".
  const declared = Object.values(parameters as Record<string, ParameterDefinition | ((app: string) => ParameterDefinition)>).map((p) =>
    typeof p === 'function' ? p('web') : p,
  );

  it('declare each path once, as String or StringList', () => {
    const paths = declared.map((p) => p.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const p of declared) expect(['String', 'StringList']).toContain(p.type);
  });

  it('are valid SSM names under a realistic prefix (a missing value is the only problem)', () => {
    for (const definition of declared) {
      expect(checkParameter(definition, undefined, dev)).toMatchObject({ ok: false, problem: expect.stringMatching(/^missing; /) });
    }
  });

  it('refuse an app name that is not a DNS label, since it becomes a path segment', () => {
    expect(() => parameters.appRoleArn('Web_App')).toThrow('app name "Web_App" is not a DNS label');
    expect(() => parameters.appTargetGroupArn('web/../api')).toThrow('is not a DNS label');
  });
});
