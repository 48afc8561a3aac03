import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentSpec } from '@gitops/core';
import { selectorMatches } from '@gitops/fargate';
import { formatSnapshot, type ParameterSnapshot } from '@gitops/synth';
import ts from 'typescript';
import { appendItem, applyEdits, callArgument, namedImports, parseSource, property, ScaffoldError, variableInitializer, type Edit } from './edit';
import { emit, key, quote } from './emit';
import type { FileSet } from './new-env';
import { appPlaceholders } from './placeholders';
import { DNS_LABEL, hostInZone, INFRA_ENVIRONMENTS, readRepository } from './workspace';

export interface NewAppOptions {
  readonly name: string;
  /** Serve it behind the shared ALB on this host. */
  readonly expose?: string;
  /** Give it an IRSA role (infra makes it). */
  readonly aws?: boolean;
  /** The envs to add it to. @default every env */
  readonly envs?: readonly string[];
}

// Namespaces the platform owns: an app there would share them (and its Fargate profile) with it.
const RESERVED = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'argocd', 'cert-manager', 'aws-observability']);
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** EKS: at most 5 selectors per Fargate profile (EKS user guide, fargate-profile). */
const MAX_SELECTORS = 5;
// Unprivileged nginx listens on 8080 as user 101 and keeps its pid and caches under /tmp: it
// runs as rendered (non-root, read-only root filesystem) until the app's own image replaces it.
const STARTER_IMAGE = 'public.ecr.aws/nginx/nginx-unprivileged:1.27.3';

function appSource(options: NewAppOptions, command: string): string {
  const fields: [string, unknown][] = [
    ['name', options.name],
    ['image', STARTER_IMAGE],
    ['ports', [{ port: 8080 }]],
    ['resources', { cpu: '250m', memory: '256Mi' }],
  ];
  if (options.expose) fields.push(['expose', { host: options.expose, healthCheckPath: '/' }]);
  const lines = [
    `import { defineApp } from '@gitops/app';`,
    '',
    `// Written by \`${command}\`: a starting point that renders and deploys as it is (nginx on 8080).`,
    '// Set the image, ports, resources and probes the app needs; see "The app API in brief" in the README.',
    'export default defineApp({',
    ...fields.map(([name, value]) => `  ${name}: ${emit(value, 2)},`),
  ];
  if (options.aws) {
    lines.push(
      '  aws: {',
      "    // IRSA needs at least one statement: reading the app's own SSM parameters. Replace it with the calls the app makes.",
      `    policy: [{ Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: [${quote(`arn:aws:ssm:*:*:parameter/${options.name}/*`)}] }],`,
      '  },',
    );
  }
  lines.push('});', '');
  return lines.join('\n');
}

function packageJson(name: string): string {
  return `${JSON.stringify({ name: `@apps/${name}`, version: '0.0.0', private: true, type: 'module', exports: { '.': './src/index.ts' }, dependencies: { '@gitops/app': 'workspace:*' } }, null, 2)}\n`;
}

/** Where an env's Fargate profiles are written: clusters/shared.ts (`fargateProfiles` imported from it) or its own env.ts. */
function profilesLiteral(files: FileSet, root: string, env: string): { path: string; source: ts.SourceFile; literal: ts.ArrayLiteralExpression } {
  const envPath = `clusters/${env}/env.ts`;
  const envSource = parseSource(envPath, files.get(envPath)!);
  const declared = property(callArgument(envSource, 'defineEnvironment'), 'fargateProfiles');
  const initializer = declared && ts.isPropertyAssignment(declared) ? declared.initializer : undefined;
  if (initializer && ts.isArrayLiteralExpression(initializer)) return { path: envPath, source: envSource, literal: initializer };
  const identifier = declared && ts.isShorthandPropertyAssignment(declared) ? 'fargateProfiles' : initializer && ts.isIdentifier(initializer) ? initializer.text : undefined;
  if (identifier && namedImports(envSource, '../shared')?.names.includes(identifier)) {
    const sharedPath = 'clusters/shared.ts';
    if (!files.has(sharedPath)) files.set(sharedPath, readFileSync(join(root, sharedPath), 'utf8'));
    const sharedSource = parseSource(sharedPath, files.get(sharedPath)!);
    const shared = variableInitializer(sharedSource, identifier);
    if (shared && ts.isArrayLiteralExpression(shared)) return { path: sharedPath, source: sharedSource, literal: shared };
  }
  throw new ScaffoldError(`${envPath}: fargateProfiles is neither an array literal nor imported from ../shared; add a selector for the app's namespace by hand`);
}

/** Adds `{ namespace }` to the last app profile with room (not the one selecting kube-system), or a new profile. */
function addSelector(files: FileSet, root: string, env: string, namespace: string, done: Set<string>): void {
  const { path, source, literal } = profilesLiteral(files, root, env);
  // clusters/shared.ts serves every env that imports it: one selector there covers them all.
  if (done.has(path)) return;
  done.add(path);
  const profiles = literal.elements.filter(ts.isObjectLiteralExpression);
  const selectorsOf = (profile: ts.ObjectLiteralExpression) => {
    const selectors = property(profile, 'selectors');
    return selectors && ts.isPropertyAssignment(selectors) && ts.isArrayLiteralExpression(selectors.initializer) ? selectors.initializer : undefined;
  };
  const roomy = profiles.filter((profile) => {
    const selectors = selectorsOf(profile);
    return selectors && selectors.elements.length < MAX_SELECTORS && !selectors.getText(source).includes("'kube-system'");
  });
  const target = roomy.at(-1);
  const edit = target
    ? appendItem(source, selectorsOf(target)!, `{ namespace: ${quote(namespace)} }`)
    : appendItem(source, literal, `{ name: ${quote(`apps-${profiles.length + 1}`)}, selectors: [{ namespace: ${quote(namespace)} }] }`);
  files.set(path, applyEdits(source.text, [edit]));
}

function addToInfraHosts(files: FileSet, root: string, env: string, app: string, host: string): void {
  const path = `${INFRA_ENVIRONMENTS}/${env}.ts`;
  const text = files.get(path) ?? readFileSync(join(root, path), 'utf8');
  const source = parseSource(path, text);
  const settings = callArgument(source, 'defineInfraSettings');
  const hosts = property(settings, 'appHosts');
  let edit: Edit;
  if (hosts && ts.isPropertyAssignment(hosts) && ts.isObjectLiteralExpression(hosts.initializer)) edit = appendItem(source, hosts.initializer, `${key(app)}: ${quote(host)}`);
  else if (!hosts) edit = appendItem(source, settings, `appHosts: { ${key(app)}: ${quote(host)} }`);
  else throw new ScaffoldError(`${path}: appHosts is not an object literal; add ${app}: '${host}' by hand`);
  files.set(path, applyEdits(text, [edit]));
}

/** `pnpm new:app`: validates everything, then returns the files to write (nothing is written on a problem). */
export async function planNewApp(root: string, options: NewAppOptions, command: string): Promise<FileSet> {
  const { name } = options;
  if (!DNS_LABEL.test(name) || name.length > 32) throw new ScaffoldError(`app name "${name}" must be 1-32 lowercase letters, digits and "-", starting with a letter (it names the folder, the namespace and the target group)`);
  if (RESERVED.has(name)) throw new ScaffoldError(`app name "${name}" is a platform namespace; pick another`);
  if (existsSync(join(root, 'apps', name))) throw new ScaffoldError(`app ${name} already exists: apps/${name}/ is there`);
  if (options.expose !== undefined && !HOST.test(options.expose)) throw new ScaffoldError(`--expose "${options.expose}" is not a lowercase DNS host name like hello.example.com`);
  const repo = await readRepository(root);
  for (const [other, app] of repo.apps) {
    if ((app.namespace ?? other) === name) throw new ScaffoldError(`app ${other} already uses namespace ${name}; pick another name`);
  }
  const known = [...repo.environments.keys()];
  const envs = options.envs && options.envs.length > 0 ? [...new Set(options.envs)] : known;
  const unknown = envs.filter((env) => !repo.environments.has(env));
  if (unknown.length > 0) throw new ScaffoldError(`--env ${unknown.join(', ')}: no such env; clusters/ defines ${known.join(', ')}`);

  const files: FileSet = new Map([
    [`apps/${name}/package.json`, packageJson(name)],
    [`apps/${name}/src/index.ts`, appSource(options, command)],
  ]);
  const selectorsAdded = new Set<string>();
  for (const env of envs) {
    const spec = repo.environments.get(env)! as EnvironmentSpec;
    const envPath = `clusters/${env}/env.ts`;
    const text = readFileSync(join(root, envPath), 'utf8');
    const source = parseSource(envPath, text);
    const apps = property(callArgument(source, 'defineEnvironment'), 'apps');
    if (!apps || !ts.isPropertyAssignment(apps) || !ts.isObjectLiteralExpression(apps.initializer)) {
      throw new ScaffoldError(`${envPath}: apps is not an object literal; add ${name}: {} by hand`);
    }
    files.set(envPath, applyEdits(text, [appendItem(source, apps.initializer, `${key(name)}: {}`)]));

    if (!spec.fargateProfiles.some((profile) => profile.selectors.some((selector) => selectorMatches(selector, name, {})))) addSelector(files, root, env, name, selectorsAdded);

    const snapshotPath = `clusters/${env}/ssm-snapshot.json`;
    if (!existsSync(join(root, snapshotPath))) throw new ScaffoldError(`${snapshotPath} is missing; run \`pnpm params:pull --env ${env}\` first`);
    const snapshot = JSON.parse(readFileSync(join(root, snapshotPath), 'utf8')) as ParameterSnapshot;
    for (const [parameter, entry] of appPlaceholders(spec, name, { expose: options.expose !== undefined, aws: options.aws === true })) {
      snapshot.parameters[parameter] ??= entry;
    }
    files.set(snapshotPath, formatSnapshot(snapshot));

    if (options.expose !== undefined) {
      const settings = repo.infra[env];
      if (!settings) throw new ScaffoldError(`env ${env} has no infra settings (${INFRA_ENVIRONMENTS}/${env}.ts): add them first (pnpm new:env writes them)`);
      const host = hostInZone(options.expose, settings);
      const served = host ?? options.expose;
      for (const [other, app] of repo.apps) {
        if (other in spec.apps && app.expose && (settings.appHosts?.[other] ?? app.expose.host) === served && (app.expose.paths ?? ['/*']).includes('/*')) {
          throw new ScaffoldError(`env ${env}: host ${served} is already served by app ${other}; pick another --expose host`);
        }
      }
      if (host) addToInfraHosts(files, root, env, name, host);
    }
  }
  return files;
}
