import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_NAME } from '../src/lock';
import { hashTree, repoRoot, scratchRepo, type Scratch } from './support/scratch';

// Failures only the real launcher shows (packages/synth/bin/synth.mjs, run by `pnpm synth`): a
// module that throws inside the bundle, a gitops/ that cannot be written, a second synth while
// one holds the lock, and the very first run with empty caches. Each ends in problem lines (or,
// on success, the summary) and never in a stack trace, unless --debug asks for one.

const launcher = join(repoRoot, 'packages/synth/bin/synth.mjs');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let cache: string;
let repo: Scratch;
beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), 'gitops-launcher-failures-'));
});
afterAll(() => rmSync(cache, { recursive: true, force: true }));
afterEach(() => repo?.dispose());

function synth(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, 'synth', '--root', repo.root, ...args], { env: { ...process.env, GITOPS_CACHE_DIR: cache, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const STACK = /^\s+at |node_modules\/\.cache|\.cjs:\d+/m;

/**
 * Makes a folder unwritable for this process: chmod for a normal user; root ignores modes, so
 * as root the immutable attribute (chattr +i, which binds root too). Fails the test when neither
 * works, rather than skipping it.
 */
function makeReadOnly(dir: string): () => void {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', dir]);
    return () => execFileSync('chattr', ['-i', dir]);
  }
  execFileSync('chmod', ['a-w', dir]);
  return () => execFileSync('chmod', ['u+w', dir]);
}

describe('launcher failures are problem lines', () => {
  it('an app module that throws while the bundle loads it names the app file and the error', async () => {
    repo = scratchRepo(['clusters', 'apps', 'gitops']);
    repo.write('apps/web/src/index.ts', repo.read('apps/web/src/index.ts').replace("import { defineApp } from '@gitops/app';", "import { defineApp } from '@gitops/app';\nthrow new Error('web config missing');"));
    const before = hashTree(repo.path('gitops'));

    const run = await synth([]);

    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(['error: component app-web: apps/web/src/index.ts: failed to load: web config missing', '1 problem; gitops/ was not changed']);
    expect(run.stderr).not.toMatch(STACK);
    expect(hashTree(repo.path('gitops'))).toBe(before);
  });

  it('an unwritable gitops/ is one line naming the path; --debug adds the stack trace', async () => {
    repo = scratchRepo(['clusters', 'apps', 'gitops']);
    repo.write('clusters/stg/env.ts', repo.read('clusters/stg/env.ts').replace('web: { replicas: 2 }', 'web: { replicas: 4 }'));
    const before = hashTree(repo.path('gitops'));
    const restore = makeReadOnly(repo.path('gitops'));
    let plain: Run;
    let debug: Run;
    try {
      plain = await synth([]);
      debug = await synth(['--debug']);
    } finally {
      restore();
    }

    expect(plain.code).toBe(1);
    expect(plain.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: gitops\/\.synth-XXXXXX: (permission denied \(EACCES|operation not permitted \(EPERM), mkdtemp\); check the owner and mode of that path$/),
      '1 problem; gitops/ was not changed',
    ]);
    expect(plain.stderr).not.toMatch(STACK);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at /m);
    expect(hashTree(repo.path('gitops'))).toBe(before);
  });

  it('an unwritable cache is one line naming the cache path', async () => {
    repo = scratchRepo(['clusters', 'apps', 'gitops']);
    const readOnlyCache = mkdtempSync(join(tmpdir(), 'gitops-readonly-cache-'));
    const before = hashTree(repo.path('gitops'));
    const restore = makeReadOnly(readOnlyCache);
    let run: Run;
    try {
      run = await synth([], { GITOPS_CACHE_DIR: readOnlyCache });
    } finally {
      restore();
      rmSync(readOnlyCache, { recursive: true, force: true });
    }

    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^error: synth launcher: ${readOnlyCache}/synth: permission denied \\((EACCES|EPERM), mkdir\\); check the owner and mode of that path`)),
      '1 problem; gitops/ was not changed',
    ]);
    expect(run.stderr).not.toMatch(STACK);
    expect(hashTree(repo.path('gitops'))).toBe(before);
  });

  it('a second synth while one holds the lock refuses with one line, and waits for one that ends', async () => {
    repo = scratchRepo(['clusters', 'apps', 'gitops']);
    repo.write('clusters/stg/env.ts', repo.read('clusters/stg/env.ts').replace('web: { replicas: 2 }', 'web: { replicas: 4 }'));
    const before = hashTree(repo.path('gitops'));
    const release = await lock(repo.root, { lockfilePath: repo.path(LOCK_NAME), realpath: false });
    let refused: Run;
    try {
      refused = await synth([], { GITOPS_LOCK_WAIT_MS: '400' });
    } finally {
      await release();
    }
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: \.gitops-synth\.lock: another synth is running in this repository \(waited 400 ms for it\); run again once it ends/),
      '1 problem; gitops/ was not changed',
    ]);
    expect(hashTree(repo.path('gitops'))).toBe(before);

    const held = await lock(repo.root, { lockfilePath: repo.path(LOCK_NAME), realpath: false });
    const waiting = synth([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await held();
    const waited = await waiting;

    expect(waited.code, waited.stderr).toBe(0);
    // The Deployment, and the env README that shows its replicas.
    expect(waited.stdout).toMatch(/^stg: \d+ objects in \d+ components; 0 added, 2 changed, 0 removed \(written\)$/m);
    expect(repo.read('gitops/stg/app-web/deployment-web.yaml')).toContain('replicas: 4');
  });

  it('the first run in a fresh clone, with empty caches, prints only the summary', async () => {
    repo = scratchRepo(['clusters', 'apps', 'gitops']);
    const empty = mkdtempSync(join(tmpdir(), 'gitops-empty-cache-'));
    try {
      const run = await synth(['--check'], { GITOPS_CACHE_DIR: empty });

      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      const lines = run.stdout.trimEnd().split('\n');
      // One line per env, its Fargate report lines (indented), and the verdict: nothing else.
      for (const line of lines) expect(line).toMatch(/^([a-z0-9-]+: \d+ objects in \d+ components; .*|  .*|gitops\/ is up to date)$/);
      expect(lines.filter((line) => /^[a-z]/.test(line))).toEqual([expect.stringMatching(/^dev: /), expect.stringMatching(/^prod: /), expect.stringMatching(/^stg: /), 'gitops/ is up to date']);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
