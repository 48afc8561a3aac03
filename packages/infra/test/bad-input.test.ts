import type { AppDefinition } from '@gitops/app';
import type { EnvironmentSpec } from '@gitops/core';
import { describe, expect, it } from 'vitest';
import { buildInfraApp } from '../src/index';
import { fixtureApps, fixtureEnv, fixtureSettings, fixtureWorkspace, problemsOf } from './support';

// Every case goes through buildInfraApp, the function `pnpm --filter @gitops/infra synth` runs:
// the inputs are checked before any construct exists, so these cost no CloudFormation synthesis.
const synthInfra = (envs: EnvironmentSpec[], apps: readonly AppDefinition[] = fixtureApps, settings = fixtureSettings()) =>
  problemsOf(() =>
    buildInfraApp({
      workspace: fixtureWorkspace(envs, apps),
      settings: Object.fromEntries(envs.map((env) => [env.name, settings])),
      nag: false,
      cloudFormationValidation: false,
    }),
  );

const shop = fixtureApps[0]!;
const jobs = fixtureApps[1]!;

describe('bad input is a clear error at synth', () => {
  it('names the env, file and field when the account is missing', () => {
    // GIVEN an env spec without an account
    const env = fixtureEnv({ account: undefined as unknown as string });
    // WHEN the infra app is synthesized
    const problems = synthInfra([env]);
    // THEN one problem says the account is missing, in clusters/qa/env.ts
    expect(problems).toContainEqual(
      expect.objectContaining({ env: 'qa', file: 'clusters/qa/env.ts', parameter: 'account', message: expect.stringMatching(/^account is missing/) }),
    );
  });

  it('names the env, file and field when the region is missing', () => {
    const env = fixtureEnv({ region: '' });
    const problems = synthInfra([env]);
    expect(problems).toContainEqual(
      expect.objectContaining({ env: 'qa', file: 'clusters/qa/env.ts', parameter: 'region', message: expect.stringMatching(/^region is missing/) }),
    );
  });

  it('reports a malformed account with the contract rule', () => {
    const problems = synthInfra([fixtureEnv({ account: '1234' })]);
    expect(problems.map((problem) => problem.message)).toContain('account "1234" is not a 12-digit AWS account ID');
  });

  it("refuses an app's secret whose name Secrets Manager would refuse, before any secret or grant exists", () => {
    // GIVEN an app reading a secret whose name has a space
    const apps = [shop, { ...jobs, secrets: { DB_PASSWORD: { secretsManager: 'jobs db' } } }];
    // WHEN synthesized
    const problems = synthInfra([fixtureEnv()], apps);
    // THEN the app's file and field are named, with the same words synth uses
    expect(problems).toEqual([
      {
        env: 'qa',
        component: 'app-jobs',
        file: 'apps/jobs/src/index.ts',
        parameter: 'secrets.DB_PASSWORD.secretsManager',
        message: '"jobs db" is not a secret name relative to the app (letters, digits and /_+=.@-, no leading, trailing or double "/")',
      },
    ]);
  });

  it('refuses an app that declares AWS access with an empty policy', () => {
    // GIVEN an app with `aws: { policy: [] }`
    const apps = [shop, { ...jobs, aws: { policy: [] } }];
    // WHEN synthesized
    const problems = synthInfra([fixtureEnv()], apps);
    // THEN the error names the app's component and file and says what to do
    expect(problems).toEqual([
      expect.objectContaining({
        env: 'qa',
        component: 'app-jobs',
        file: 'apps/jobs/src/index.ts',
        message: expect.stringContaining('declares AWS access (aws) with an empty policy'),
      }),
    ]);
  });

  it('refuses two apps claiming the same host and path, naming both', () => {
    // GIVEN a second exposed app on shop's host with one of shop's paths
    const copy: AppDefinition = { ...shop, name: 'shop-v2', aws: undefined, expose: { host: 'SHOP.qa.example.com', paths: ['/api/*'] } };
    const env = fixtureEnv({ apps: { shop: {}, jobs: {}, 'shop-v2': {} } });
    // WHEN synthesized
    const problems = synthInfra([env], [...fixtureApps, copy]);
    // THEN exactly one problem, on the later app, naming the earlier one (hosts compare case-insensitively)
    expect(problems).toEqual([
      expect.objectContaining({
        component: 'app-shop-v2',
        message: 'claims host shop.qa.example.com path /api/*, which app shop also claims: one listener rule can forward to only one of them',
      }),
    ]);
  });

  it("refuses an app whose catch-all would be evaluated before a more specific path of its own", () => {
    const backwards: AppDefinition = { ...shop, expose: { ...shop.expose!, paths: ['/*', '/api/*'] } };
    const problems = synthInfra([fixtureEnv()], [backwards, ...fixtureApps.filter((app) => app.name !== 'shop')]);
    expect(problems).toEqual([
      expect.objectContaining({
        component: 'app-shop',
        file: 'apps/shop/src/index.ts',
        parameter: 'expose.paths',
        message:
          'rule shop.qa.example.com /api/* (priority 23901) would never match what rule shop.qa.example.com /* of app shop (priority 23900) matches first: list the more specific path first',
      }),
    ]);
  });

  it("refuses an app whose specific rule sits in a later block than another app's overlapping catch-all, naming the block to move below", () => {
    // GIVEN an any-host app at block 100 and an app whose /api/* on shop's host sits in block 200
    const catchAll: AppDefinition = { name: 'front', image: 'x/front:1', ports: [{ port: 80 }], expose: { priority: 100 } };
    const api: AppDefinition = { name: 'shopapi', image: 'x/api:1', ports: [{ port: 80 }], expose: { host: 'shop.qa.example.com', paths: ['/v2/*'], priority: 200 } };
    const env = fixtureEnv({ apps: { jobs: {}, front: {}, shopapi: {} } });
    const problems = synthInfra([env], [...fixtureApps, catchAll, api]);
    expect(problems).toEqual([
      expect.objectContaining({
        component: 'app-shopapi',
        parameter: 'expose.priority',
        message: 'rule shop.qa.example.com /v2/* (priority 20000) would never match what rule (any host) /* of app front (priority 10000) matches first: set expose.priority below 100',
      }),
    ]);
  });

  it('refuses two apps in one priority block, naming both', () => {
    const other: AppDefinition = { name: 'blog', image: 'x/blog:1', ports: [{ port: 80 }], expose: { host: 'blog.qa.example.com', priority: 239 } };
    const env = fixtureEnv({ apps: { shop: {}, jobs: {}, blog: {} } });
    expect(synthInfra([env], [...fixtureApps, other])).toEqual([
      expect.objectContaining({
        component: 'app-shop',
        message: "listener-rule priority block 239 (derived from the name) is app blog's too: set expose.priority to a free block from 1 to 499 in apps/shop/src/index.ts",
      }),
    ]);
  });

  it('refuses two any-host apps on the default path', () => {
    const a: AppDefinition = { name: 'a', image: 'x/a:1', ports: [{ port: 80 }], expose: {} };
    const b: AppDefinition = { name: 'b', image: 'x/b:1', ports: [{ port: 80 }], expose: {} };
    const problems = synthInfra([fixtureEnv({ apps: { a: {}, b: {} } })], [a, b]);
    expect(problems.map((problem) => problem.message)).toEqual([
      'claims host (any) path /*, which app a also claims: one listener rule can forward to only one of them',
    ]);
  });

  it('reports every problem of every env at once', () => {
    // GIVEN two broken envs
    const first = fixtureEnv({ name: 'qa', region: '' });
    const second = fixtureEnv({ name: 'qa2', account: '' });
    // WHEN synthesized
    const problems = synthInfra([first, second]);
    // THEN both envs are reported
    expect(new Set(problems.map((problem) => problem.env))).toEqual(new Set(['qa', 'qa2']));
  });

  it('refuses an env without infra settings, naming the file to add', () => {
    const problems = problemsOf(() =>
      buildInfraApp({ workspace: fixtureWorkspace([fixtureEnv()]), settings: {}, nag: false, cloudFormationValidation: false }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'packages/infra/src/environments/qa.ts',
        message: 'no infra settings for env qa: add packages/infra/src/environments/qa.ts and list it in environments/index.ts',
      }),
    ]);
  });

  it('refuses a Fargate profile with more than 5 selectors', () => {
    const selectors = ['a', 'b', 'c', 'd', 'e', 'f'].map((namespace) => ({ namespace }));
    const env = fixtureEnv({ fargateProfiles: [...fixtureEnv().fargateProfiles, { name: 'wide', selectors }] });
    const problems = synthInfra([env]);
    expect(problems).toEqual([expect.objectContaining({ parameter: 'fargateProfiles.wide', message: expect.stringContaining('has 6 selectors') })]);
  });

  it('refuses a cluster where no Fargate profile selects CoreDNS', () => {
    const env = fixtureEnv({ fargateProfiles: [{ name: 'apps', selectors: [{ namespace: 'shop' }, { namespace: 'jobs' }] }] });
    const problems = synthInfra([env]);
    expect(problems.map((problem) => problem.message)).toEqual([
      'no Fargate profile selects CoreDNS (namespace kube-system, label k8s-app=kube-dns): the cluster would have no DNS',
    ]);
  });

  it('refuses a deregistration delay longer than the pod lives', () => {
    const late: AppDefinition = { ...shop, shutdown: { preStopSeconds: 20, drainSeconds: 10, terminationGracePeriodSeconds: 30, deregistrationDelaySeconds: 120 } };
    const problems = synthInfra([fixtureEnv()], [late, jobs]);
    expect(problems.map((problem) => problem.message)).toEqual([
      'shutdown.deregistrationDelaySeconds 120 exceeds terminationGracePeriodSeconds 30: the ALB would keep waiting on a pod that is already gone',
    ]);
  });

  it('refuses a host the certificate does not cover', () => {
    const elsewhere: AppDefinition = { ...shop, expose: { host: 'shop.example.org' } };
    const problems = synthInfra([fixtureEnv()], [elsewhere, jobs]);
    expect(problems).toEqual([expect.objectContaining({ parameter: 'certificate', message: expect.stringMatching(/^host shop.example.org is not covered/) })]);
  });

  it('refuses an exposed app without a port', () => {
    const portless: AppDefinition = { ...shop, ports: undefined };
    const problems = synthInfra([fixtureEnv()], [portless, jobs]);
    expect(problems.map((problem) => problem.message)).toEqual(['expose: no container port to send traffic to (set expose.port or ports); got undefined']);
  });

  it('refuses AZs of another region', () => {
    const settings = fixtureSettings({ availabilityZones: ['us-east-1a', 'ap-northeast-1c'] });
    const problems = synthInfra([fixtureEnv()], fixtureApps, settings);
    expect(problems.map((problem) => problem.parameter)).toEqual(['availabilityZones']);
  });

  it('refuses settings its schema does not describe, before planning: a retention CloudWatch does not offer, an unknown key', () => {
    const settings = { ...fixtureSettings({ logRetentionDays: 10 as never }), natGateway: 2 } as never;
    const problems = synthInfra([fixtureEnv()], fixtureApps, settings);
    expect(problems.map((problem) => `${problem.file}: ${problem.parameter}: ${problem.message}`)).toEqual([
      'packages/infra/src/environments/qa.ts: logRetentionDays: given 10; expected a retention CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days',
      expect.stringMatching(/^packages\/infra\/src\/environments\/qa\.ts: natGateway: unknown field; did you mean "natGateways"\?/),
    ]);
  });

  it('requires hub settings for a spoke and refuses them elsewhere', () => {
    const spoke = synthInfra([fixtureEnv({ argocd: { ...fixtureEnv().argocd, managedBy: 'prod' } })]);
    expect(spoke).toEqual([expect.objectContaining({ parameter: 'argocdHub', message: expect.stringContaining('is managed by the Argo CD of prod') })]);
    const standalone = synthInfra([fixtureEnv()], fixtureApps, fixtureSettings({ argocdHub: { roleArns: ['arn:aws:iam::999999999999:role/hub'] } }));
    expect(standalone).toEqual([expect.objectContaining({ parameter: 'argocdHub', message: expect.stringContaining('runs its own Argo CD') })]);
  });
});

// The infra settings' own schema, a table: each mistake is one line naming the settings file,
// the field, what was given and what was expected, before anything is planned.
describe('a mistake in the infra settings is one line naming the file and the field', () => {
  const FILE = 'packages/infra/src/environments/qa.ts';
  const cases: { name: string; settings: Record<string, unknown>; line: string }[] = [
    { name: 'a VPC CIDR larger than /16', settings: { vpcCidr: '10.0.0.0/8' }, line: 'vpcCidr: given "10.0.0.0/8"; expected an IPv4 CIDR from /16 to /24' },
    { name: 'a VPC CIDR that is not one', settings: { vpcCidr: '10.0.0/16' }, line: 'vpcCidr: given "10.0.0/16"; expected an IPv4 CIDR like 203.0.113.0/24' },
    { name: 'three NAT gateways', settings: { natGateways: 3 }, line: 'natGateways: given 3; expected NAT gateways: an integer from 1 to 2' },
    { name: 'one Availability Zone', settings: { availabilityZones: ['ap-northeast-1a'] }, line: 'availabilityZones: given a list of 1; expected two Availability Zones' },
    { name: 'an admin that is not a role ARN', settings: { clusterAdminRoleArns: ['platform-admin'] }, line: 'clusterAdminRoleArns[0]: given "platform-admin"; expected an IAM role ARN' },
    { name: 'an API CIDR that is a host name', settings: { apiPublicAccessCidrs: ['office.example.com'] }, line: 'apiPublicAccessCidrs[0]: given "office.example.com"; expected an IPv4 CIDR' },
    { name: 'a hosted zone ID in lower case', settings: { dns: { hostedZoneId: 'z0000qa', zoneName: 'qa.example.com' } }, line: 'dns.hostedZoneId: given "z0000qa"; expected a Route 53 hosted zone ID' },
    { name: 'an app host with a space', settings: { appHosts: { shop: 'shop qa.example.com' } }, line: 'appHosts.shop: given "shop qa.example.com"; expected an ALB host-header value' },
    { name: 'protectFromDeletion as a string', settings: { protectFromDeletion: 'yes' }, line: 'protectFromDeletion: given "yes"; expected true or false' },
    { name: 'a hub without roles', settings: { argocdHub: { roleArns: [] } }, line: 'argocdHub.roleArns: given a list of 0; expected at least 1 role of the hub Argo CD' },
    { name: 'a certificate of neither form', settings: { certificate: { domain: 'qa.example.com' } }, line: 'certificate: given an object; expected either { arn } of an ACM certificate or { domainName, alternativeNames? } to issue one' },
  ];
  for (const { name, settings, line } of cases) {
    it(name, () => {
      const problems = synthInfra([fixtureEnv()], fixtureApps, { ...fixtureSettings(), ...settings } as never);
      expect(problems.map((problem) => `${problem.file}: ${problem.parameter}: ${problem.message}`)).toEqual([expect.stringContaining(`${FILE}: ${line}`)]);
    });
  }
});
