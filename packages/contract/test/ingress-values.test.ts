import { describe, expect, it } from 'vitest';
import { checkParameter, parameters, type AwsEnvironment, type ParameterDefinition } from '../src/index';

const dev: AwsEnvironment = { name: 'dev', account: '111111111111', region: 'ap-northeast-1', ssmPrefix: '/fargate-gitops/dev' };

const problem = (definition: ParameterDefinition, value: string) => {
  const result = checkParameter(definition, { type: definition.type, value }, dev);
  return result.ok ? 'accepted' : result.problem;
};
const uuid = '0a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';

describe('the Ingress parameters: each value checked, account and region named when wrong', () => {
  it('an ACM certificate of the env account and region', () => {
    expect(problem(parameters.ingressCertificateArn, `arn:aws:acm:ap-northeast-1:111111111111:certificate/${uuid}`)).toBe('accepted');
    expect(problem(parameters.ingressCertificateArn, `arn:aws:acm:us-east-1:111111111111:certificate/${uuid}`)).toContain('its region is us-east-1, but env dev is in ap-northeast-1');
    expect(problem(parameters.ingressCertificateArn, `arn:aws:acm:ap-northeast-1:222222222222:certificate/${uuid}`)).toContain('its account is 222222222222, but env dev is in account 111111111111');
    expect(problem(parameters.ingressCertificateArn, 'arn:aws:acm:ap-northeast-1:111111111111:certificate/nope')).toContain('its resource "certificate/nope" is not certificate/<id>');
  });

  it('a regional WAFv2 web ACL, never a CloudFront (global) one', () => {
    const acl = (scope: string, region = 'ap-northeast-1') => `arn:aws:wafv2:${region}:111111111111:${scope}/webacl/dev-acl/${uuid}`;
    expect(problem(parameters.ingressWebAclArn, acl('regional'))).toBe('accepted');
    expect(problem(parameters.ingressWebAclArn, acl('global', 'us-east-1'))).toMatch(/its region is us-east-1, .*its resource "global\/webacl\/dev-acl\/.*" is not regional\/webacl\/<name>\/<id>/);
    expect(problem(parameters.ingressWebAclArn, acl('regional').replace('wafv2', 'waf-regional'))).toContain('its service is waf-regional, not wafv2');
  });

  it('a bare hosted zone ID and a lower-case zone name without the trailing dot', () => {
    expect(problem(parameters.dnsHostedZoneId, 'Z0000000000000000DEV')).toBe('accepted');
    expect(problem(parameters.dnsHostedZoneId, '/hostedzone/Z0000000000000000DEV')).toContain('carries the /hostedzone/ prefix');
    expect(problem(parameters.dnsHostedZoneId, 'z123')).toContain('is malformed');
    expect(problem(parameters.dnsZoneName, 'dev.example.com')).toBe('accepted');
    expect(problem(parameters.dnsZoneName, 'dev.example.com.')).toContain('it ends with a dot');
    expect(problem(parameters.dnsZoneName, 'Dev.Example.com')).toContain('it is not lower case');
    expect(problem(parameters.dnsZoneName, 'localhost')).toContain('is malformed');
  });

  it('subnet lists as StringLists of subnet IDs', () => {
    expect(parameters.privateSubnetIds.type).toBe('StringList');
    expect(parameters.publicSubnetIds.type).toBe('StringList');
    expect(checkParameter(parameters.privateSubnetIds, { type: 'StringList', value: 'subnet-0a1b2c3d4e5f60101,subnet-0123abcd' }, dev)).toEqual({
      ok: true,
      value: ['subnet-0a1b2c3d4e5f60101', 'subnet-0123abcd'],
    });
    expect(problem(parameters.publicSubnetIds, 'subnet-0a1b2c3d4e5f60101,sg-0123abcd')).toContain('its element 2 of 2 ("sg-0123abcd") is malformed');
    expect(checkParameter(parameters.publicSubnetIds, { type: 'String', value: 'subnet-0123abcd' }, dev)).toMatchObject({ ok: false, problem: expect.stringContaining('has type String') });
  });

  it('the ExternalDNS role in the env account', () => {
    expect(problem(parameters.externalDnsRoleArn, 'arn:aws:iam::111111111111:role/fargate-gitops-dev-external-dns')).toBe('accepted');
    expect(problem(parameters.externalDnsRoleArn, 'arn:aws:iam::333333333333:role/fargate-gitops-prod-external-dns')).toContain('its account is 333333333333');
  });
});
