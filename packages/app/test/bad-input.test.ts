import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parameterName, parameters, type ParameterDefinition } from '@gitops/contract';
import type { EnvironmentSpec } from '@gitops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDefinition } from '../src/index';

// End to end through `pnpm synth --root <fixture>`: the real CLI, the real checks, and a gitops/
// tree that must come out byte-identical. Fixture modules are plain objects (no imports), so they
// load from a temporary folder outside the workspace.
const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));
const ACCOUNT = '111111111111';

function env(name: string, apps: EnvironmentSpec['apps']): EnvironmentSpec {
  return {
    name,
    account: ACCOUNT,
    region: 'ap-northeast-1',
    ssmPrefix: `/fixture/${name}`,
    cluster: { name: `fixture-${name}`, kubernetesVersion: '1.33' },
    argocd: { repoURL: 'https://example.com/repo.git', targetRevision: 'main' },
    fargateProfiles: [{ name: 'all', selectors: [{ namespace: '*' }] }],
    apps,
  };
}

const pem = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');

/** A valid value of every parameter the contract defines for `spec`, app ones for `apps`. */
function snapshot(spec: EnvironmentSpec, apps: readonly string[], leaveOut: readonly ParameterDefinition[] = []) {
  const samples: [ParameterDefinition, string][] = [
    [parameters.clusterName, spec.cluster.name],
    [parameters.clusterEndpoint, 'https://6E1F3A9C2B7D4E8F0A1B2C3D4E5F6A7B.gr7.ap-northeast-1.eks.amazonaws.com'],
    [parameters.clusterCertificateAuthority, pem],
    [parameters.vpcId, 'vpc-0a1b2c3d4e5f60001'],
    [parameters.albSecurityGroupId, 'sg-0a1b2c3d4e5f60011'],
    [parameters.loadBalancerControllerRoleArn, `arn:aws:iam::${ACCOUNT}:role/lbc`],
    [parameters.fargateLogGroupName, `/eks/${spec.cluster.name}/pods`],
    [parameters.argocdDeployerRoleArn, `arn:aws:iam::${ACCOUNT}:role/deployer`],
    ...apps.flatMap((app): [ParameterDefinition, string][] => [
      [parameters.appTargetGroupArn(app), `arn:aws:elasticloadbalancing:ap-northeast-1:${ACCOUNT}:targetgroup/${app}/0123456789abcdef`],
      [parameters.appRoleArn(app), `arn:aws:iam::${ACCOUNT}:role/${app}`],
    ]),
  ];
  const omitted = new Set(leaveOut.map((definition) => parameterName(definition, spec)));
  const entries = samples
    .map(([definition, value]) => [parameterName(definition, spec), { type: 'String', value }] as const)
    .filter(([name]) => !omitted.has(name));
  return {
    source: { account: ACCOUNT, region: spec.region, path: spec.ssmPrefix, readAt: '2026-01-01T00:00:00.000Z' },
    parameters: Object.fromEntries(entries),
  };
}

const good = (name: string, extra: Partial<AppDefinition> = {}): AppDefinition => ({
  name,
  image: `registry.example.com/${name}:1.0.0`,
  ports: [{ port: 8080 }],
  expose: {},
  ...extra,
});

/** Writes a repository with these apps and envs, and a gitops/ tree to compare after the run. */
function fixture(apps: readonly AppDefinition[], envs: readonly { spec: EnvironmentSpec; snapshot: unknown }[]): string {
  const root = mkdtempSync(join(tmpdir(), 'app-bad-input-'));
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  for (const app of apps) write(`apps/${app.name}/src/index.ts`, `export default ${JSON.stringify(app)};\n`);
  for (const { spec, snapshot } of envs) {
    write(`clusters/${spec.name}/env.ts`, `export default ${JSON.stringify(spec)};\n`);
    write(`clusters/${spec.name}/ssm-snapshot.json`, `${JSON.stringify(snapshot, null, 2)}\n`);
    write(`gitops/${spec.name}/app-previous/deployment-previous.yaml`, 'kind: Deployment\n');
  }
  return root;
}

function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

function synth(root: string) {
  const before = tree(join(root, 'gitops'));
  const run = spawnSync('pnpm', ['--silent', 'synth', '--root', root], { cwd: REPOSITORY, encoding: 'utf8', timeout: 180_000 });
  const errors = run.stderr.split('\n').filter((line) => line.startsWith('error: '));
  return { status: run.status, errors, stderr: run.stderr, before, after: tree(join(root, 'gitops')) };
}

describe('bad app input fails synth with one clear line each, and gitops/ unchanged', () => {
  const roots: string[] = [];
  // Spec problems are found when the modules load, before anything renders; problems only the
  // rendered output or the snapshots show come from a second repository whose specs are valid.
  let specs: ReturnType<typeof synth>;
  let rendered: ReturnType<typeof synth>;

  beforeAll(() => {
    const specApps = [good('badimage', { image: 'Registry.example.com/Shop:1.0' }), good('badport', { ports: [{ port: 70000 }], expose: { port: 70000 } })];
    const specEnvs = [env('images', { badimage: {} }), env('ports', { badport: {} })];
    roots.push(fixture(specApps, specEnvs.map((spec) => ({ spec, snapshot: snapshot(spec, Object.keys(spec.apps)) }))));
    specs = synth(roots[0]!);

    const renderApps = [good('huge', { resources: { cpu: '32', memory: '64Gi' } }), good('web')];
    const renderEnvs = [env('sizes', { huge: {} }), env('arns', { web: {} })];
    const snapshots = renderEnvs.map((spec) =>
      spec.name === 'arns' ? snapshot(spec, ['web'], [parameters.appTargetGroupArn('web')]) : snapshot(spec, Object.keys(spec.apps)),
    );
    roots.push(fixture(renderApps, renderEnvs.map((spec, i) => ({ spec, snapshot: snapshots[i] }))));
    rendered = synth(roots[1]!);
  });

  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('exits non-zero and leaves gitops/ as it was', () => {
    for (const result of [specs, rendered]) {
      expect(result.status, result.stderr).toBe(1);
      expect(result.after).toEqual(result.before);
      expect(result.stderr).toMatch(/gitops\/ was not changed/);
    }
  });

  it('names the app file and field of an invalid image reference', () => {
    expect(specs.errors).toContain(
      'error: component app-badimage: apps/badimage/src/index.ts: image: given "Registry.example.com/Shop:1.0"; ' +
        'expected an image reference ([registry/]path[:tag][@sha256:digest], path in lowercase)',
    );
  });

  it('names the port outside 1-65535', () => {
    expect(specs.errors).toContain('error: component app-badport: apps/badport/src/index.ts: ports[0].port: given 70000; expected a port: an integer from 1 to 65535');
    expect(specs.errors).toContain('error: component app-badport: apps/badport/src/index.ts: expose.port: given 70000; expected a port: an integer from 1 to 65535');
  });

  it("names the app whose requests are over Fargate's maximum, and the field to change", () => {
    expect(rendered.errors).toContainEqual(
      expect.stringMatching(
        /^error: env sizes: component app-huge: apps\/huge\/src\/index\.ts: resources: the pod requests 32 vCPU and 64.25 GB with Fargate's 256 MB; the largest Fargate pod is 16 vCPU \/ 120 GB/,
      ),
    );
  });

  it('names the missing target-group ARN of an exposed app', () => {
    expect(rendered.errors).toContainEqual(
      expect.stringMatching(/^error: env arns: component app-web: clusters\/arns\/ssm-snapshot.json: \/fixture\/arns\/apps\/web\/target-group-arn: missing; expected String holding an ELBv2 target group ARN/),
    );
  });

  it('reports nothing else', () => {
    expect(specs.errors).toHaveLength(3);
    expect(rendered.errors).toHaveLength(2);
  });
});

describe('bad secrets fail synth with one clear line each, and gitops/ unchanged', () => {
  const roots: string[] = [];
  let result: ReturnType<typeof synth>;
  const secret = { secretsManager: 'db', key: 'password' };

  beforeAll(() => {
    const apps = [
      good('badname', { secrets: { DB_PASSWORD: { secretsManager: 'orders db' } } }),
      good('badpath', { secrets: { API_KEY: { parameter: '/api/key' } } }),
      good('twice', { secrets: { DB_PASSWORD: secret, DATABASE_PASSWORD: secret } }),
      good('both', { env: { UPSTREAM_URL: 'https://example.com' }, secrets: { UPSTREAM_URL: { parameter: 'upstream/url' } } }),
      good('uncovered', { secrets: { DB_PASSWORD: secret } }),
    ];
    const platformOnly = [{ name: 'platform', selectors: [{ namespace: 'kube-system' }, { namespace: 'cert-manager' }, { namespace: 'argocd' }, { namespace: 'external-secrets' }] }];
    const envs = [
      env('names', { badname: {} }),
      env('paths', { badpath: {} }),
      env('twice', { twice: {} }),
      env('both', { both: {} }),
      { ...env('profiles', { uncovered: {} }), fargateProfiles: platformOnly },
    ];
    roots.push(fixture(apps, envs.map((spec) => ({ spec, snapshot: snapshot(spec, Object.keys(spec.apps)) }))));
    result = synth(roots[0]!);
  });

  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('exits non-zero and leaves gitops/ as it was', () => {
    expect(result.status, result.stderr).toBe(1);
    expect(result.after).toEqual(result.before);
  });

  it('names an invalid secret name and an invalid parameter path', () => {
    expect(result.errors).toContain(
      'error: env names: component app-badname: apps/badname/src/index.ts: secrets.DB_PASSWORD.secretsManager: ' +
        '"orders db" is not a secret name relative to the app (letters, digits and /_+=.@-, no leading, trailing or double "/")',
    );
    expect(result.errors).toContain(
      'error: env paths: component app-badpath: apps/badpath/src/index.ts: secrets.API_KEY.parameter: ' +
        '"/api/key" is not a parameter path relative to the app (e.g. "api/key", without a leading "/")',
    );
  });

  it('names a value declared twice, and a variable in both env and secrets', () => {
    expect(result.errors).toContain(
      'error: env twice: component app-twice: apps/twice/src/index.ts: secrets.DATABASE_PASSWORD: reads secret db key password, which DB_PASSWORD already reads; declare each value once',
    );
    expect(result.errors).toContain(
      'error: env both: component app-both: apps/both/src/index.ts: secrets.UPSTREAM_URL: UPSTREAM_URL is also set in env; a variable comes from env or from secrets, not both',
    );
  });

  it("names the namespace of an app with secrets that no Fargate profile selects", () => {
    // The store and ExternalSecret would sync (ESO runs in its own namespace), but the pods that
    // read the Secret would stay Pending: the Fargate check refuses it, naming the file to fix.
    expect(result.errors.filter((line) => line.startsWith('error: env profiles: '))).toEqual([
      expect.stringMatching(
        /^error: env profiles: component app-uncovered: clusters\/profiles\/env\.ts: fargateProfiles: no Fargate profile of profiles selects pods of namespace uncovered .*they would stay Pending/,
      ),
    ]);
  });

  it('reports nothing else', () => {
    expect(result.errors, result.stderr).toHaveLength(5);
  });
});

describe('a credential written into an env value', () => {
  it('fails synth with one line that says how to declare it under `secrets` instead, and leaves gitops/ as it was', () => {
    // GIVEN an app whose env holds a database password in plain text
    const spec = env('dev', { web: {} });
    const root = fixture([good('web', { env: { DB_PASSWORD: ['hunter2', 'hunter2'].join('') } })], [{ spec, snapshot: snapshot(spec, ['web']) }]);
    try {
      const result = synth(root);
      expect(result.status, result.stderr).toBe(1);
      expect(result.errors).toEqual([
        'error: component app-web: apps/web/src/index.ts: env.DB_PASSWORD: given a literal value under a credential\'s name ("PASSWORD"); expected no credential in Git: ' +
          "declare DB_PASSWORD under `secrets` in apps/web/src/index.ts instead, e.g. secrets: { DB_PASSWORD: { secretsManager: '<name>', key: '<json key>' } } " +
          "or { parameter: '<path>' }, and put the value into AWS Secrets Manager or an SSM SecureString (README, \"App secrets\")",
      ]);
      expect(result.stderr).not.toContain('hunter2hunter2');
      expect(result.after).toEqual(result.before);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('an override for an app the env does not run', () => {
  it('fails synth naming the env file and the app, and leaves gitops/ as it was', () => {
    // GIVEN an env whose apps list overrides "ghost", which apps/ does not define
    const spec = env('dev', { web: {}, ghost: { replicas: 2 } });
    const root = fixture([good('web')], [{ spec, snapshot: snapshot(spec, ['web']) }]);
    try {
      const result = synth(root);
      expect(result.status, result.stderr).toBe(1);
      expect(result.errors).toEqual(['error: env dev: component app-ghost: clusters/dev/env.ts: apps.ghost: lists app "ghost", but apps/ghost/ does not define it']);
      expect(result.after).toEqual(result.before);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('env variable order and image pins, end to end', () => {
  const digest = (c: string) => `sha256:${c.repeat(64)}`;
  const run = (apps: readonly AppDefinition[], spec: EnvironmentSpec) => {
    const root = fixture(apps, [{ spec, snapshot: snapshot(spec, apps.map((app) => app.name)) }]);
    try {
      const result = synth(root);
      const deployment = result.status === 0 ? readFileSync(join(root, `gitops/${spec.name}/app-web/deployment-web.yaml`), 'utf8') : '';
      return { ...result, deployment };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };

  it('refuses a reference to a later variable and a tag that would drop a digest, naming each file', () => {
    // GIVEN web's BASE_URL refers to HOST, listed after it, and dev sets only a tag over web's digest pin
    const web = good('web', { image: `registry.example.com/web:1.0.0@${digest('a')}`, env: { BASE_URL: 'http://$(HOST):8080', HOST: 'web' } });
    const result = run([web], env('dev', { web: { imageTag: '2.0.0' } }));

    expect(result.status, result.stderr).toBe(1);
    expect(result.errors).toEqual([
      `error: env dev: component app-web: clusters/dev/env.ts: apps.web.imageTag: app web's image is pinned by digest ${digest('a')}, which a tag alone would drop; set imageDigest too (or instead)`,
      'error: env dev: component app-web: apps/web/src/index.ts: env.BASE_URL: "$(HOST)" refers to HOST, which comes after BASE_URL; Kubernetes expands ' +
        '$(NAME) only from variables listed before, so the pod would see the literal text. List HOST before BASE_URL, or write $$(HOST) for the literal text',
    ]);
    expect(result.after).toEqual(result.before);
  });

  it('renders variables in the order written and the env\'s tag and digest', () => {
    // GIVEN ZONE_HOST before the BASE_URL that refers to it (alphabetically, it would come after)
    const web = good('web', { image: `registry.example.com/web:1.0.0@${digest('a')}`, env: { ZONE_HOST: 'web.internal', BASE_URL: 'http://$(ZONE_HOST):8080' } });
    const result = run([web], env('dev', { web: { imageTag: '2.0.0', imageDigest: digest('b'), env: { ADMIN_URL: '$(BASE_URL)/admin' } } }));

    expect(result.status, result.stderr).toBe(0);
    const names = [...result.deployment.matchAll(/- name: ([A-Z_]+)\n/g)].map((match) => match[1]);
    expect(names).toEqual(['ZONE_HOST', 'BASE_URL', 'ADMIN_URL']);
    expect(result.deployment).toContain(`image: registry.example.com/web:2.0.0@${digest('b')}\n`);
  });
});
