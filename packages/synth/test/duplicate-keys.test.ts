import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateKeys } from '../bin/bundle.mjs';
import { discoverModules, duplicateKeyProblems, formatProblem, synth as synth_, SynthError } from '../src/index';
import { runLauncher } from './support/cli';
import { hashTree, repoRoot, scratchRepo, type Scratch } from './support/scratch';

// A key written twice in an object literal keeps the last value silently (an env listing one app
// twice under `apps` runs it with the last overrides). bin/synth.mjs learns of each from esbuild
// while bundling the sources, and synth refuses them with the line of every occurrence.


let scratch: Scratch;
let cache: string;

async function synth(...args: string[]) {
  return runLauncher([...args, '--root', scratch.root], cache);
}

/** The 1-based line of the `n`th (0-based) line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string, n = 0) =>
  text
    .split('\n')
    .map((line, index) => (line.includes(needle) ? index + 1 : 0))
    .filter(Boolean)[n]!;

beforeAll(() => {
  scratch = scratchRepo(['clusters', 'apps', 'gitops']);
  cache = mkdtempSync(join(tmpdir(), 'synth-duplicate-keys-cache-'));
});

afterAll(() => {
  scratch.dispose();
  rmSync(cache, { recursive: true, force: true });
});

describe('a key written twice in an env or app source', () => {
  it('is refused with the line of each occurrence, on a fresh and on a cached bundle, and nothing is written', async () => {
    // GIVEN dev lists web three times under apps, and the worker app writes `replicas` twice
    const env = scratch.read('clusters/dev/env.ts');
    const worker = scratch.read('apps/worker/src/index.ts');
    const badEnv = env.replace('    worker: {},\n', "    worker: {},\n    web: { replicas: 3 },\n    web: { replicas: 4 },\n");
    const badWorker = worker.replace('  replicas: 1,\n', '  replicas: 1,\n  replicas: 2,\n');
    expect([badEnv, badWorker]).not.toContain(env);
    scratch.write('clusters/dev/env.ts', badEnv);
    scratch.write('apps/worker/src/index.ts', badWorker);
    const before = hashTree(scratch.path('gitops'));
    const web = [0, 1, 2].map((n) => lineOf(badEnv, 'web: {', n));
    const replicas = [0, 1].map((n) => lineOf(badWorker, '  replicas:', n));

    const fresh = await synth('synth');
    const cached = await synth('synth');

    // THEN one line each, naming the file and every line; exit 1 and gitops/ unchanged, both times
    const expected = [
      'error: component app-worker: apps/worker/src/index.ts: key "replicas" is written 2 times in one object literal, ' +
        `on lines ${replicas[0]} and ${replicas[1]}; the last silently replaces the others, so keep one`,
      'error: env dev: clusters/dev/env.ts: key "web" is written 3 times in one object literal, ' +
        `on lines ${web[0]}, ${web[1]} and ${web[2]}; the last silently replaces the others, so keep one`,
    ];
    for (const result of [fresh, cached]) {
      expect(result.code).toBe(1);
      expect(result.stderr.split('\n').filter((line) => line.startsWith('error: '))).toEqual(expected);
      expect(result.stderr).toContain('gitops/ was not changed');
    }
    expect(hashTree(scratch.path('gitops'))).toBe(before);

    // AND params:pull refuses them too, before it asks SSM for anything
    const pull = await synth('params:pull', '--env', 'dev');
    expect(pull.code).toBe(1);
    expect(pull.stderr).toContain(expected[1]);

    // AND once fixed, the same repository renders as committed
    scratch.write('clusters/dev/env.ts', env);
    scratch.write('apps/worker/src/index.ts', worker);
    const fixed = await synth('synth', '--check');
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('gitops/ is up to date');
  });

  it('is reported together with the problems synth finds after it', async () => {
    // GIVEN a duplicate key the launcher found, and a snapshot that lacks a parameter
    const snapshot = scratch.read('clusters/dev/ssm-snapshot.json');
    scratch.editJson('clusters/dev/ssm-snapshot.json', (json) => {
      delete json.parameters['/fargate-gitops/dev/network/vpc-id'];
    });
    const sourceProblems = duplicateKeyProblems([{ file: 'clusters/shared.ts', key: 'region', lines: [4, 9] }]);

    const error = await synth_({ root: scratch.root, envs: ['dev'], modules: discoverModules(repoRoot), sourceProblems }).catch((e: unknown) => e);

    // THEN both are in the one report, the duplicate first
    expect(error).toBeInstanceOf(SynthError);
    const lines = (error as SynthError).problems.map(formatProblem);
    expect(lines[0]).toBe(
      'error: clusters/shared.ts: key "region" is written 2 times in one object literal, on lines 4 and 9; the last silently replaces the others, so keep one',
    );
    expect(lines.slice(1)).toContainEqual(expect.stringMatching(/^error: env dev: .*clusters\/dev\/ssm-snapshot\.json: \/fargate-gitops\/dev\/network\/vpc-id: missing/));
    scratch.write('clusters/dev/ssm-snapshot.json', snapshot);
  });
});

describe("the launcher's reading of esbuild's warnings", () => {
  const warning = (file: string, key: string, line: number, previous: number) => ({
    text: `Duplicate key "${key}" in object literal`,
    location: { file, line },
    notes: [{ location: { line: previous } }],
  });

  it('joins the occurrences of one key in one literal, in whatever order esbuild reports them, and keeps other literals apart', () => {
    expect(
      duplicateKeys([
        warning('clusters/dev/env.ts', 'web', 22, 21),
        warning('clusters/dev/env.ts', 'web', 21, 18),
        warning('clusters/dev/env.ts', 'web', 40, 35),
        warning('packages/core/src/environment.ts', 'name', 3, 2),
        { text: 'Comparison using the "==" operator here is always false', location: { file: 'apps/web/src/index.ts', line: 5 }, notes: [] },
      ]),
    ).toEqual([
      { file: 'clusters/dev/env.ts', key: 'web', lines: [18, 21, 22] },
      { file: 'clusters/dev/env.ts', key: 'web', lines: [35, 40] },
    ]);
  });
});
