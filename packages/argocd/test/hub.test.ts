import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argoCdProblems, filesUnder, readArgoCdInstances } from './support/argocd-reader';
import { HUB_FIXTURE, scratchCopy, type ScratchRoot, type SynthRun } from './support/hub-fixture';

// End to end: the hub fixture (ops running Argo CD for itself and for the spokes blue and green)
// rendered by the real `pnpm synth` in a child process, compared with the golden files, read the
// way Argo CD reads it, and broken in the ways the issue names.

const GOLDEN = new URL('./__golden__/', import.meta.url).pathname;

let cache: string;
let hub: ScratchRoot;
let run: SynthRun;
beforeAll(async () => {
  cache = mkdtempSync(join(tmpdir(), 'gitops-argocd-cache-'));
  hub = scratchCopy(HUB_FIXTURE, cache);
  run = await hub.synth();
});
afterAll(() => {
  hub?.dispose();
  rmSync(cache, { recursive: true, force: true });
});

describe('hub with two spokes', () => {
  it('renders every env, and each argocd folder equals its golden file', async () => {
    expect(run.code).toBe(0);
    const summaries = run.stdout.split('\n').filter((line) => /^\S/.test(line));
    expect(summaries.map((line) => line.split(':')[0])).toEqual(['blue', 'green', 'ops']);

    // The Argo CD folders (its objects and its install) are what this fixture is about; the platform
    // folders have their own tests.
    const rendered = filesUnder(hub.root, 'gitops').filter((file) => ['argocd', 'argocd-install'].includes(file.split('/')[2]!));
    for (const file of rendered) {
      await expect(hub.read(file)).toMatchFileSnapshot(join(GOLDEN, file.slice('gitops/'.length)));
    }
    // A golden file the fixture no longer renders is stale: delete it with the change that drops it.
    const stale = filesUnder(GOLDEN, '.').map((file) => `gitops/${file.slice(2)}`).filter((file) => !rendered.includes(file));
    expect(stale).toEqual([]);
  });

  it('is one Argo CD, on the hub, deploying each spoke to its own registered cluster', () => {
    const instances = readArgoCdInstances(hub.root);

    expect(instances.map((instance) => instance.rootEnv)).toEqual(['ops']);
    const [ops] = instances;
    expect([...ops!.clusters].sort()).toEqual(['fargate-gitops-blue', 'fargate-gitops-green', 'in-cluster']);
    expect([...ops!.projects.keys()].sort()).toEqual(['blue', 'bootstrap', 'green', 'ops']);
    const destinations = new Map([...ops!.applications].map(([name, { manifest }]) => [name, manifest.spec.destination.name]));
    expect(destinations.get('blue-aws-observability')).toBe('fargate-gitops-blue');
    expect(destinations.get('green-aws-load-balancer-controller')).toBe('fargate-gitops-green');
    expect(destinations.get('ops-aws-observability')).toBe('in-cluster');
    expect(ops!.applications.get('blue-root')?.deployedBy).toBe('ops-root');
    expect(ops!.applications.get('blue-aws-observability')?.deployedBy).toBe('blue-root');
  });

  it('passes every check of how Argo CD reads it', () => {
    expect(argoCdProblems(hub.root)).toEqual([]);
  });
});

describe('hub mode, bad input', () => {
  let broken: ScratchRoot | undefined;
  afterAll(() => broken?.dispose());

  it('names a spoke whose hub is not an env, and leaves gitops/ unchanged', async () => {
    // GIVEN the rendered fixture, with green pointing at a hub that does not exist
    broken = scratchCopy(hub.root, cache);
    const before = broken.gitopsHash();
    const env = join(broken.root, 'clusters/green/env.ts');
    writeFileSync(env, broken.read('clusters/green/env.ts').replace("managedBy: 'ops'", "managedBy: 'opz'"));

    // WHEN
    const { code, stderr } = await broken.synth();

    // THEN
    expect(code).toBe(1);
    expect(stderr).toContain(
      'error: env green: clusters/green/env.ts: argocd.managedBy: names env "opz", which clusters/ does not define (defined: blue, green, ops)\n',
    );
    expect(stderr).toContain('gitops/ was not changed');
    expect(broken.gitopsHash()).toBe(before);
    broken.dispose();
    broken = undefined;
  });

  it("names each missing spoke parameter (role ARN, endpoint) with the spoke's snapshot, and leaves gitops/ unchanged", async () => {
    // GIVEN blue's snapshot without its deployer role, green's without its endpoint
    broken = scratchCopy(hub.root, cache);
    const before = broken.gitopsHash();
    for (const [spoke, leaf] of [['blue', 'argocd/deployer-role-arn'], ['green', 'cluster/endpoint']] as const) {
      const file = `clusters/${spoke}/ssm-snapshot.json`;
      const snapshot = JSON.parse(broken.read(file)) as { parameters: Record<string, unknown> };
      delete snapshot.parameters[`/fargate-gitops/${spoke}/${leaf}`];
      writeFileSync(join(broken.root, file), `${JSON.stringify(snapshot, null, 2)}\n`);
    }

    // WHEN
    const { code, stderr } = await broken.synth();

    // THEN
    expect(code).toBe(1);
    const errors = stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toEqual([
      'error: env ops: component argocd: clusters/blue/ssm-snapshot.json: /fargate-gitops/blue/argocd/deployer-role-arn: ' +
        'missing; expected String holding an IAM role ARN in account 555555555555 (arn:aws:iam::555555555555:role/<name>) ' +
        '(a parameter of env blue, read for ops)',
      'error: env ops: component argocd: clusters/green/ssm-snapshot.json: /fargate-gitops/green/cluster/endpoint: ' +
        'missing; expected String holding an EKS API endpoint in ap-northeast-1 (https://<id>.<zone>.ap-northeast-1.eks.amazonaws.com) ' +
        '(a parameter of env green, read for ops)',
    ]);
    expect(broken.gitopsHash()).toBe(before);
  });
});
