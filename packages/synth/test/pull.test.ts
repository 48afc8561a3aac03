import type { EnvironmentSpec } from '@gitops/core';
import { encryptedValueOf, startSsmServer, type SsmParameterInput, type SsmServer } from '@gitops/ssm-server';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discoverModules, formatPull, LiveSource, loadWorkspace, pullSnapshots, readSnapshot, SynthError, type Workspace } from '../src/index';
import { listTree, repoRoot, scratchRepo, type Scratch } from './support/scratch';

const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };
const SECRET = 'hunter2-do-not-commit';
const SECRET_NAME = '/fargate-gitops/dev/apps/web/db-password';
const readAt = new Date('2027-03-04T05:06:07.000Z');

let workspace: Workspace;
let dev: EnvironmentSpec;
let stg: EnvironmentSpec;
beforeAll(async () => {
  workspace = await loadWorkspace(repoRoot, discoverModules(repoRoot));
  dev = workspace.environments.get('dev')!;
  stg = workspace.environments.get('stg')!;
});

let repo: Scratch;
let server: SsmServer;
beforeEach(() => {
  repo = scratchRepo(['clusters']);
});
afterEach(async () => {
  repo.dispose();
  await server?.close();
});

/** What SSM holds for an env: its committed snapshot, changed by `edit`. */
function ssmFrom(env: EnvironmentSpec, edit: (parameters: Map<string, SsmParameterInput>) => void = () => undefined): SsmParameterInput[] {
  const found = new Map(Object.entries(readSnapshot(repo.root, env).parameters).map(([name, p]) => [name, { name, ...p }] as const));
  edit(found);
  return [...found.values()];
}

const snapshotOf = (env: string) => repo.read(`clusters/${env}/ssm-snapshot.json`);
const pull = (envs: EnvironmentSpec[]) => pullSnapshots(repo.root, envs, new LiveSource({ endpoint: server.endpoint, credentials }), () => readAt);

describe('params:pull', () => {
  it('replaces the snapshot with what SSM holds, reporting added, changed and removed, leaving SecureStrings out', async () => {
    // GIVEN SSM differs from the committed snapshot in every way
    const roleName = '/fargate-gitops/dev/apps/api/role-arn';
    const removedName = '/fargate-gitops/dev/logging/fargate-log-group-name';
    const addedName = '/fargate-gitops/dev/apps/web/role-arn';
    server = await startSsmServer({
      parameters: ssmFrom(dev, (p) => {
        p.set(roleName, { name: roleName, value: 'arn:aws:iam::111111111111:role/renamed' });
        p.delete(removedName);
        p.set(addedName, { name: addedName, value: 'arn:aws:iam::111111111111:role/web' });
        p.set(SECRET_NAME, { name: SECRET_NAME, value: SECRET, type: 'SecureString' });
      }),
    });

    // WHEN
    const [result] = await pull([dev]);

    // THEN
    expect(result).toEqual({ env: 'dev', added: [addedName], changed: [roleName], removed: [removedName], skipped: [SECRET_NAME], written: true });
    expect(formatPull(result!)).toEqual([
      'dev: 1 added, 1 changed, 1 removed; clusters/dev/ssm-snapshot.json written',
      `  + ${addedName}`,
      `  ~ ${roleName}`,
      `  - ${removedName}`,
      `  ! ${SECRET_NAME}: SecureString, left out (its value is never written)`,
    ]);
    const snapshot = readSnapshot(repo.root, dev);
    expect(snapshot.source).toEqual({ account: '111111111111', region: 'ap-northeast-1', path: '/fargate-gitops/dev', readAt: '2027-03-04T05:06:07.000Z' });
    expect(snapshot.parameters[roleName]).toEqual({ type: 'String', value: 'arn:aws:iam::111111111111:role/renamed' });
    expect(snapshot.parameters[removedName]).toBeUndefined();
    const text = snapshotOf('dev');
    expect(text).not.toContain(SECRET_NAME);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(encryptedValueOf(SECRET_NAME));
    // Written atomically: nothing but the snapshot and the env module beside it.
    expect(listTree(repo.path('clusters/dev'))).toEqual(['env.ts', 'ssm-snapshot.json']);
  });

  it('writes parameters in name order, so a refresh diffs line by line', async () => {
    server = await startSsmServer({ parameters: ssmFrom(dev).reverse() });
    repo.remove('clusters/dev/ssm-snapshot.json');

    await pull([dev]);

    const names = Object.keys(JSON.parse(snapshotOf('dev')).parameters as object);
    expect(names).toEqual([...names].sort());
    expect(snapshotOf('dev').endsWith('}\n')).toBe(true);
  });

  it('leaves an unchanged snapshot byte-for-byte alone (no new readAt, no commit)', async () => {
    server = await startSsmServer({ parameters: ssmFrom(dev) });
    const before = snapshotOf('dev');

    const [result] = await pull([dev]);

    expect(result).toMatchObject({ added: [], changed: [], removed: [], written: false });
    expect(formatPull(result!)).toEqual(['dev: 0 added, 0 changed, 0 removed; snapshot unchanged']);
    expect(snapshotOf('dev')).toBe(before);
  });

  it('replaces an unreadable snapshot instead of failing on it', async () => {
    server = await startSsmServer({ parameters: ssmFrom(dev) });
    const count = Object.keys(readSnapshot(repo.root, dev).parameters).length;
    repo.write('clusters/dev/ssm-snapshot.json', '{ "source": ');

    const [result] = await pull([dev]);

    expect(result!.added).toHaveLength(count);
    expect(Object.keys(readSnapshot(repo.root, dev).parameters)).toHaveLength(count);
  });

  it('writes no snapshot at all when reading any env fails', async () => {
    const name = '/fargate-gitops/dev/network/vpc-id';
    server = await startSsmServer({
      parameters: [...ssmFrom(dev, (p) => p.set(name, { name, value: 'vpc-0000000000000000f' })), ...ssmFrom(stg, (p) => p.clear())],
    });
    server.inject('AccessDeniedException');
    const before = [snapshotOf('dev'), snapshotOf('stg')];

    const error = await pull([dev, stg]).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(SynthError);
    expect((error as SynthError).problems).toHaveLength(1);
    expect((error as SynthError).problems[0]!.message).toContain('SSM denied GetParametersByPath');
    expect([snapshotOf('dev'), snapshotOf('stg')]).toEqual(before);
    expect(listTree(repo.path('clusters/dev'))).toEqual(['env.ts', 'ssm-snapshot.json']);
  });
});
