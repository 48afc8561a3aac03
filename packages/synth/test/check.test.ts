import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from './support/cli';
import { hashTree, scratchRepo, type Scratch } from './support/scratch';

// One scratch copy of the repository (clusters/, apps/ and the committed gitops/); each test
// edits gitops/ in it and restores it, the real gitops/ is never touched.
let repo: Scratch;
const firstFile = 'gitops/dev/app-web/namespace-web.yaml';
const secondFile = 'gitops/stg/app-api/namespace-api.yaml';
beforeAll(async () => {
  repo = scratchRepo(['clusters', 'apps', 'gitops']);
  // The copy must start in sync: render it once, so these tests do not depend on whether the
  // working tree's gitops/ was regenerated after the last source change.
  expect((await run(['synth', '--root', repo.root])).code).toBe(0);
});
afterAll(() => repo?.dispose());

describe('synth --check', () => {
  it('passes on an up-to-date tree and writes nothing', async () => {
    const before = hashTree(repo.path('gitops'));

    const { code, out, err } = await run(['synth', '--check', '--root', repo.root]);

    expect(code).toBe(0);
    expect(out.at(-1)).toBe('gitops/ is up to date');
    expect(err).toEqual([]);
    expect(hashTree(repo.path('gitops'))).toBe(before);
  });

  it('fails naming an edited file, and leaves the edit in place', async () => {
    const original = repo.read(firstFile);
    repo.write(firstFile, `${original}# hand edit\n`);
    try {
      const { code, err } = await run(['synth', '--check', '--root', repo.root]);

      expect(code).toBe(1);
      expect(err).toEqual([`stale: ${firstFile}`, 'gitops/ is stale: run `pnpm synth` and commit the result']);
      expect(repo.read(firstFile)).toBe(`${original}# hand edit\n`);
    } finally {
      repo.write(firstFile, original);
    }
  });

  it('fails naming a deleted file as missing', async () => {
    const original = repo.read(secondFile);
    repo.remove(secondFile);
    try {
      const { code, err } = await run(['synth', '--check', '--root', repo.root]);

      expect(code).toBe(1);
      expect(err).toContain(`missing: ${secondFile}`);
    } finally {
      repo.write(secondFile, original);
    }
  });

  it('fails naming an added file and an added env folder as extra', async () => {
    repo.write('gitops/prod/app-web/configmap-leftover.yaml', 'kind: ConfigMap\n');
    repo.write('gitops/qa/app-web/namespace-web.yaml', 'kind: Namespace\n');
    try {
      const { code, out, err } = await run(['synth', '--check', '--root', repo.root]);

      expect(code).toBe(1);
      expect(err).toEqual([
        'extra: gitops/prod/app-web/configmap-leftover.yaml',
        'extra: gitops/qa/',
        'gitops/ is stale: run `pnpm synth` and commit the result',
      ]);
      expect(out).toContain('qa: no env in clusters/; gitops/qa/ is extra');
    } finally {
      repo.remove('gitops/prod/app-web/configmap-leftover.yaml');
      repo.remove('gitops/qa');
    }
  });

  it('lists every difference at once, across envs', async () => {
    const edited = repo.read(firstFile);
    const deleted = repo.read(secondFile);
    repo.write(firstFile, edited.replace('kind: Namespace', 'kind: Namespace\n# edited'));
    repo.remove(secondFile);
    repo.write('gitops/prod/extra.yaml', '{}\n');
    try {
      const { code, err } = await run(['synth', '--check', '--root', repo.root]);

      expect(code).toBe(1);
      expect(err.slice(0, -1).sort()).toEqual([`extra: gitops/prod/extra.yaml`, `missing: ${secondFile}`, `stale: ${firstFile}`]);
    } finally {
      repo.write(firstFile, edited);
      repo.write(secondFile, deleted);
      repo.remove('gitops/prod/extra.yaml');
    }
  });

  it('checks only the selected env with --env', async () => {
    repo.write('gitops/prod/extra.yaml', '{}\n');
    try {
      expect((await run(['synth', '--check', '--env', 'dev', '--root', repo.root])).code).toBe(0);
      expect((await run(['synth', '--check', '--env', 'prod', '--root', repo.root])).code).toBe(1);
    } finally {
      repo.remove('gitops/prod/extra.yaml');
    }
  });
});
