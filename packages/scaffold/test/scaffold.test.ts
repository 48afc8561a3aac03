import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * A scratch copy of the repository as Git would check it out (tracked and new files, nothing
 * ignored: no node_modules, no cdk.out), installed offline from the pnpm store like a clone.
 */
function scratchCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'gitops-scaffold-'));
  const files = execFileSync('git', ['-C', repoRoot, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
    .split('\0')
    .filter((path) => path !== '' && !path.startsWith('gitops/.'));
  execFileSync('tar', ['-C', repoRoot, '--null', '-T', '-', '-cf', join(root, '.copy.tar')], { input: files.join('\0') });
  execFileSync('tar', ['-C', root, '-xf', join(root, '.copy.tar')]);
  rmSync(join(root, '.copy.tar'));
  return root;
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('pnpm new:env and pnpm new:app in a scratch copy of the repository', () => {
  let root: string;
  const run = (command: string, args: string[]): Run => {
    const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, GITOPS_ROOT: root, FORCE_COLOR: '0' } });
    return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
  };
  const pnpm = (...args: string[]) => run('pnpm', ['--silent', ...args]);
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  /** Every file the commands may write (node_modules left out), as one digest. */
  const state = () => {
    const hash = createHash('sha256');
    for (const folder of ['clusters', 'apps', 'packages/infra/src', 'gitops']) {
      const paths = (readdirSync(join(root, folder), { recursive: true }) as string[]).filter((path) => !path.split('/').includes('node_modules')).sort();
      for (const path of paths) {
        hash.update(`${folder}/${path}\n`);
        try {
          hash.update(readFileSync(join(root, folder, path)));
        } catch {
          // A folder.
        }
      }
    }
    return hash.digest('hex');
  };

  beforeAll(() => {
    root = scratchCopy();
    const install = run('pnpm', ['install', '--offline', '--frozen-lockfile']);
    expect(install.code, install.stderr).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a bad or existing name, an unknown env, a bad account or region: one line, nothing written', async () => {
    const before = state();
    const refusals: [string[], RegExp][] = [
      [['new:env', 'Bad_Name', '--account', '444444444444', '--region', 'ap-northeast-1'], /^new:env: env name "Bad_Name" must be/],
      [['new:env', 'stg', '--account', '444444444444', '--region', 'ap-northeast-1'], /^new:env: env stg already exists: clusters\/stg is there$/],
      [['new:env', 'qa', '--account', '4444', '--region', 'ap-northeast-1'], /^new:env: --account\/--region: account "4444" is not a 12-digit AWS account ID$/],
      [['new:env', 'qa', '--account', '444444444444', '--region', 'tokyo'], /^new:env: --account\/--region: region "tokyo" is not an AWS region name/],
      [['new:env', 'qa', '--account', '444444444444', '--region', 'ap-northeast-1', '--from', 'nope'], /^new:env: --from nope: no such env; clusters\/ defines dev, prod, stg$/],
      [['new:app', 'web'], /^new:app: app web already exists: apps\/web\/ is there$/],
      [['new:app', 'kube-system'], /^new:app: app name "kube-system" is a platform namespace/],
      [['new:app', 'Hello'], /^new:app: app name "Hello" must be/],
      [['new:app', 'hello', '--env', 'nope'], /^new:app: --env nope: no such env; clusters\/ defines dev, prod, stg$/],
      [['new:app', 'hello', '--expose', 'not a host'], /^new:app: --expose "not a host" is not a lowercase DNS host name/],
    ];
    // In-process (the same main() `pnpm new:env` runs), to keep ten refusals quick.
    for (const [args, message] of refusals) {
      const errors: string[] = [];
      const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)));
      try {
        expect(await main([...args, '--root', root]), args.join(' ')).toBe(1);
      } finally {
        spy.mockRestore();
      }
      expect(errors, args.join(' ')).toEqual([expect.stringMatching(message)]);
    }
    expect(state()).toBe(before);
  });

  it('writes an env stating only what differs from shared.ts, its infra settings and index entry, and a placeholder snapshot', { timeout: 120_000 }, () => {
    const qa = pnpm('new:env', 'qa', '--account', '444444444444', '--region', 'ap-northeast-1', '--from', 'stg');
    expect(qa.code, qa.stderr).toBe(0);
    expect(qa.stdout).toContain('wrote clusters/qa/env.ts\nwrote clusters/qa/ssm-snapshot.json\nwrote packages/infra/src/environments/index.ts\nwrote packages/infra/src/environments/qa.ts\n');
    expect(read('clusters/qa/env.ts')).toBe(
      [
        "import { defineEnvironment } from '@gitops/core';",
        "import { argocd, dropHealthChecks, fargateProfiles, region } from '../shared';",
        '',
        '// Written by `pnpm new:env qa --account 444444444444 --region ap-northeast-1 --from stg`; states only what differs from ../shared.ts.',
        '// Renders from placeholder SSM parameters until its infra is deployed and `pnpm params:pull --env qa` runs.',
        'export default defineEnvironment({',
        "  name: 'qa',",
        "  account: '444444444444',",
        '  region,',
        "  ssmPrefix: '/fargate-gitops/qa',",
        "  cluster: { name: 'fargate-gitops-qa', kubernetesVersion: '1.33' },",
        '  argocd,',
        '  fargateProfiles,',
        "  logging: { logStreamPrefix: 'qa-', fluentBitProcessLogs: false, lineFilters: [dropHealthChecks] },",
        '  apps: { web: { replicas: 2 }, api: { replicas: 2 }, worker: {} },',
        '});',
        '',
      ].join('\n'),
    );
    expect(read('packages/infra/src/environments/index.ts')).toContain("import qa from './qa';");
    expect(read('packages/infra/src/environments/index.ts')).toContain('= { dev, stg, prod, qa };');
    const snapshot = JSON.parse(read('clusters/qa/ssm-snapshot.json'));
    expect(snapshot.source).toEqual({ account: '444444444444', region: 'ap-northeast-1', path: '/fargate-gitops/qa', readAt: '1970-01-01T00:00:00.000Z', placeholder: true });
    expect(Object.values<any>(snapshot.parameters).every((p) => p.placeholder === true)).toBe(true);
    expect(snapshot.parameters['/fargate-gitops/qa/apps/web/target-group-arn'].value).toBe('arn:aws:elasticloadbalancing:ap-northeast-1:444444444444:targetgroup/qa-web/0000000000000000');

    // Another region, no --from: no apps, the region written out, the zones of that region.
    const sbx = pnpm('new:env', 'sbx', '--account', '555555555555', '--region', 'us-east-1');
    expect(sbx.code, sbx.stderr).toBe(0);
    expect(read('clusters/sbx/env.ts')).toContain("  region: 'us-east-1',\n");
    expect(read('clusters/sbx/env.ts')).toContain('  apps: {},\n');
    expect(read('packages/infra/src/environments/sbx.ts')).toContain("availabilityZones: ['us-east-1a', 'us-east-1b'],");
  });

  it('writes an app, adds it to envs, a Fargate selector, placeholder parameters and the hosts infra needs', { timeout: 240_000 }, () => {
    const hello = pnpm('new:app', 'hello', '--expose', 'hello.example.com', '--aws');
    expect(hello.code, hello.stderr).toBe(0);
    expect(read('clusters/shared.ts')).toContain("{ name: 'apps', selectors: [{ namespace: 'web' }, { namespace: 'api' }, { namespace: 'worker' }, { namespace: 'admin' }, { namespace: 'hello' }] },");
    for (const env of ['dev', 'prod', 'qa', 'sbx', 'stg']) {
      expect(read(`clusters/${env}/env.ts`)).toMatch(/ hello: \{\}/);
      const parameters = JSON.parse(read(`clusters/${env}/ssm-snapshot.json`)).parameters;
      expect(parameters[`/fargate-gitops/${env}/apps/hello/target-group-arn`]).toMatchObject({ placeholder: true });
      expect(parameters[`/fargate-gitops/${env}/apps/hello/role-arn`]).toMatchObject({ placeholder: true });
    }
    // dev's certificate is *.dev.example.com: it serves the host under its zone; prod's *.example.com covers it as it is.
    expect(read('packages/infra/src/environments/dev.ts')).toContain("hello: 'hello.dev.example.com'");
    expect(read('packages/infra/src/environments/prod.ts')).not.toContain('hello');

    // The next new:app loads the workspace, hello included: it needs hello's dependencies linked.
    const unlinked = state();
    const early = pnpm('new:app', 'jobs');
    expect(early.code).toBe(1);
    expect(early.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^new:app: the repository does not load as it is \(.*apps\/hello\/src\/index.ts.*\); run `pnpm install` first$/)]);
    expect(state()).toBe(unlinked);
    // The lockfile gains the new app's importer, as it does for a person: stated, because pnpm
    // installs frozen by default where CI=true (as .ci/run runs). Not --offline: resolving again
    // reads package metadata, which a machine that only ever installed frozen has not fetched.
    expect(run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile']).code).toBe(0);

    // hello was the fifth selector of the apps profile and filled it (EKS: 5 selectors per profile):
    // the sixth namespace gets a new profile, and the next one joins that.
    const jobs = pnpm('new:app', 'jobs', '--env', 'dev', '--env', 'sbx');
    expect(jobs.code, jobs.stderr).toBe(0);
    expect(read('clusters/shared.ts')).toContain("  { name: 'apps-3', selectors: [{ namespace: 'jobs' }] },");
    expect(run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile']).code).toBe(0);
    const third = pnpm('new:app', 'batch', '--env', 'dev');
    expect(third.code, third.stderr).toBe(0);
    expect(read('clusters/shared.ts')).toContain("  { name: 'apps-3', selectors: [{ namespace: 'jobs' }, { namespace: 'batch' }] },");
    expect(read('clusters/stg/env.ts')).not.toContain('jobs');
  });

  it('before pnpm install, synth says to run it; after it, synth, --check, typecheck and the infra synth pass unedited', { timeout: 400_000 }, () => {
    const before = pnpm('synth');
    expect(before.code).toBe(1);
    expect(before.stderr).toContain('apps/batch/package.json declares "@gitops/app", but it is not installed: run `pnpm install`');

    expect(run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile']).code).toBe(0);
    expect(read('pnpm-lock.yaml')).toContain('  apps/hello:\n');

    const synth = pnpm('synth');
    expect(synth.code, synth.stderr).toBe(0);
    expect(synth.stdout).toContain('placeholder parameters: 21 in clusters/qa/ssm-snapshot.json, a snapshot never read from SSM; this env renders from them until `pnpm params:pull --env qa` replaces them');
    expect(synth.stdout).toContain('placeholder parameters: 2 in clusters/stg/ssm-snapshot.json (apps/hello/role-arn, apps/hello/target-group-arn)');
    const check = pnpm('synth', '--check');
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('gitops/ is up to date');
    // In CI, the deployed envs refuse the new app's placeholders until infra is deployed and pulled; the new ones do not.
    const strict = pnpm('synth', '--check', '--refuse-placeholders');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^error: env dev: clusters\/dev\/ssm-snapshot.json: \/fargate-gitops\/dev\/apps\/hello\/role-arn: is a placeholder/m);
    expect(strict.stderr).not.toContain('env qa');

    const typecheck = pnpm('typecheck');
    expect(typecheck.code, typecheck.stdout + typecheck.stderr).toBe(0);
    const infra = pnpm('--filter', '@gitops/infra', 'synth');
    expect(infra.code, infra.stdout + infra.stderr).toBe(0);
    for (const env of ['dev', 'prod', 'qa', 'sbx', 'stg']) expect(infra.stdout).toContain(`${env}: fargate-gitops-${env}-infra`);
  });
});
