import type { AppDefinition } from '@gitops/app';
import type { EnvironmentSpec } from '@gitops/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverModules, formatProblem, synth, SynthError, type WorkspaceModules } from '../src/index';
import { hashTree, repoRoot, scratchRepo, type Scratch } from './support/scratch';

// The Ingress way's bad inputs (issue 12), each through a whole synth of a scratch copy of the
// repository: a SynthError with one line naming the component, file and field (and the env,
// where the problem is the env's rather than the module's), and gitops/ byte-for-byte as it was.
const repoModules = discoverModules(repoRoot);

let repo: Scratch;
let before: string;
beforeEach(() => {
  repo = scratchRepo(['clusters', 'gitops']);
  before = hashTree(repo.path('gitops'));
});
afterEach(() => {
  expect(hashTree(repo.path('gitops')), 'gitops/ must be unchanged').toBe(before);
  repo.dispose();
});

type Edit<T> = (value: T) => T;

/** The repository's modules with dev's env spec and the admin app edited, and extra apps added. */
async function modulesWith(options: { dev?: Edit<EnvironmentSpec>; admin?: Edit<AppDefinition>; extraApps?: AppDefinition[] }): Promise<WorkspaceModules> {
  const dev = repoModules.environments.get('dev')!;
  const admin = repoModules.apps.get('admin')!;
  const loadDev = async () => ({ default: (options.dev ?? ((spec) => spec))(((await dev.load()) as { default: EnvironmentSpec }).default) });
  const loadAdmin = async () => ({ default: (options.admin ?? ((app) => app))(((await admin.load()) as { default: AppDefinition }).default) });
  return {
    environments: new Map([...repoModules.environments, ['dev', { file: dev.file, load: loadDev }]]),
    apps: new Map([
      ...repoModules.apps,
      ['admin', { file: admin.file, load: loadAdmin }],
      ...(options.extraApps ?? []).map((app) => [app.name, { file: `apps/${app.name}/src/index.ts`, load: async () => ({ default: app }) }] as const),
    ]),
  };
}

async function problemLines(modules: WorkspaceModules): Promise<string[]> {
  const error = await synth({ root: repo.root, modules, envs: ['dev'] }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SynthError);
  return (error as SynthError).problems.map(formatProblem);
}

const removeParameter = (path: string) =>
  repo.editJson('clusters/dev/ssm-snapshot.json', (json) => {
    delete json.parameters[`/fargate-gitops/dev/${path}`];
  });

describe('bad Ingress input: one line each, nothing written', () => {
  it('the committed dev renders (the cases below each break one thing of it)', async () => {
    const result = await synth({ root: repo.root, modules: await modulesWith({}), envs: ['dev'], check: true });
    expect(result.upToDate).toBe(true);
  });

  it('a host outside the env zone', async () => {
    const modules = await modulesWith({ dev: (spec) => ({ ...spec, apps: { ...spec.apps, admin: { replicas: 1, expose: { host: 'admin.stg.example.com' } } } }) });
    expect(await problemLines(modules)).toEqual([
      'error: env dev: component app-admin: clusters/dev/env.ts: apps.admin.expose.host: "admin.stg.example.com" is outside env dev\'s hosted zone dev.example.com (SSM dns/zone-name); ExternalDNS would never write its record',
    ]);
  });

  it('an invalid group name', async () => {
    const modules = await modulesWith({ admin: (app) => ({ ...app, expose: { via: 'ingress', host: 'admin.example.com', group: 'Internal ALB' } }) });
    expect(await problemLines(modules)).toEqual([
      'error: component app-admin: apps/admin/src/index.ts: expose.group: given "Internal ALB"; expected an ALB group name (lower-case letters, digits, "-" and ".", a letter or digit at both ends, at most 63)',
    ]);
  });

  it('an app asking for both ways', async () => {
    const modules = await modulesWith({ admin: (app) => ({ ...app, expose: { ...app.expose, healthCheckPath: '/healthz' } as never }) });
    expect(await problemLines(modules)).toEqual([
      "error: component app-admin: apps/admin/src/index.ts: expose.healthCheckPath: given \"/healthz\"; expected nothing: healthCheckPath belongs to the target-group way (an Ingress health-checks the readiness probe's path, probes.readiness.httpGet), and an app is exposed one way per env",
    ]);
  });

  it('an Ingress app in an env without the certificate parameter', async () => {
    removeParameter('ingress/certificate-arn');
    expect(await problemLines(await modulesWith({}))).toEqual([
      'error: env dev: component ingress-classes: clusters/dev/ssm-snapshot.json: /fargate-gitops/dev/ingress/certificate-arn: missing; expected String holding an ACM certificate ARN in ap-northeast-1/111111111111 (arn:aws:acm:ap-northeast-1:111111111111:certificate/<id>)',
    ]);
  });

  it('an Ingress app in an env without the hosted zone parameter', async () => {
    removeParameter('dns/hosted-zone-id');
    expect(await problemLines(await modulesWith({}))).toEqual([
      'error: env dev: component external-dns: clusters/dev/ssm-snapshot.json: /fargate-gitops/dev/dns/hosted-zone-id: missing; expected String holding a Route 53 hosted zone ID (Z followed by upper-case letters and digits, without /hostedzone/)',
    ]);
  });

  it('two apps claiming the same host and path on one ALB group', async () => {
    const copy: AppDefinition = { name: 'admin-copy', image: 'public.ecr.aws/example-org/admin:2.3.0', ports: [{ port: 8080 }], expose: { via: 'ingress', host: 'admin.dev.example.com' } };
    const modules = await modulesWith({
      extraApps: [copy],
      dev: (spec) => ({
        ...spec,
        fargateProfiles: [...spec.fargateProfiles, { name: 'copy', selectors: [{ namespace: 'admin-copy' }] }],
        apps: { ...spec.apps, 'admin-copy': {} },
      }),
    });
    expect(await problemLines(modules)).toEqual([
      'error: env dev: component app-admin-copy: apps/admin-copy/src/index.ts: expose.paths[0]: host admin.dev.example.com path / on ALB group "internal" is also claimed by app admin; the ALB would send it to only one of them',
    ]);
  });
});
