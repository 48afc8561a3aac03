import { parameters } from '@gitops/contract';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { componentsFor, discoverModules, formatProblem, main, synth, SynthError, type Workspace, type WorkspaceModules } from '../src/index';
import { hashTree, repoRoot, scratchRepo, type Scratch } from './support/scratch';

// Every case: a scratch repository (the real snapshots; env and app modules imported from the
// real repository) whose gitops/ is a stub a successful synth would rewrite (dev's folder
// replaced, the orphan qa/ removed), one bad input, then: a SynthError (exit 1 from the CLI),
// one line per problem naming env, component, file and parameter where they apply, and gitops/
// untouched.
const repoModules = discoverModules(repoRoot);

/** Declares every contract parameter these tests break, so each break is reported for it. */
const probe: Component = {
  name: 'probe',
  parameters: [parameters.vpcId, parameters.albSecurityGroupId, parameters.loadBalancerControllerRoleArn, parameters.appTargetGroupArn('web')],
  render: () => undefined,
};
const withProbe = (env: EnvironmentSpec, workspace: Workspace) => [...componentsFor(env, workspace), probe];

let repo: Scratch;
let before: string;
beforeEach(() => {
  repo = scratchRepo(['clusters']);
  repo.write('gitops/dev/app-web/configmap-stale.yaml', 'kind: ConfigMap\n');
  repo.write('gitops/qa/app-web/namespace-web.yaml', 'kind: Namespace\n');
  before = hashTree(repo.path('gitops'));
});
afterEach(() => {
  expect(hashTree(repo.path('gitops')), 'gitops/ must be unchanged').toBe(before);
  repo.dispose();
});

/** Runs synth on the scratch copy; returns the formatted problem lines it failed with. */
async function problemLines(options: { envs?: string[]; modules?: WorkspaceModules; components?: typeof withProbe } = {}): Promise<string[]> {
  const error = await synth({ root: repo.root, modules: repoModules, components: withProbe, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SynthError);
  return (error as SynthError).problems.map(formatProblem);
}

const SNAPSHOT = (env: string) => `clusters/${env}/ssm-snapshot.json`;
const setValue = (env: string, path: string, value: string) =>
  repo.editJson(SNAPSHOT(env), (json) => {
    json.parameters[`/fargate-gitops/${env}/${path}`].value = value;
  });
const remove = (env: string, path: string) =>
  repo.editJson(SNAPSHOT(env), (json) => {
    delete json.parameters[`/fargate-gitops/${env}/${path}`];
  });

/** The problem line the probe component gets for one of its parameters. */
const probeLine = (env: string, path: string, message: string) =>
  `error: env ${env}: component probe: clusters/${env}/ssm-snapshot.json: /fargate-gitops/${env}/${path}: ${message}`;

describe('bad input is reported, one line per problem, and nothing is written', () => {
  it('an unknown env (each one named, with the known ones)', async () => {
    expect(await problemLines({ envs: ['dev', 'qa', 'uat'] })).toEqual([
      'error: env qa: unknown environment; clusters/ defines: dev, prod, stg',
      'error: env uat: unknown environment; clusters/ defines: dev, prod, stg',
    ]);
  });

  it('malformed snapshot JSON', async () => {
    repo.write(SNAPSHOT('dev'), '{ "source": { "account": "111111111111", }');

    const lines = await problemLines({ envs: ['dev'] });

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: env dev: clusters\/dev\/ssm-snapshot\.json: not valid JSON: /);
  });

  it('a snapshot with a parameter path or a source field written twice, naming the line of each', async () => {
    // GIVEN dev's snapshot with vpc-id written again at the top of parameters, and region twice
    const vpcId = '/fargate-gitops/dev/network/vpc-id';
    const original = repo.read(SNAPSHOT('dev'));
    const text = original
      .replace('"parameters": {\n', `"parameters": {\n    "${vpcId}": { "type": "String", "value": "vpc-0ffffffffffffffff" },\n`)
      .replace('"region": "ap-northeast-1",\n', '"region": "ap-northeast-1",\n    "region": "ap-northeast-1",\n');
    repo.write(SNAPSHOT('dev'), text);
    const lineOf = (needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length;
    const [regionFirst, regionSecond] = [lineOf('"region"'), lineOf('"region"', text.indexOf('"region"') + 1)];
    const [vpcFirst, vpcSecond] = [lineOf(`"${vpcId}"`), lineOf(`"${vpcId}"`, text.indexOf(`"${vpcId}"`) + 1)];
    expect([regionSecond - regionFirst, vpcSecond > vpcFirst]).toEqual([1, true]);

    // THEN both are refused with the line of each occurrence, and nothing is rendered
    expect(await problemLines({ envs: ['dev'] })).toEqual([
      `error: env dev: clusters/dev/ssm-snapshot.json: source.region: written 2 times, on lines ${regionFirst} and ${regionSecond}; JSON keeps only the last, so remove all but one`,
      `error: env dev: clusters/dev/ssm-snapshot.json: ${vpcId}: written 2 times, on lines ${vpcFirst} and ${vpcSecond}; JSON keeps only the last, so remove all but one`,
    ]);
  });

  it('a snapshot with a SecureString or a field it does not know, naming the parameter', async () => {
    repo.editJson(SNAPSHOT('prod'), (json) => {
      json.parameters['/fargate-gitops/prod/network/vpc-id'].type = 'SecureString';
      json.parameters['/fargate-gitops/prod/cluster/name'].version = 3;
    });

    expect(await problemLines({ envs: ['prod'] })).toEqual([
      'error: env prod: clusters/prod/ssm-snapshot.json: /fargate-gitops/prod/cluster/name: Unrecognized key: "version"',
      'error: env prod: clusters/prod/ssm-snapshot.json: /fargate-gitops/prod/network/vpc-id: type: type must be String or StringList (never SecureString)',
    ]);
  });

  it('a missing parameter, for every component that declares it', async () => {
    remove('dev', 'network/vpc-id');

    const lines = await problemLines({ envs: ['dev'] });

    expect(lines).toContain(probeLine('dev', 'network/vpc-id', 'missing; expected String holding a VPC ID (vpc- followed by 8 or 17 hex digits)'));
    for (const line of lines) {
      expect(line).toMatch(/^error: env dev: component [a-z0-9-]+: clusters\/dev\/ssm-snapshot\.json: \/fargate-gitops\/dev\/network\/vpc-id: missing; /);
    }
  });

  it('an ARN from another account', async () => {
    setValue('dev', 'platform/aws-load-balancer-controller/role-arn', 'arn:aws:iam::222222222222:role/fargate-gitops-dev-lbc');

    expect(await problemLines({ envs: ['dev'] })).toContain(
      probeLine(
        'dev',
        'platform/aws-load-balancer-controller/role-arn',
        'value "arn:aws:iam::222222222222:role/fargate-gitops-dev-lbc" is refused: its account is 222222222222, but env dev is in account 111111111111; ' +
          'expected an IAM role ARN in account 111111111111 (arn:aws:iam::111111111111:role/<name>)',
      ),
    );
  });

  it('an ARN from another region', async () => {
    setValue('stg', 'apps/web/target-group-arn', 'arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/stg-web/0123456789abcdef');

    const lines = await problemLines({ envs: ['stg'] });

    const line = lines.find((l) => l.startsWith('error: env stg: component probe: '));
    expect(line).toContain('/fargate-gitops/stg/apps/web/target-group-arn: value "arn:aws:elasticloadbalancing:us-east-1:222222222222:');
    expect(line).toContain('its region is us-east-1, but env stg is in ap-northeast-1');
  });

  it('a malformed ID', async () => {
    setValue('prod', 'alb/security-group-id', 'sg-XYZ');

    expect(await problemLines({ envs: ['prod'] })).toContain(
      probeLine('prod', 'alb/security-group-id', 'value "sg-XYZ" is malformed; expected a security group ID (sg- followed by 8 or 17 hex digits)'),
    );
  });

  it('a snapshot read from another account and region', async () => {
    repo.editJson(SNAPSHOT('stg'), (json) => {
      json.source.account = '999999999999';
      json.source.region = 'eu-west-1';
    });

    expect(await problemLines({ envs: ['stg'] })).toEqual([
      'error: env stg: clusters/stg/ssm-snapshot.json: was read from account 999999999999, but env stg is in 222222222222; run `pnpm params:pull --env stg`',
      'error: env stg: clusters/stg/ssm-snapshot.json: was read from region eu-west-1, but env stg is in ap-northeast-1; run `pnpm params:pull --env stg`',
    ]);
  });

  it('a duplicate app name', async () => {
    const web = repoModules.apps.get('web')!;
    const modules: WorkspaceModules = {
      environments: repoModules.environments,
      apps: new Map([...repoModules.apps, ['web-copy', { file: 'apps/web-copy/src/index.ts', load: web.load }]]),
    };

    expect(await problemLines({ modules })).toEqual([
      'error: component app-web: apps/web-copy/src/index.ts: name: given "web", which apps/web/src/index.ts defines too; expected a name of its own, equal to its folder (web-copy)',
    ]);
  });

  it('an app an env lists but apps/ does not define', async () => {
    const dev = repoModules.environments.get('dev')!;
    const load = async () => {
      const spec = ((await dev.load()) as { default: EnvironmentSpec }).default;
      return { default: { ...spec, apps: { ...spec.apps, ghost: {} } } };
    };
    const modules: WorkspaceModules = { apps: repoModules.apps, environments: new Map([...repoModules.environments, ['dev', { file: dev.file, load }]]) };

    expect(await problemLines({ modules })).toEqual([
      'error: env dev: component app-ghost: clusters/dev/env.ts: apps.ghost: lists app "ghost", but apps/ghost/ does not define it',
    ]);
  });

  it('a module that fails to load, named by its file', async () => {
    const modules: WorkspaceModules = {
      environments: repoModules.environments,
      apps: new Map([
        ...repoModules.apps,
        [
          'broken',
          {
            file: 'apps/broken/src/index.ts',
            load: async () => {
              throw new Error('Unexpected token (3:7)\n  at line 3');
            },
          },
        ],
      ]),
    };

    expect(await problemLines({ modules })).toEqual(['error: component app-broken: apps/broken/src/index.ts: failed to load: Unexpected token (3:7)']);
  });

  it('a component reading a parameter it did not declare', async () => {
    const sneaky: Component = { name: 'sneaky', parameters: [], render: (_, ctx) => void ctx.param(parameters.vpcId) };

    expect(await problemLines({ envs: ['dev'], components: (env, ws) => [...componentsFor(env, ws), sneaky] })).toEqual([
      "error: env dev: component sneaky: /fargate-gitops/dev/network/vpc-id: read without being declared in the component's parameters " +
        '(declare it, so synth checks it before rendering)',
    ]);
  });
  it('objects a file name cannot be made for: no metadata.name, or the same kind and name twice', async () => {
    const clashing: Component = {
      name: 'clashing',
      parameters: [],
      render(chart) {
        new ApiObject(chart, 'nameless', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '' } });
        new k8s.KubeConfigMap(chart, 'first', { metadata: { name: 'settings', namespace: 'web' } });
        new k8s.KubeConfigMap(chart, 'second', { metadata: { name: 'settings', namespace: 'api' } });
      },
    };

    expect(await problemLines({ envs: ['dev'], components: (env, ws) => [...componentsFor(env, ws), clashing] })).toEqual([
      'error: env dev: component clashing: gitops/dev/clashing/: ConfigMap: an object without metadata.name (file names are <kind>-<name>.yaml)',
      'error: env dev: component clashing: gitops/dev/clashing/configmap-settings.yaml: two objects render to this file (same kind and name)',
    ]);
  });
});

describe('several problems in one run are all reported', () => {
  it('parameter problems across envs and components, in one error', async () => {
    remove('dev', 'network/vpc-id');
    setValue('dev', 'alb/security-group-id', 'sg-nope');
    setValue('stg', 'platform/aws-load-balancer-controller/role-arn', 'arn:aws:iam::111111111111:role/copied-from-dev');
    setValue('prod', 'apps/web/target-group-arn', 'not-an-arn');

    const lines = await problemLines();

    const fromProbe = lines.filter((line) => line.includes(': component probe: '));
    expect(fromProbe.map((line) => line.split(': ').slice(0, 5).join(': '))).toEqual([
      'error: env dev: component probe: clusters/dev/ssm-snapshot.json: /fargate-gitops/dev/network/vpc-id',
      'error: env dev: component probe: clusters/dev/ssm-snapshot.json: /fargate-gitops/dev/alb/security-group-id',
      'error: env prod: component probe: clusters/prod/ssm-snapshot.json: /fargate-gitops/prod/apps/web/target-group-arn',
      'error: env stg: component probe: clusters/stg/ssm-snapshot.json: /fargate-gitops/stg/platform/aws-load-balancer-controller/role-arn',
    ]);
  });

  it('workspace problems together: a duplicate app, an undefined app, a bad account', async () => {
    const web = repoModules.apps.get('web')!;
    const prod = repoModules.environments.get('prod')!;
    const load = async () => {
      const spec = ((await prod.load()) as { default: EnvironmentSpec }).default;
      return { default: { ...spec, account: '12345', apps: { ...spec.apps, ghost: {} } } };
    };
    const modules: WorkspaceModules = {
      apps: new Map([...repoModules.apps, ['web-copy', { file: 'apps/web-copy/src/index.ts', load: web.load }]]),
      environments: new Map([...repoModules.environments, ['prod', { file: prod.file, load }]]),
    };

    expect(await problemLines({ modules })).toEqual([
      'error: component app-web: apps/web-copy/src/index.ts: name: given "web", which apps/web/src/index.ts defines too; expected a name of its own, equal to its folder (web-copy)',
      'error: env prod: clusters/prod/env.ts: account: given "12345"; expected a 12-digit AWS account ID, quoted',
      'error: env prod: component app-ghost: clusters/prod/env.ts: apps.ghost: lists app "ghost", but apps/ghost/ does not define it',
    ]);
  });
});

describe('the CLI (in-process)', () => {
  // The CLI discovers env and app modules under --root, so the scratch copy needs apps/ too.
  beforeEach(() => repo.copy('apps'));

  async function run(argv: string[]) {
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation((text: unknown) => void err.push(...String(text).split('\n')));
    try {
      return { code: await main(argv), err };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  it('exits 1 with one line per problem and a summary', async () => {
    setValue('dev', 'network/vpc-id', 'vpc-bad');

    const { code, err } = await run(['synth', '--env', 'dev', '--env', 'nope', '--root', repo.root]);

    expect(code).toBe(1);
    expect(err).toEqual(['error: env nope: unknown environment; clusters/ defines: dev, prod, stg', '1 problem; gitops/ was not changed']);
  });

  it('reports every parameter problem of the real components, each naming env, component, file and parameter', async () => {
    remove('dev', 'network/vpc-id');

    const { code, err } = await run(['synth', '--env', 'dev', '--root', repo.root]);

    expect(code).toBe(1);
    const problems = err.slice(0, -1);
    expect(problems.length).toBeGreaterThan(0);
    for (const line of problems) {
      expect(line).toMatch(/^error: env dev: component [a-z0-9-]+: clusters\/dev\/ssm-snapshot\.json: \/fargate-gitops\/dev\/network\/vpc-id: missing; /);
    }
    expect(err.at(-1)).toBe(`${problems.length} problem${problems.length === 1 ? '' : 's'}; gitops/ was not changed`);
  });

  it('exits 2 with usage on an unknown command or option', async () => {
    expect((await run(['synthesize'])).code).toBe(2);
    expect((await run(['synth', '--frobnicate'])).code).toBe(2);
  });
});
