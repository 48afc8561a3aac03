import type { EnvironmentSpec } from '@gitops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalSecretsComponent } from '@gitops/platform';
import { ApiObject } from 'cdk8s';
import { componentsFor, discoverModules, SynthError, synth, type Problem, type WorkspaceModules } from '../src/index';
import { hashTree, scratchRepo, type Scratch } from './support/scratch';

// The platform components (packages/platform) through the whole synth: bad SSM values, an env
// whose Fargate profiles miss a platform namespace, and a logging override that breaks a Fargate
// rule each fail with one line naming the env, and leave gitops/ exactly as it was. These live
// here, not in packages/platform/test, because synth depends on the platform package and a
// dependency back would be a cycle.

let repo: Scratch;
let modules: WorkspaceModules;
let dev: EnvironmentSpec;
const snapshot = 'clusters/dev/ssm-snapshot.json';
const roleArn = '/fargate-gitops/dev/platform/aws-load-balancer-controller/role-arn';
const vpcId = '/fargate-gitops/dev/network/vpc-id';

beforeAll(async () => {
  repo = scratchRepo(['clusters', 'apps', 'gitops']);
  modules = discoverModules(repo.root);
  dev = ((await modules.environments.get('dev')!.load()) as { default: EnvironmentSpec }).default;
});
afterAll(() => repo?.dispose());

/** The dev env as `edit` changes it, without touching the env.ts file (imported modules are cached). */
const withDev = (edit: (env: EnvironmentSpec) => EnvironmentSpec): WorkspaceModules => ({
  ...modules,
  environments: new Map([['dev', { file: 'clusters/dev/env.ts', load: async () => ({ default: edit(dev) }) }]]),
});

/** Runs synth for dev, expecting it to fail; returns its problems and whether gitops/ stayed the same. */
async function failingSynth(
  options: { modules?: WorkspaceModules; components?: Parameters<typeof synth>[0]['components'] } = {},
): Promise<{ problems: readonly Problem[]; unchanged: boolean }> {
  const before = hashTree(repo.path('gitops'));
  const error = await synth({ root: repo.root, envs: ['dev'], modules: options.modules ?? modules, ...(options.components ? { components: options.components } : {}) }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SynthError);
  return { problems: (error as SynthError).problems, unchanged: hashTree(repo.path('gitops')) === before };
}

/** Changes the dev snapshot for one test, then puts it back. */
async function withSnapshot<T>(edit: (parameters: Record<string, { type: string; value: string }>) => void, run: () => Promise<T>): Promise<T> {
  const original = repo.read(snapshot);
  repo.editJson(snapshot, (json) => edit(json.parameters));
  try {
    return await run();
  } finally {
    repo.write(snapshot, original);
  }
}

describe('synth with bad platform input', () => {
  it("names the controller's missing role ARN and writes nothing", async () => {
    const { problems, unchanged } = await withSnapshot((parameters) => delete parameters[roleArn], () => failingSynth());

    expect(problems).toEqual([
      expect.objectContaining({ env: 'dev', component: 'aws-load-balancer-controller', parameter: roleArn, message: expect.stringMatching(/^missing; /) }),
    ]);
    expect(unchanged).toBe(true);
  });

  it('names a role ARN from another account and writes nothing', async () => {
    const { problems, unchanged } = await withSnapshot(
      (parameters) => (parameters[roleArn]!.value = 'arn:aws:iam::999999999999:role/fargate-gitops-dev-aws-load-balancer-controller'),
      () => failingSynth(),
    );

    expect(problems).toEqual([
      expect.objectContaining({
        env: 'dev',
        component: 'aws-load-balancer-controller',
        parameter: roleArn,
        message: expect.stringContaining('expected an IAM role ARN in account 111111111111'),
      }),
    ]);
    expect(unchanged).toBe(true);
  });

  it('names a malformed VPC ID and writes nothing', async () => {
    const { problems, unchanged } = await withSnapshot((parameters) => (parameters[vpcId]!.value = 'vpc-12345'), () => failingSynth());

    // The apps' TargetGroupBindings read the same parameter; each reader gets its own line.
    expect(problems).toContainEqual(
      expect.objectContaining({ env: 'dev', component: 'aws-load-balancer-controller', parameter: vpcId, message: expect.stringContaining('a VPC ID') }),
    );
    expect(problems.every((problem) => problem.parameter === vpcId)).toBe(true);
    expect(unchanged).toBe(true);
  });

  it("refuses a snapshot whose cluster name is not the env's cluster, and writes nothing", async () => {
    const { problems, unchanged } = await withSnapshot(
      (parameters) => (parameters['/fargate-gitops/dev/cluster/name']!.value = 'fargate-gitops-stg'),
      () => failingSynth(),
    );

    expect(problems).toEqual([
      expect.objectContaining({
        env: 'dev',
        component: 'aws-load-balancer-controller',
        message: expect.stringContaining('SSM cluster/name is "fargate-gitops-stg", but clusters/dev/env.ts names the cluster "fargate-gitops-dev"'),
      }),
    ]);
    expect(unchanged).toBe(true);
  });

  it('names kube-system and the fargateProfiles of the env file when no Fargate profile selects it, and writes nothing', async () => {
    const withoutKubeSystem = withDev((env) => ({
      ...env,
      fargateProfiles: env.fargateProfiles.map((profile) => ({
        ...profile,
        selectors: profile.selectors.filter((selector) => selector.namespace !== 'kube-system'),
      })),
    }));

    const { problems, unchanged } = await failingSynth({ modules: withoutKubeSystem });

    expect(problems).toEqual([
      expect.objectContaining({
        env: 'dev',
        component: 'aws-load-balancer-controller',
        file: 'clusters/dev/env.ts',
        parameter: 'fargateProfiles',
        message: expect.stringMatching(/no Fargate profile of dev selects pods of namespace kube-system.*\(rendered as gitops\/dev\/aws-load-balancer-controller\/deployment-aws-load-balancer-controller\.yaml /),
      }),
      // dev runs ExternalDNS (it has an Ingress app), also in kube-system.
      expect.objectContaining({
        env: 'dev',
        component: 'external-dns',
        file: 'clusters/dev/env.ts',
        parameter: 'fargateProfiles',
        message: expect.stringMatching(/no Fargate profile of dev selects pods of namespace kube-system.*\(rendered as gitops\/dev\/external-dns\/deployment-external-dns\.yaml /),
      }),
    ]);
    expect(unchanged).toBe(true);
  });

  it('names cert-manager and the env when no Fargate profile selects it, and writes nothing', async () => {
    const withoutCertManager = withDev((env) => ({
      ...env,
      fargateProfiles: env.fargateProfiles.map((profile) => ({
        ...profile,
        selectors: profile.selectors.filter((selector) => selector.namespace !== 'cert-manager'),
      })),
    }));

    const { problems, unchanged } = await failingSynth({ modules: withoutCertManager });

    expect(problems).toEqual([expect.objectContaining({ env: 'dev', message: expect.stringContaining('namespace cert-manager') })]);
    expect(unchanged).toBe(true);
  });

  it('names external-secrets and the env when no Fargate profile selects it, and writes nothing', async () => {
    const withoutEso = withDev((env) => ({
      ...env,
      fargateProfiles: env.fargateProfiles.map((profile) => ({
        ...profile,
        selectors: profile.selectors.filter((selector) => selector.namespace !== 'external-secrets'),
      })),
    }));

    const { problems, unchanged } = await failingSynth({ modules: withoutEso });

    expect(problems).toEqual([
      expect.objectContaining({
        env: 'dev',
        component: 'external-secrets-namespace',
        file: 'clusters/dev/env.ts',
        message: 'upstream external-secrets runs pods in namespace external-secrets, which no Fargate profile selects; they would stay Pending',
      }),
    ]);
    expect(unchanged).toBe(true);
  });

  it('refuses an External Secrets Operator chart version that is not pinned, naming versions.ts, and writes nothing', async () => {
    // GIVEN the ESO component at a semver range, which Argo CD would resolve to whatever is newest
    const floating = (env: Parameters<typeof componentsFor>[0], workspace: Parameters<typeof componentsFor>[1]) =>
      componentsFor(env, workspace).map((component) => (component.name === 'external-secrets-namespace' ? externalSecretsComponent('2.9.*') : component));

    const { problems, unchanged } = await failingSynth({ components: floating });

    expect(problems).toEqual([
      {
        env: 'dev',
        component: 'external-secrets-namespace',
        file: 'packages/platform/src/versions.ts',
        parameter: 'upstream external-secrets: targetRevision',
        message: '"2.9.*" is not a pinned release (x.y.z); pin the exact chart version, so an upgrade is a Git diff',
      },
    ]);
    expect(unchanged).toBe(true);
  });

  it('names the env file, its logging field and the Fargate rule a logging override breaks, and writes nothing', async () => {
    const withLua = withDev((env) => ({
      ...env,
      logging: { ...env.logging, extraFilters: [{ Name: 'lua', Match: 'kube.*', script: 'drop.lua', call: 'drop' }] },
    }));

    const { problems, unchanged } = await failingSynth({ modules: withLua });

    expect(problems).toEqual([
      {
        env: 'dev',
        component: 'aws-observability',
        file: 'clusters/dev/env.ts',
        parameter: 'logging',
        message: expect.stringMatching(/^Fargate logging rule "filter-name" .*: filter "lua" \(rendered as gitops\/dev\/aws-observability\/configmap-aws-logging\.yaml data\.filters\.conf:16\)$/),
      },
    ]);
    expect(unchanged).toBe(true);
  });

  it("refuses the controller's CA Issuer in the root Certificate's wave, the way the tree shipped before, naming both", async () => {
    // GIVEN the real components, with the CA Issuer moved back into the root Certificate's wave (-3)
    const misordered: Parameters<typeof synth>[0]['components'] = (env, workspace) =>
      componentsFor(env, workspace).map((component) =>
        component.name !== 'aws-load-balancer-controller'
          ? component
          : {
              ...component,
              render(chart, ctx) {
                component.render(chart, ctx);
                const issuer = chart.node.findAll().find((node): node is ApiObject => node instanceof ApiObject && node.kind === 'Issuer' && node.name === 'aws-load-balancer-root-issuer');
                issuer!.metadata.addAnnotation('argocd.argoproj.io/sync-wave', '-3');
              },
            },
      );

    const { problems, unchanged } = await failingSynth({ components: misordered });

    expect(problems).toEqual([
      {
        env: 'dev',
        component: 'aws-load-balancer-controller',
        file: 'gitops/dev/aws-load-balancer-controller/issuer-aws-load-balancer-root-issuer.yaml',
        parameter: 'spec.ca.secretName',
        message:
          'Issuer kube-system/aws-load-balancer-root-issuer (wave -3 of dev-aws-load-balancer-controller) needs CA Secret aws-load-balancer-root-cert, ' +
          'which Certificate kube-system/aws-load-balancer-root-cert delivers in wave -3 of the same Application, which is not earlier: Argo CD waits for health only between waves',
      },
    ]);
    expect(unchanged).toBe(true);
  });
});
