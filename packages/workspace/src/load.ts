import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appDefinitionSchema, type AppDefinition } from '@gitops/app';
import { checkSpec, environmentSpecSchema, formatPath, SynthError, type EnvironmentSpec, type Problem, type SpecIssue } from '@gitops/core';
import { crossEnvironmentProblems } from './cross-env';
import { specSecretProblems } from './secrets';
import { discoverModules, layoutProblems, SHARED_FILE, type SpecModule, type WorkspaceModules } from './discover';

/** Everything synth and infra read from the repository besides the SSM parameters. */
export interface Workspace {
  /** Repository root: the folder holding `clusters/`, `apps/` and `gitops/`. */
  readonly root: string;
  /** Every environment in `clusters/`, by name, in name order. */
  readonly environments: ReadonlyMap<string, EnvironmentSpec>;
  /** Every app in `apps/`, by name. */
  readonly apps: ReadonlyMap<string, AppDefinition>;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The first line of what a module threw while loading (a stack is never a problem line). */
function thrownMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message.split('\n')[0]}`;
  return String(error).split('\n')[0]!;
}

/**
 * Where each object and list of `clusters/shared.ts` sits among its exports, so a problem in a
 * value an env took from there names shared.ts and the export, which is what a person must edit.
 */
function sharedIndex(exports: Readonly<Record<string, unknown>>): Map<unknown, PropertyKey[]> {
  const index = new Map<unknown, PropertyKey[]>();
  const walk = (value: unknown, path: PropertyKey[]) => {
    if (value === null || typeof value !== 'object' || index.has(value)) return;
    index.set(value, path);
    for (const [key, child] of Object.entries(value)) walk(child, [...path, Array.isArray(value) ? Number(key) : key]);
  };
  for (const [name, value] of Object.entries(exports).sort(([a], [b]) => byName(a, b))) walk(value, [name]);
  return index;
}

/**
 * The problem of one schema issue in an env spec. When the value came from clusters/shared.ts,
 * the problem names shared.ts and the export's field (what a person must edit), and `usedAs`
 * the field of the env that took it.
 */
function envIssueProblem(folder: string, file: string, spec: unknown, issue: SpecIssue, shared: Readonly<Record<string, unknown>>, index: Map<unknown, PropertyKey[]>): { problem: Problem; usedAs?: string } {
  let value = spec;
  let found: { depth: number; path: PropertyKey[] } | undefined;
  // The first value along the path that is one of shared.ts's is where the env took it; an
  // unknown key is the fault of the object holding it, so its own name is not followed.
  const followed = issue.onKey ? issue.segments.slice(0, -1) : issue.segments;
  followed.forEach((segment, depth) => {
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
    const at = index.get(value);
    if (at && !found) found = { depth: depth + 1, path: at };
  });
  const [top] = issue.segments;
  if (!found && !issue.onKey && issue.segments.length === 1 && typeof top === 'string' && top in shared && shared[top] === value && value !== undefined) found = { depth: 1, path: [top] };
  if (!found) return { problem: { env: folder, file, parameter: issue.path, message: issue.message } };
  return {
    problem: { file: SHARED_FILE, parameter: formatPath([...found.path, ...issue.segments.slice(found.depth)]), message: issue.message },
    usedAs: formatPath(issue.segments.slice(0, found.depth)),
  };
}

/**
 * Imports every environment and app and checks each against its schema (unknown keys, types,
 * ranges and forms, every problem at once), the folder layout, and what must hold across them:
 * an env's name equals its folder, app names are unique and equal their folders, every app an
 * env lists is defined, and no two envs aim at the same cluster or SSM prefix.
 */
export async function loadWorkspace(root: string, modules: WorkspaceModules = discoverModules(root)): Promise<Workspace> {
  const problems: Problem[] = existsSync(join(root, 'clusters')) || existsSync(join(root, 'apps')) ? layoutProblems(root) : [];
  const environments = new Map<string, EnvironmentSpec>();
  const apps = new Map<string, AppDefinition>();
  const appFiles = new Map<string, string>();
  /** App folders whose module failed to load or check: already reported, so envs listing them are not. */
  const unusable = new Set<string>();

  /** Imports one module; a module that fails to load (syntax error, throwing code) is a problem of its file. */
  const importModule = async ({ load }: SpecModule, where: Omit<Problem, 'message'>): Promise<{ ok: true; value: any } | { ok: false }> => {
    try {
      return { ok: true, value: (await load()) as any };
    } catch (error) {
      problems.push({ ...where, message: `failed to load: ${thrownMessage(error)}` });
      return { ok: false };
    }
  };

  let shared: Readonly<Record<string, unknown>> = {};
  let sharedLoaded = true;
  if (modules.shared) {
    const loaded = await importModule(modules.shared, { file: modules.shared.file });
    if (loaded.ok) shared = loaded.value;
    sharedLoaded = loaded.ok;
  }
  const index = sharedIndex(shared);

  for (const [folder, module] of modules.apps) {
    const component = `app-${folder}`;
    const loaded = await importModule(module, { component, file: module.file });
    const app: unknown = loaded.ok ? loaded.value.default : undefined;
    if (!loaded.ok || app === null || typeof app !== 'object') {
      if (loaded.ok) problems.push({ component, file: module.file, message: 'must default-export defineApp({...})' });
      unusable.add(folder);
      continue;
    }
    const issues = checkSpec(appDefinitionSchema, app);
    for (const issue of issues) problems.push({ component, file: module.file, parameter: issue.path, message: issue.message });
    const { name } = app as { name?: unknown };
    if (issues.length > 0 || typeof name !== 'string') {
      unusable.add(folder);
      continue;
    }
    const previous = appFiles.get(name);
    if (previous) {
      problems.push({ component: `app-${name}`, file: module.file, parameter: 'name', message: `given "${name}", which ${previous} defines too; expected a name of its own, equal to its folder (${folder})` });
      unusable.add(folder);
      continue;
    }
    if (name !== folder) {
      problems.push({ component, file: module.file, parameter: 'name', message: `given "${name}"; expected "${folder}", the app's folder apps/${folder}/` });
      unusable.add(folder);
      continue;
    }
    appFiles.set(name, module.file);
    apps.set(name, app as AppDefinition);
  }

  const checkedEnvs = new Map<string, { spec: EnvironmentSpec; file: string }>();
  /** Problems of values envs take from shared.ts, reported once with every env that uses them. */
  const sharedProblems = new Map<string, { problem: Problem; users: string[] }>();
  // Env modules import shared.ts: when it failed to load, each would fail with the same error.
  for (const [folder, module] of sharedLoaded ? modules.environments : []) {
    const loaded = await importModule(module, { env: folder, file: module.file });
    if (!loaded.ok) continue;
    const env: unknown = loaded.value.default;
    if (env === null || typeof env !== 'object') {
      problems.push({ env: folder, file: module.file, message: 'must default-export defineEnvironment({...})' });
      continue;
    }
    const issues = checkSpec(environmentSpecSchema, env);
    for (const issue of issues) {
      const { problem, usedAs } = envIssueProblem(folder, module.file, env, issue, shared, index);
      if (usedAs === undefined) {
        problems.push(problem);
        continue;
      }
      const key = `${problem.parameter}\n${problem.message}`;
      const entry = sharedProblems.get(key) ?? { problem, users: [] };
      entry.users.push(`${module.file} (as ${usedAs})`);
      sharedProblems.set(key, entry);
    }
    const listed = (env as { apps?: unknown }).apps;
    for (const name of listed !== null && typeof listed === 'object' ? Object.keys(listed) : []) {
      if (!apps.has(name) && !unusable.has(name)) {
        problems.push({ env: folder, component: `app-${name}`, file: module.file, parameter: `apps.${name}`, message: `lists app "${name}", but apps/${name}/ does not define it` });
      }
    }
    if (issues.length > 0) continue;
    const spec = env as EnvironmentSpec;
    if (spec.name !== folder) {
      problems.push({ env: folder, file: module.file, parameter: 'name', message: `given "${spec.name}"; expected "${folder}", the env's folder clusters/${folder}/` });
      continue;
    }
    checkedEnvs.set(folder, { spec, file: module.file });
    environments.set(folder, spec);
  }

  for (const { problem, users } of sharedProblems.values()) problems.push({ ...problem, message: `${problem.message}; used by ${users.join(', ')}` });
  if (sharedLoaded && problems.length === 0 && environments.size === 0) {
    problems.push({ file: 'clusters/', message: 'no env found; expected one folder per env, clusters/<env>/env.ts (is --root the repository root?)' });
  }
  problems.push(...crossEnvironmentProblems(checkedEnvs, apps, appFiles));
  problems.push(...(await specSecretProblems(apps, appFiles, checkedEnvs)));
  if (problems.length > 0) throw new SynthError(problems);
  return { root, environments, apps };
}

/** The environments named on the command line (all when none), or an error naming the unknown ones. */
export function selectEnvironments(workspace: Workspace, names: readonly string[]): EnvironmentSpec[] {
  if (names.length === 0) return [...workspace.environments.values()];
  const known = [...workspace.environments.keys()].join(', ');
  const unknown = names.filter((name) => !workspace.environments.has(name));
  if (unknown.length > 0) {
    throw new SynthError(unknown.map((name) => ({ env: name, message: `unknown environment; clusters/ defines: ${known}` })));
  }
  return [...new Set(names)].sort(byName).map((name) => workspace.environments.get(name)!);
}
