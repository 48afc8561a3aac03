import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverModuleFiles } from '../bin/synth.mjs';
import { discoverModules } from '../src/workspace';
import { runLauncher } from './support/cli';
import { hashTree, scratchRepo, type Scratch } from './support/scratch';

// `pnpm synth` runs bin/synth.mjs: plain Node running a cached esbuild bundle of the workspace
// TypeScript. These tests prove the bundle is rebuilt whenever what it was made from changes,
// and that it finds exactly the modules packages/workspace discovers.


let scratch: Scratch;
let cache: string;

async function synth(...args: string[]) {
  return runLauncher(['synth', '--root', scratch.root, ...args], cache);
}

const bundles = () => readdirSync(join(cache, 'synth')).filter((name) => /^workspace-.*\.cjs$/.test(name));

beforeAll(() => {
  scratch = scratchRepo(['clusters', 'apps', 'gitops']);
  cache = mkdtempSync(join(tmpdir(), 'synth-launcher-cache-'));
});

afterAll(() => {
  scratch.dispose();
  rmSync(cache, { recursive: true, force: true });
});

describe('the synth launcher', () => {
  it('bundles exactly the env, shared and app modules packages/workspace discovers', () => {
    scratch.write('apps/notes/README.md', 'an app folder without src/index.ts is not an app\n');
    scratch.write('apps/.hidden/src/index.ts', 'export default 1;\n');
    scratch.write('clusters/shared/values.json', '{}\n');

    const discovered = discoverModules(scratch.root);
    const expected = [...discovered.environments.keys()].map((env) => join(scratch.root, 'clusters', env, 'env.ts'));
    expected.push(...[...discovered.apps.keys()].map((app) => join(scratch.root, 'apps', app, 'src', 'index.ts')));
    if (discovered.shared) expected.push(join(scratch.root, discovered.shared.file));

    expect(discoverModuleFiles(scratch.root)).toEqual(expected.sort());
    expect(discoverModuleFiles(scratch.root).length).toBeGreaterThan(3);
    scratch.remove('apps/notes');
    scratch.remove('apps/.hidden');
    scratch.remove('clusters/shared');
  });

  it('renders the committed output, and reuses its bundle on the next run', async () => {
    const first = await synth('--check');
    const built = bundles();
    const mtime = statSync(join(cache, 'synth', built[0]!)).mtimeMs;

    const second = await synth('--check');

    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('gitops/ is up to date');
    expect(second.stdout).toBe(first.stdout);
    expect(bundles()).toEqual(built);
    expect(statSync(join(cache, 'synth', built[0]!)).mtimeMs).toBe(mtime);
  });

  it('rebuilds when an app changes, so the change is rendered', async () => {
    const source = scratch.read('apps/web/src/index.ts');
    scratch.write('apps/web/src/index.ts', source.replace(/image: '([^':]+):[^']+'/, "image: '$1:9.9.9'"));

    const result = await synth('--check');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('stale: gitops/dev/app-web/deployment-web.yaml');
    scratch.write('apps/web/src/index.ts', source);
  });

  it('runs changed modules beside the joined module file, until more than 8 changed: then joins them again', async () => {
    const manifest = () => {
      const [name] = readdirSync(join(cache, 'synth'))
        .filter((entry) => entry.endsWith('.json'))
        .map((entry) => ({ entry, mtime: statSync(join(cache, 'synth', entry)).mtimeMs }))
        .sort((a, b) => b.mtime - a.mtime)
        .map(({ entry }) => entry);
      return JSON.parse(readFileSync(join(cache, 'synth', name!), 'utf8')) as { combined: string; separate: [string, string][] };
    };
    const app = 'apps/web/src/index.ts';
    const source = scratch.read(app);
    await synth('--check');
    const joined = manifest().combined;
    const tagged = (tag: number) => source.replace(/image: '([^':]+):[^']+'/, `image: '$1:0.0.${tag}'`);

    scratch.write(app, tagged(1));
    const changed = await synth('--check');

    expect(changed.stderr).toContain('stale: gitops/dev/app-web/deployment-web.yaml');
    expect(manifest()).toMatchObject({ combined: joined, separate: [[join(scratch.root, app), expect.stringMatching(/^module-/)]] });
    // Nine modules added (apps no env runs yet), one over the limit.
    const added = Array.from({ length: 9 }, (_, index) => `extra${index}`);
    for (const name of added) scratch.write(`apps/${name}/src/index.ts`, scratch.read('apps/worker/src/index.ts').replace("name: 'worker'", `name: '${name}'`));
    scratch.write(app, tagged(2));
    const rejoined = await synth('--check');

    expect(rejoined.stderr).toContain('stale: gitops/dev/app-web/deployment-web.yaml');
    expect(manifest().combined).not.toBe(joined);
    expect(manifest().separate).toEqual([]);
    for (const name of added) scratch.remove(`apps/${name}`);
    scratch.write(app, source);
    expect((await synth('--check')).code).toBe(0);
  });

  it('picks up a new app folder listed by an env', async () => {
    scratch.write('apps/extra/src/index.ts', scratch.read('apps/worker/src/index.ts').replace("name: 'worker'", "name: 'extra'"));
    const env = scratch.read('clusters/dev/env.ts');
    scratch.write('clusters/dev/env.ts', env.replace(/apps: \{/, 'apps: {\n    extra: {},'));

    const result = await synth('--check', '--env', 'dev');

    // The new app renders (or is reported by a check), which only happens if it was bundled.
    expect(`${result.stdout}${result.stderr}`).toContain('app-extra');
    scratch.write('clusters/dev/env.ts', env);
    scratch.remove('apps/extra');
  });

  it('reports a syntax error with its file and line, and leaves gitops/ alone', async () => {
    const before = hashTree(scratch.path('gitops'));
    const source = scratch.read('apps/api/src/index.ts');
    scratch.write('apps/api/src/index.ts', `${source}\nexport const broken = ;\n`);

    const result = await synth();

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/apps\/api\/src\/index\.ts:\d+:\d+/);
    expect(result.stderr).toContain('gitops/ was not changed');
    expect(hashTree(scratch.path('gitops'))).toBe(before);
    scratch.write('apps/api/src/index.ts', source);
  });
});
