import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copiedRepo } from './support/copied-repo';
import { hashTree, listTree } from './support/scratch';

// The render cache and the worker threads must not change a byte of what synth writes: every
// tree below is compared with a cold, single-threaded run on the same inputs. The runs go through
// the launcher (bin/synth.mjs), as `pnpm synth` does, on a copy of the whole repository, so a
// test can change library code too. GITOPS_SYNTH_TRACE makes synth say, per env, how many
// components it rendered and reused, and on which thread.

const run = promisify(execFile);
let repo: ReturnType<typeof copiedRepo>;
let temp: string;
/** The cache kept across the runs of a test: the reuse path. */
let warm: string;
let fresh = 0;

interface Trace {
  readonly rendered: number;
  readonly reused: number;
  readonly resultsReused: boolean;
  /** The results of the checks of the whole env, its reports and README reused: what they read was unchanged. */
  readonly wholeReused: boolean;
  readonly thread: number;
}

async function synth(args: string[], options: { cache: string; threads: number }): Promise<{ stdout: string; traces: Map<string, Trace> }> {
  const { stdout, stderr } = await run(process.execPath, [repo.launcher, 'synth', '--root', repo.root, ...args], {
    env: { ...process.env, GITOPS_CACHE_DIR: options.cache, GITOPS_SYNTH_THREADS: String(options.threads), GITOPS_SYNTH_TRACE: '1' },
  });
  const traces = new Map<string, Trace>();
  for (const [, env, rendered, reused, results, thread] of stderr.matchAll(/^trace: (\S+): (\d+) rendered, (\d+) reused(, check results reused|, whole-env results reused)?, thread (\d+)$/gm)) {
    traces.set(env!, {
      rendered: Number(rendered),
      reused: Number(reused),
      resultsReused: results === ', check results reused',
      wholeReused: results !== undefined,
      thread: Number(thread),
    });
  }
  return { stdout, traces };
}

const freshCache = () => join(temp, `fresh-${++fresh}`);

/**
 * Replaces the workspace bundle the launcher last used with one that throws when loaded (a run
 * that loads synth fails, naming it); returns what puts it back.
 */
function breakWorkspaceBundle(cache: string): () => void {
  const dir = join(cache, 'synth');
  const manifests = readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => join(dir, name));
  const newest = manifests.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]!;
  const bundle = join(dir, (JSON.parse(readFileSync(newest, 'utf8')) as { library: { bundle: string } }).library.bundle);
  const code = readFileSync(bundle);
  writeFileSync(bundle, "throw new Error('the workspace bundle was loaded');\n");
  rmSync(`${bundle}.v8`, { force: true });
  return () => writeFileSync(bundle, code);
}

/** The tree a cold, single-threaded synth writes into an empty gitops/ for the current inputs. */
async function coldTree(): Promise<string> {
  rmSync(repo.path('gitops'), { recursive: true, force: true });
  const { traces } = await synth([], { cache: freshCache(), threads: 1 });
  expect([...traces.values()].every((trace) => trace.reused === 0 && trace.thread === 0)).toBe(true);
  return hashTree(repo.path('gitops'));
}

/** Every path under gitops/ with its inode and times: what changes when anything is written. */
const stamps = () =>
  listTree(repo.path('gitops')).map((path) => {
    const stat = statSync(join(repo.path('gitops'), path));
    return `${path} ${stat.ino} ${stat.mtimeMs} ${stat.ctimeMs}`;
  });

beforeAll(() => {
  repo = copiedRepo();
  temp = mkdtempSync(join(tmpdir(), 'synth-render-cache-'));
  warm = join(temp, 'warm');
});
afterAll(() => {
  repo.dispose();
  rmSync(temp, { recursive: true, force: true });
});

describe('synth with the render cache', () => {
  it('reuses every env of an unchanged tree and writes nothing', async () => {
    await synth([], { cache: warm, threads: 1 });
    await synth([], { cache: warm, threads: 1 });
    const before = stamps();

    const { stdout, traces } = await synth([], { cache: warm, threads: 1 });

    expect(stdout).not.toContain('(written)');
    expect([...traces.keys()]).toEqual(['dev', 'prod', 'stg']);
    for (const trace of traces.values()) expect(trace).toMatchObject({ rendered: 0, resultsReused: true });
    expect(stamps()).toEqual(before);
  });

  it('answers a run of unchanged inputs on an unchanged tree from the run it keeps, without loading synth\'s bundles', async () => {
    await synth([], { cache: warm, threads: 1 });
    const settled = await synth([], { cache: warm, threads: 1 });
    const restore = breakWorkspaceBundle(warm);
    try {
      const { stdout, traces } = await synth([], { cache: warm, threads: 1 });
      expect(stdout).toBe(settled.stdout);
      for (const trace of traces.values()) expect(trace).toMatchObject({ rendered: 0, resultsReused: true });
      // A snapshot is an input of its own: with it changed, synth loads its bundles (broken here).
      const snapshot = repo.path('clusters/dev/ssm-snapshot.json');
      const text = readFileSync(snapshot, 'utf8');
      writeFileSync(snapshot, `${text}\n`);
      try {
        await expect(synth([], { cache: warm, threads: 1 })).rejects.toMatchObject({ stderr: expect.stringContaining('the workspace bundle was loaded') });
      } finally {
        writeFileSync(snapshot, text);
      }
    } finally {
      restore();
    }
  });

  it('goes the long way when gitops/ differs from what the kept run left, and puts it back', async () => {
    await synth([], { cache: warm, threads: 1 });
    const cold = await coldTree();
    await synth([], { cache: warm, threads: 1 });
    writeFileSync(repo.path('gitops/stg/app-web/service-web.yaml'), 'edited by hand\n');
    mkdirSync(repo.path('gitops/qa/app-web'), { recursive: true });
    writeFileSync(repo.path('gitops/qa/app-web/service-web.yaml'), 'an env folder no env renders\n');

    const { stdout } = await synth([], { cache: warm, threads: 1 });

    expect(stdout).toMatch(/^stg: .* 1 changed/m);
    expect(stdout).toContain('qa: no env in clusters/; gitops/qa/ removed');
    expect(hashTree(repo.path('gitops'))).toBe(cold);
    const check = await synth(['--check'], { cache: warm, threads: 1 });
    expect(check.stdout).toContain('gitops/ is up to date');
  });

  it('leaves gitops/ as it was, no staging folder either, when the last env fails after earlier envs with no folder yet passed', async () => {
    await synth([], { cache: warm, threads: 1 });
    for (const env of ['dev', 'prod']) rmSync(repo.path(`gitops/${env}`), { recursive: true, force: true });
    const before = hashTree(repo.path('gitops'));
    const env = repo.path('clusters/stg/env.ts');
    const spec = readFileSync(env, 'utf8');
    expect(spec).toContain('  fargateProfiles,\n');
    // stg renders last, with no profile for two of its apps' namespaces: found by its Fargate check.
    writeFileSync(env, spec.replace('  fargateProfiles,\n', "  fargateProfiles: [fargateProfiles[0]!, { name: 'apps', selectors: [{ namespace: 'web' }] }],\n"));
    try {
      await expect(synth([], { cache: warm, threads: 1 })).rejects.toMatchObject({ stderr: expect.stringMatching(/no Fargate profile of stg selects pods of namespace api/) });
    } finally {
      writeFileSync(env, spec);
    }

    expect(hashTree(repo.path('gitops'))).toBe(before);
    expect(readdirSync(repo.path('gitops')).filter((name) => name.startsWith('.'))).toEqual([]);
    await synth([], { cache: warm, threads: 1 });
    expect(hashTree(repo.path('gitops'))).toBe(await coldTree());
  });

  it('after one app\'s image changed, renders that app only (what the Argo CD component reads of it is the same), and writes the tree a cold run writes', async () => {
    const app = repo.path('apps/web/src/index.ts');
    writeFileSync(app, readFileSync(app, 'utf8').replace(/image: '([^':]+):[^']+'/, "image: '$1:9.9.9'"));
    const before = hashTree(repo.path('gitops'));

    const { stdout, traces } = await synth([], { cache: warm, threads: 1 });
    const reused = hashTree(repo.path('gitops'));

    expect(stdout).toContain('1 changed');
    // No check of the whole env reads an image: their results, the reports and the README are reused.
    for (const trace of traces.values()) expect(trace).toMatchObject({ rendered: 1, resultsReused: false, wholeReused: true });
    expect(reused).not.toBe(before);
    expect(await coldTree()).toBe(reused);
  });

  it('after one app gained an object, renders that app and the Argo CD component, whose view of it changed', async () => {
    await synth([], { cache: warm, threads: 1 });
    const app = repo.path('apps/web/src/index.ts');
    writeFileSync(app, readFileSync(app, 'utf8').replace("ports: [", 'autoscaling: { maxReplicas: 4 },\n  ports: ['));

    const { stdout, traces } = await synth([], { cache: warm, threads: 1 });
    const reused = hashTree(repo.path('gitops'));

    expect(stdout).toMatch(/1 added/);
    for (const trace of traces.values()) expect(trace).toMatchObject({ rendered: 2, resultsReused: false, wholeReused: false });
    expect(await coldTree()).toBe(reused);
  });

  it('after one app\'s resources changed, renders that app and runs the checks of the whole env again (the Fargate sizes they read changed)', async () => {
    await synth([], { cache: warm, threads: 1 });
    const app = repo.path('apps/web/src/index.ts');
    const source = readFileSync(app, 'utf8');
    expect(source).toMatch(/memory: '\d+Mi'/);
    writeFileSync(app, source.replace(/memory: '(\d+)Mi'/, (_, mebibytes) => `memory: '${Number(mebibytes) * 2}Mi'`));

    const { stdout, traces } = await synth([], { cache: warm, threads: 1 });
    const reused = hashTree(repo.path('gitops'));

    expect(stdout).toMatch(/ [1-9]\d* changed/);
    for (const trace of traces.values()) expect(trace).toMatchObject({ rendered: 1, wholeReused: false });
    expect(await coldTree()).toBe(reused);
  });

  it('finds what the checks of the whole env find in a changed app, though no other component rendered', async () => {
    await synth([], { cache: warm, threads: 1 });
    const app = repo.path('apps/web/src/index.ts');
    const source = readFileSync(app, 'utf8');
    const before = hashTree(repo.path('gitops'));
    // A namespace no Fargate profile selects: only the Fargate check, which reads every pod's namespace, finds it.
    writeFileSync(app, source.replace("name: 'web',", "name: 'web',\n  namespace: 'unprofiled',"));

    let stderr = '';
    try {
      await synth([], { cache: warm, threads: 1 });
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
    } finally {
      writeFileSync(app, source);
    }

    expect(stderr).toMatch(/^error: env dev: component app-web: clusters\/dev\/env\.ts: fargateProfiles: no Fargate profile of dev selects pods of namespace unprofiled/m);
    expect(hashTree(repo.path('gitops'))).toBe(before);
    const { traces } = await synth([], { cache: warm, threads: 1 });
    for (const trace of traces.values()) expect(trace).toMatchObject({ rendered: 0, resultsReused: true });
  });

  it('puts back a file changed by hand in the folder of a reused component, from the render cache', async () => {
    await synth([], { cache: warm, threads: 1 });
    const cold = await coldTree();
    await synth([], { cache: warm, threads: 1 });
    const file = repo.path('gitops/prod/app-api/deployment-api.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}# edited by hand\n`);

    const { stdout, traces } = await synth([], { cache: warm, threads: 1 });

    expect(stdout).toMatch(/^prod: .* 1 changed/m);
    for (const trace of traces.values()) expect(trace).toMatchObject({ rendered: 0 });
    expect(hashTree(repo.path('gitops'))).toBe(cold);
  });

  it('renders again what it needs of a pack that cannot be read, writes what a cold run writes, and renders that env whole next time', async () => {
    const cold = await coldTree();
    const cache = freshCache();
    await synth([], { cache, threads: 1 });
    await synth([], { cache, threads: 1 });
    const packs = join(cache, 'render', 'pack');
    // The index line stays, so the entries are found missing only when read.
    for (const name of readdirSync(packs)) writeFileSync(join(packs, name), `${readFileSync(join(packs, name), 'utf8').split('\n')[0]}\n{"broken`);
    // Dev's folder of a reused component, to be put back from the pack; and a change to stg, whose
    // spec prod's Argo CD component reads (hub mode), so it renders again and reads what prod's
    // components before it rendered.
    writeFileSync(repo.path('gitops/dev/app-web/service-web.yaml'), 'edited by hand\n');
    const env = repo.path('clusters/stg/env.ts');
    const spec = readFileSync(env, 'utf8');
    writeFileSync(env, spec.replace(/apps: \{/, "apps: {\n    worker: { replicas: 3 },").replace(/\n\s+worker: \{\},/, ''));

    try {
      const { traces } = await synth([], { cache, threads: 1 });
      expect(traces.get('prod')).toMatchObject({ reused: 0 });
      const changed = hashTree(repo.path('gitops'));
      expect(await coldTree()).toBe(changed);
    } finally {
      writeFileSync(env, spec);
    }
    await synth([], { cache, threads: 1 });
    expect(hashTree(repo.path('gitops'))).toBe(cold);
    const { traces } = await synth([], { cache, threads: 1 });
    expect(traces.get('dev')).toMatchObject({ rendered: 0, resultsReused: true });
  });

  it('after one env changed, renders that env, and of the others only the Argo CD component, which reads every env (hub mode)', async () => {
    await synth([], { cache: warm, threads: 1 });
    const env = repo.path('clusters/stg/env.ts');
    writeFileSync(env, readFileSync(env, 'utf8').replace(/apps: \{/, "apps: {\n    worker: { replicas: 3 },").replace(/\n\s+worker: \{\},/, ''));

    const { traces } = await synth([], { cache: warm, threads: 1 });
    const reused = hashTree(repo.path('gitops'));

    expect(traces.get('stg')).toMatchObject({ reused: 0 });
    expect(traces.get('dev')).toMatchObject({ rendered: 1, resultsReused: false });
    expect(traces.get('prod')).toMatchObject({ rendered: 1, resultsReused: false });
    expect(await coldTree()).toBe(reused);
  });

  it('reports a problem a check finds in a cached component on every run, not only the first', async () => {
    await synth([], { cache: warm, threads: 1 });
    const app = repo.path('apps/api/src/index.ts');
    const source = readFileSync(app, 'utf8');
    // A problem only the app check of the rendered env finds (a credential in the spec is found
    // by the spec scan before anything renders): a probe on a port the app does not list.
    writeFileSync(app, source.replace("httpGet: '/livez',", "httpGet: '/livez', port: 9999,"));
    const before = hashTree(repo.path('gitops'));

    const failures = [];
    try {
      for (let run = 0; run < 2; run++) failures.push(await synth([], { cache: warm, threads: 1 }).then(() => '', (error: { stderr: string }) => error.stderr));
    } finally {
      writeFileSync(app, source);
    }

    expect(failures[0]).toMatch(/^error: env dev: component app-api: apps\/api\/src\/index\.ts: probes\.liveness\.port: 9999 is not one of the app's ports/m);
    expect(failures[1]).toBe(failures[0]);
    expect(hashTree(repo.path('gitops'))).toBe(before);
  });

  it('renders on worker threads the tree a single thread renders', async () => {
    const single = await coldTree();
    rmSync(repo.path('gitops'), { recursive: true, force: true });

    const { traces } = await synth([], { cache: freshCache(), threads: 3 });

    expect([...traces.values()].some((trace) => trace.thread !== 0)).toBe(true);
    expect(hashTree(repo.path('gitops'))).toBe(single);
    const check = await synth(['--check'], { cache: freshCache(), threads: 3 });
    expect(check.stdout).toContain('gitops/ is up to date');
  });

  it('after a change to library code every component uses, re-renders everything, as a cold run does', async () => {
    await synth([], { cache: warm, threads: 1 });
    const yaml = repo.path('packages/synth/src/yaml.ts');
    const source = readFileSync(yaml, 'utf8');
    expect(source).toContain('return writeBlockYaml(object, style) ?? toYamlWithLibrary(object);');
    writeFileSync(yaml, source.replace('return writeBlockYaml(object, style) ?? toYamlWithLibrary(object);', "return `# fleet\\n${writeBlockYaml(object, style) ?? toYamlWithLibrary(object)}`;"));

    const { traces } = await synth([], { cache: warm, threads: 1 });
    const reused = hashTree(repo.path('gitops'));

    for (const trace of traces.values()) expect(trace).toMatchObject({ reused: 0, resultsReused: false });
    expect(readFileSync(repo.path('gitops/dev/app-web/deployment-web.yaml'), 'utf8')).toMatch(/^# fleet\n/);
    expect(await coldTree()).toBe(reused);
  });
});
