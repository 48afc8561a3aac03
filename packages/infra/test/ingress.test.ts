import type { AppDefinition } from '@gitops/app';
import type { EnvironmentSpec } from '@gitops/core';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildInfraApp, type InfraSettings } from '../src/index';
import { fixtureApps, fixtureEnv, fixtureSettings, fixtureWorkspace, problemsOf, resourcesOf } from './support';

// The infra side of the Ingress way: the ExternalDNS role and the Ingress parameters exist exactly
// in envs with an Ingress app, and each inconsistent input is one problem naming the file to fix.
const tool: AppDefinition = {
  name: 'tool',
  image: 'public.ecr.aws/example-org/tool:1.0.0',
  ports: [{ port: 8080 }],
  expose: { via: 'ingress', host: 'tool.qa.example.com' },
};
const env = fixtureEnv({ apps: { shop: {}, jobs: {}, tool: {} }, ingress: { groups: { internal: { scheme: 'internal' } } } });
const build = (envSpec: EnvironmentSpec, settings: InfraSettings = fixtureSettings(), apps: readonly AppDefinition[] = [...fixtureApps, tool]) =>
  buildInfraApp({ workspace: fixtureWorkspace([envSpec], apps), settings: { [envSpec.name]: settings }, nag: false, cloudFormationValidation: false });

describe('the Ingress way in infra', () => {
  it('writes the Ingress parameters and an ExternalDNS role for an env with an Ingress app, and makes it no target group', () => {
    const template = Template.fromStack(build(env).stacks.get('qa')!).toJSON() as { Resources: Record<string, any> };
    const names = resourcesOf(template, 'AWS::SSM::Parameter').map(([, r]) => `${r.Properties.Name} ${r.Properties.Type}`);
    expect(names).toEqual(
      expect.arrayContaining([
        '/fargate-gitops/qa/dns/hosted-zone-id String',
        '/fargate-gitops/qa/dns/zone-name String',
        '/fargate-gitops/qa/ingress/certificate-arn String',
        '/fargate-gitops/qa/ingress/web-acl-arn String',
        '/fargate-gitops/qa/network/private-subnet-ids StringList',
        '/fargate-gitops/qa/network/public-subnet-ids StringList',
        '/fargate-gitops/qa/platform/external-dns/role-arn String',
      ]),
    );
    expect(names.some((n) => n.includes('/apps/tool/'))).toBe(false);
    expect(resourcesOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup')).toHaveLength(1);
    expect(resourcesOf(template, 'AWS::IAM::Role').filter(([id]) => id.startsWith('ExternalDnsRole'))).toHaveLength(1);
  });

  it('makes neither without an Ingress app', () => {
    const template = Template.fromStack(build(fixtureEnv()).stacks.get('qa')!).toJSON() as { Resources: Record<string, any> };
    expect(resourcesOf(template, 'AWS::SSM::Parameter').filter(([, r]) => /dns\/|ingress\/|subnet-ids|external-dns/.test(r.Properties.Name))).toEqual([]);
    expect(resourcesOf(template, 'AWS::IAM::Role').filter(([id]) => id.startsWith('ExternalDnsRole'))).toEqual([]);
  });

  it('refuses an Ingress app in an env without a hosted zone', () => {
    const settings = fixtureSettings({ certificate: { arn: 'arn:aws:acm:ap-northeast-1:444444444444:certificate/0a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' }, dns: undefined });
    const problems = problemsOf(() => build(env, settings));
    expect(problems).toEqual([
      expect.objectContaining({ file: 'packages/infra/src/environments/qa.ts', parameter: 'dns', message: expect.stringMatching(/^apps of env qa are exposed through Ingresses \(tool\.qa\.example\.com\)/) }),
    ]);
  });

  it('refuses an Ingress host the shared ALB also serves', () => {
    const same = { ...tool, expose: { via: 'ingress' as const, host: 'shop.qa.example.com' } };
    expect(problemsOf(() => build(env, fixtureSettings(), [...fixtureApps, same])).map((p) => `${p.file}: ${p.parameter}: ${p.message}`)).toEqual([
      'apps/tool/src/index.ts: expose.host: host shop.qa.example.com is also served by the shared ALB (a target-group app\'s host); one DNS name points at one ALB',
    ]);
  });

  it('refuses an Ingress host outside the zone or the certificate, and a host for it in appHosts (both ways)', () => {
    const outside = { ...tool, expose: { via: 'ingress' as const, host: 'tool.example.org' } };
    const problems = problemsOf(() => build(env, fixtureSettings({ appHosts: { tool: 'tool.qa.example.com' } }), [...fixtureApps, outside]));
    expect(problems.map((p) => `${p.file}: ${p.parameter}: ${p.message}`)).toEqual([
      'packages/infra/src/environments/qa.ts: appHosts.tool: app tool is exposed through an Ingress, not the shared ALB; an app is exposed one way per env: set its host in clusters/qa/env.ts apps.tool.expose.host',
      'packages/infra/src/environments/qa.ts: dns: Ingress host tool.example.org is outside the hosted zone qa.example.com',
      'packages/infra/src/environments/qa.ts: certificate: Ingress host tool.example.org is not covered by the certificate (*.qa.example.com), which the Ingress ALBs share: add it',
    ]);
  });
});
