import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSsmServer, type SsmServer } from '@gitops/ssm-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli';
import { hashTree, repoRoot, scratchRepo, type Scratch } from './support/scratch';

// End to end through the real command line: the launcher `pnpm synth` runs
// (packages/synth/bin/synth.mjs), in a child process, against scratch repositories. Spawning
// costs seconds, so only what in-process tests cannot show is here: exit codes, stderr lines,
// --root and GITOPS_ROOT, and --endpoint reaching a local SSM with the SDK's own credential chain.
const launcher = join(repoRoot, 'packages/synth/bin/synth.mjs');

// The launcher caches its bundles by root; scratch roots get a cache of their own, removed afterwards.
let cache: string;
beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), 'gitops-synth-cache-'));
});
afterAll(() => rmSync(cache, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [launcher, ...args],
      { cwd: repoRoot, env: { ...process.env, GITOPS_CACHE_DIR: cache, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let repo: Scratch;
let server: SsmServer | undefined;
afterEach(async () => {
  repo?.dispose();
  await server?.close();
  server = undefined;
});

describe('pnpm synth (child process)', () => {
  it('exits 1 with one stderr line per problem and leaves gitops/ unchanged', async () => {
    // GIVEN a stale gitops/, a second app claiming the name "web" and an env listing an undefined app
    repo = scratchRepo(['clusters', 'apps', 'gitops']);
    repo.write('gitops/dev/app-web/configmap-stale.yaml', 'kind: ConfigMap\n');
    repo.write('apps/web-copy/src/index.ts', repo.read('apps/web/src/index.ts'));
    repo.write('clusters/stg/env.ts', repo.read('clusters/stg/env.ts').replace(/apps: \{/, 'apps: {\n    ghost: {},'));
    const before = hashTree(repo.path('gitops'));

    // WHEN
    const { code, stdout, stderr } = await cli(['synth', '--root', repo.root]);

    // THEN
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'error: component app-web: apps/web-copy/src/index.ts: name: given "web", which apps/web/src/index.ts defines too; expected a name of its own, equal to its folder (web-copy)',
      'error: env stg: component app-ghost: clusters/stg/env.ts: apps.ghost: lists app "ghost", but apps/ghost/ does not define it',
      '2 problems; gitops/ was not changed',
    ]);
    expect(stdout).toBe('');
    expect(hashTree(repo.path('gitops'))).toBe(before);
  });
});

describe('pnpm params:pull (child process)', () => {
  it('refreshes a snapshot from the SSM at --endpoint, printing the changes and leaving the SecureString out', async () => {
    // GIVEN SSM holds the dev snapshot with one value changed and one SecureString added
    repo = scratchRepo(['clusters', 'apps']);
    const snapshot = JSON.parse(repo.read('clusters/dev/ssm-snapshot.json')) as { parameters: Record<string, { type: 'String'; value: string }> };
    const changed = '/fargate-gitops/dev/network/vpc-id';
    const secret = 'p4ssw0rd-never-in-git';
    server = await startSsmServer({
      parameters: [
        ...Object.entries(snapshot.parameters).map(([name, p]) => ({ name, ...p, ...(name === changed ? { value: 'vpc-0fedcba9876543210' } : {}) })),
        { name: '/fargate-gitops/dev/apps/api/database-password', value: secret, type: 'SecureString' },
      ],
    });
    // The SDK's default credential chain, isolated from the machine's own AWS configuration.
    const aws = {
      AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
      AWS_SECRET_ACCESS_KEY: 'local-test-secret',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
      AWS_CONFIG_FILE: repo.path('no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: repo.path('no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };

    // WHEN
    const { code, stdout, stderr } = await cli(['params:pull', '--env', 'dev', '--endpoint', server.endpoint], { ...aws, GITOPS_ROOT: repo.root });

    // THEN
    expect(code, stderr).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      'dev: 0 added, 1 changed, 0 removed; clusters/dev/ssm-snapshot.json written',
      `  ~ ${changed}`,
      '  ! /fargate-gitops/dev/apps/api/database-password: SecureString, left out (its value is never written)',
    ]);
    const written = repo.read('clusters/dev/ssm-snapshot.json');
    expect(JSON.parse(written).parameters[changed]).toEqual({ type: 'String', value: 'vpc-0fedcba9876543210' });
    expect(`${written}${stdout}${stderr}`).not.toContain(secret);
    expect(server.calls.GetParametersByPath).toBe(Math.ceil((Object.keys(snapshot.parameters).length + 1) / 10));
  });
});

describe('main (in process): usage errors', () => {
  it('refuses --endpoint without --live instead of silently reading the snapshots', async () => {
    // GIVEN a synth that names an SSM endpoint but not --live
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      // WHEN
      const code = await main(['synth', '--endpoint', 'http://127.0.0.1:9']);

      // THEN it is a usage error, exit 2, saying why
      expect(code).toBe(2);
      expect(errors[0]).toMatch(/^error: --endpoint only applies with --live/);
    } finally {
      console.error = original;
    }
  });
});
