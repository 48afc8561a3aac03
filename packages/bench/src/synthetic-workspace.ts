import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The sample apps of the repository a synthetic app is cloned from. */
export const APP_SHAPES = ['api', 'web', 'worker'] as const;
export type AppShape = (typeof APP_SHAPES)[number];

// Of every five apps: two HTTP APIs (ALB + IRSA), two static sites (ALB only), one queue worker
// (IRSA only), cloned from apps/{api,web,worker}.
const SHAPE_CYCLE: readonly AppShape[] = ['api', 'web', 'api', 'worker', 'web'];

export interface SyntheticWorkspaceOptions {
  /** The repository whose sample apps, envs and snapshots are cloned. */
  readonly repo: string;
  /** Folder to create; must not exist yet. */
  readonly dir: string;
  /** Apps in apps/, every one run by every env. */
  readonly apps: number;
  /**
   * Put every env in this account (rewriting the snapshot ARNs), so one local SSM server, which
   * answers for one account, can serve all envs in --live mode. @default each env's own account
   */
  readonly account?: string;
}

export interface SyntheticWorkspace {
  readonly dir: string;
  readonly apps: readonly { readonly name: string; readonly shape: AppShape }[];
  readonly envs: readonly string[];
  /** SSM parameters per env, as written to its snapshot. */
  readonly parameters: ReadonlyMap<string, ReadonlyMap<string, { type: string; value: string }>>;
  /** Each env's SSM path prefix. */
  readonly ssmPrefixes: ReadonlyMap<string, string>;
}

/** `api-007`: the shape, then the app's index. */
export function appName(shape: AppShape, index: number): string {
  return `${shape}-${String(index).padStart(3, '0')}`;
}

export function syntheticApps(count: number): { name: string; shape: AppShape }[] {
  return Array.from({ length: count }, (_, i) => {
    const shape = SHAPE_CYCLE[i % SHAPE_CYCLE.length]!;
    return { name: appName(shape, i + 1), shape };
  });
}

/** The sample app's source with its name (and so its namespace) and ALB host changed. */
export function cloneAppSource(source: string, shape: AppShape, name: string): string {
  const nameField = `name: '${shape}'`;
  if (!source.includes(nameField)) throw new Error(`apps/${shape}/src/index.ts has no ${nameField}`);
  return source.replace(nameField, `name: '${name}'`).replace(/host: '[^']*'/g, `host: '${name}.example.com'`);
}

/** A snapshot value of a sample app's parameter, made the clone's: its name, and its own target group ID. */
export function cloneParameterValue(value: string, shape: AppShape, name: string): string {
  const renamed = value.replace(new RegExp(`\\b${shape}\\b`, 'g'), name);
  return renamed.includes(':targetgroup/') ? renamed.replace(/\/[0-9a-f]{16}$/, `/${createHash('sha1').update(name).digest('hex').slice(0, 16)}`) : renamed;
}

function envSource(repo: string, env: string, apps: readonly { name: string; shape: AppShape }[], account: string | undefined): string {
  const base = join(repo, 'clusters', env, 'env');
  const namespaces = Object.fromEntries(APP_SHAPES.map((shape) => [shape, `${shape}-*`]));
  return [
    "import { defineEnvironment } from '@gitops/core';",
    `import base from ${JSON.stringify(base)};`,
    '',
    '// The repository\'s env with synthetic apps: each clone runs with its sample app\'s overrides,',
    '// and the Fargate selectors of the sample apps\' namespaces select their clones\' instead.',
    `const cloneNamespaces: Record<string, string> = ${JSON.stringify(namespaces)};`,
    '',
    'export default defineEnvironment({',
    '  ...base,',
    ...(account ? [`  account: ${JSON.stringify(account)},`] : []),
    '  fargateProfiles: base.fargateProfiles.map((profile) => ({',
    '    ...profile,',
    '    selectors: profile.selectors.map((selector) => ({ ...selector, namespace: cloneNamespaces[selector.namespace] ?? selector.namespace })),',
    '  })),',
    '  apps: {',
    ...apps.map(({ name, shape }) => `    ${JSON.stringify(name)}: base.apps[${JSON.stringify(shape)}] ?? {},`),
    '  },',
    '});',
    '',
  ].join('\n');
}

interface Snapshot {
  source: { account: string; region: string; path: string; readAt: string };
  parameters: Record<string, { type: string; value: string }>;
}

function snapshotFor(repo: string, env: string, apps: readonly { name: string; shape: AppShape }[], account: string | undefined): Snapshot {
  const real = JSON.parse(readFileSync(join(repo, 'clusters', env, 'ssm-snapshot.json'), 'utf8')) as Snapshot;
  const prefix = real.source.path;
  const samplePrefix = (shape: string) => `${prefix}/apps/${shape}/`;
  const parameters: Snapshot['parameters'] = {};
  for (const [name, parameter] of Object.entries(real.parameters)) {
    if (!APP_SHAPES.some((shape) => name.startsWith(samplePrefix(shape)))) parameters[name] = parameter;
  }
  for (const { name, shape } of apps) {
    for (const [sampleName, parameter] of Object.entries(real.parameters)) {
      if (!sampleName.startsWith(samplePrefix(shape))) continue;
      parameters[`${prefix}/apps/${name}/${sampleName.slice(samplePrefix(shape).length)}`] = {
        type: parameter.type,
        value: cloneParameterValue(parameter.value, shape, name),
      };
    }
  }
  const moved = (value: string) => (account ? value.split(real.source.account).join(account) : value);
  const names = Object.keys(parameters).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    source: { ...real.source, account: moved(real.source.account) },
    parameters: Object.fromEntries(names.map((name) => [name, { type: parameters[name]!.type, value: moved(parameters[name]!.value) }])),
  };
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/**
 * Links the workspace packages (and the npm packages the stock cdk8s app imports) into
 * `<dir>/node_modules`, as pnpm links them for a workspace package of the repository.
 */
export function linkWorkspacePackages(repo: string, dir: string): void {
  const modules = join(dir, 'node_modules');
  const link = (name: string, target: string) => {
    const path = join(modules, name);
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(relative(dirname(path), target), path);
  };
  for (const folder of readdirSync(join(repo, 'packages'))) {
    const manifest = join(repo, 'packages', folder, 'package.json');
    if (existsSync(manifest)) link((JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name, join(repo, 'packages', folder));
  }
  const benchModules = join(repo, 'packages', 'bench', 'node_modules');
  for (const name of ['cdk8s', 'ts-node', 'typescript']) link(name, join(benchModules, name));
}

/**
 * A repository-shaped folder with `apps` synthetic apps cloned from the repository's sample
 * apps, the repository's envs running all of them, and matching SSM snapshots.
 */
export function createSyntheticWorkspace(options: SyntheticWorkspaceOptions): SyntheticWorkspace {
  const { repo, dir } = options;
  if (existsSync(dir)) throw new Error(`${dir} already exists`);
  const apps = syntheticApps(options.apps);
  const envs = readdirSync(join(repo, 'clusters'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(repo, 'clusters', entry.name, 'env.ts')))
    .map((entry) => entry.name)
    .sort();

  write(join(dir, 'package.json'), `${JSON.stringify({ name: 'synthetic-workspace', private: true, type: 'module' }, null, 2)}\n`);
  linkWorkspacePackages(repo, dir);
  const samples = new Map(APP_SHAPES.map((shape) => [shape, readFileSync(join(repo, 'apps', shape, 'src', 'index.ts'), 'utf8')]));
  for (const { name, shape } of apps) write(join(dir, 'apps', name, 'src', 'index.ts'), cloneAppSource(samples.get(shape)!, shape, name));

  const parameters = new Map<string, ReadonlyMap<string, { type: string; value: string }>>();
  const ssmPrefixes = new Map<string, string>();
  for (const env of envs) {
    write(join(dir, 'clusters', env, 'env.ts'), envSource(repo, env, apps, options.account));
    const snapshot = snapshotFor(repo, env, apps, options.account);
    write(join(dir, 'clusters', env, 'ssm-snapshot.json'), `${JSON.stringify(snapshot, null, 2)}\n`);
    parameters.set(env, new Map(Object.entries(snapshot.parameters)));
    ssmPrefixes.set(env, snapshot.source.path);
  }
  return { dir, apps, envs, parameters, ssmPrefixes };
}
