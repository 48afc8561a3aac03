import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppDefinition } from '@gitops/app';
import { checkAwsEnvironment } from '@gitops/contract';
import type { EnvironmentSpec } from '@gitops/core';
import { SynthError, type Problem } from './problems';

/** Everything synth reads from the repository besides the SSM parameters. */
export interface Workspace {
  /** Repository root: the folder holding `clusters/`, `apps/` and `gitops/`. */
  readonly root: string;
  /** Every environment in `clusters/`, by name, in name order. */
  readonly environments: ReadonlyMap<string, EnvironmentSpec>;
  /** Every app in `apps/`, by name. */
  readonly apps: ReadonlyMap<string, AppDefinition>;
}

/** `clusters/<env>/env.ts` and `apps/<name>/src/index.ts`, as modules to import. */
export interface WorkspaceModules {
  readonly environments: ReadonlyMap<string, { file: string; load: () => Promise<unknown> }>;
  readonly apps: ReadonlyMap<string, { file: string; load: () => Promise<unknown> }>;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function subfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort(byName);
}

/** Finds environment and app modules on disk, to import with the running TypeScript loader. */
export function discoverModules(root: string): WorkspaceModules {
  const modules = (folder: string, file: string) =>
    new Map(
      subfolders(join(root, folder))
        .filter((name) => existsSync(join(root, folder, name, file)))
        .map((name) => {
          const path = join(root, folder, name, file);
          return [name, { file: relative(root, path), load: () => import(pathToFileURL(path).href) }];
        }),
    );
  return { environments: modules('clusters', 'env.ts'), apps: modules('apps', 'src/index.ts') };
}

/**
 * Imports and checks every environment and app: each module default-exports a spec whose name
 * matches its folder, app names are unique, and every app an environment lists is defined.
 */
export async function loadWorkspace(root: string, modules: WorkspaceModules = discoverModules(root)): Promise<Workspace> {
  const problems: Problem[] = [];
  const environments = new Map<string, EnvironmentSpec>();
  const apps = new Map<string, AppDefinition>();
  const appFiles = new Map<string, string>();
  /** App folders whose module failed to load: already reported, so envs listing them are not. */
  const unloadable = new Set<string>();

  /** Imports one module; a module that fails to load (syntax error, throwing code) is a problem of its file. */
  const importModule = async (load: () => Promise<unknown>, where: Omit<Problem, 'message'>): Promise<unknown> => {
    try {
      return ((await load()) as { default?: unknown }).default;
    } catch (error) {
      problems.push({ ...where, message: `failed to load: ${(error as Error).message.split('\n')[0]}` });
      return null;
    }
  };

  for (const [folder, { file, load }] of modules.apps) {
    const app = (await importModule(load, { component: `app-${folder}`, file })) as AppDefinition | null | undefined;
    if (app === null) {
      unloadable.add(folder);
      continue;
    }
    if (!app || typeof app.name !== 'string') {
      problems.push({ component: `app-${folder}`, file, message: 'must default-export defineApp({...})' });
      continue;
    }
    const previous = appFiles.get(app.name);
    if (previous) {
      problems.push({ component: `app-${app.name}`, file, message: `duplicate app name "${app.name}", also defined in ${previous}` });
      continue;
    }
    if (app.name !== folder) {
      problems.push({ component: `app-${app.name}`, file, message: `app name "${app.name}" differs from its folder apps/${folder}` });
    }
    appFiles.set(app.name, file);
    apps.set(app.name, app);
  }

  for (const [folder, { file, load }] of modules.environments) {
    const env = (await importModule(load, { env: folder, file })) as EnvironmentSpec | null | undefined;
    if (env === null) continue;
    if (!env || typeof env.name !== 'string') {
      problems.push({ env: folder, file, message: 'must default-export defineEnvironment({...})' });
      continue;
    }
    if (env.name !== folder) problems.push({ env: folder, file, message: `name "${env.name}" differs from its folder` });
    for (const message of checkAwsEnvironment(env)) problems.push({ env: folder, file, message });
    for (const name of Object.keys(env.apps ?? {})) {
      if (!apps.has(name) && !unloadable.has(name)) {
        problems.push({ env: folder, component: `app-${name}`, file, message: `lists app "${name}", but apps/${name}/ does not define it` });
      }
    }
    environments.set(folder, env);
  }

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
