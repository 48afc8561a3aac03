import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Problem } from '@gitops/core';

/** A spec module on disk: its repository-relative file and how to import it. */
export interface SpecModule {
  readonly file: string;
  readonly load: () => Promise<unknown>;
}

/** `clusters/<env>/env.ts`, `clusters/shared.ts` and `apps/<name>/src/index.ts`, as modules to import. */
export interface WorkspaceModules {
  readonly environments: ReadonlyMap<string, SpecModule>;
  readonly apps: ReadonlyMap<string, SpecModule>;
  /** `clusters/shared.ts`, what every env has in common. @default none */
  readonly shared?: SpecModule;
}

/** The file of each env folder, of each app folder, and what envs share. */
export const ENV_FILE = 'env.ts';
export const APP_FILE = join('src', 'index.ts');
export const SHARED_FILE = join('clusters', 'shared.ts');

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Folders that hold specs: not hidden, not node_modules (pnpm links `clusters/node_modules`). */
export function specFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .map((entry) => entry.name)
    .sort(byName);
}

/** Finds environment, shared and app modules on disk, to import with the running loader. */
export function discoverModules(root: string): WorkspaceModules {
  const moduleOf = (path: string): SpecModule => ({ file: relative(root, path), load: () => import(pathToFileURL(path).href) });
  const modules = (folder: string, file: string) =>
    new Map(
      specFolders(join(root, folder))
        .filter((name) => existsSync(join(root, folder, name, file)))
        .map((name) => [name, moduleOf(join(root, folder, name, file))]),
    );
  const shared = join(root, SHARED_FILE);
  return { environments: modules('clusters', ENV_FILE), apps: modules('apps', APP_FILE), ...(existsSync(shared) ? { shared: moduleOf(shared) } : {}) };
}

// Any file a person may have meant as the env spec: env.js, Env.ts, env.mts, ...
const ENV_LIKE = /^env\.[cm]?[jt]sx?$/i;

/**
 * What is wrong with the layout of `clusters/` and `apps/`: an env folder must hold exactly one
 * `env.ts` (a folder without one is an error, never a deletion of that env's gitops/ folder:
 * removing an env means deleting its folder), and an app folder its `src/index.ts`.
 */
export function layoutProblems(root: string): Problem[] {
  const problems: Problem[] = [];
  for (const folder of specFolders(join(root, 'clusters'))) {
    const files = readdirSync(join(root, 'clusters', folder));
    const lookalikes = files.filter((file) => ENV_LIKE.test(file) && file !== ENV_FILE);
    if (!files.includes(ENV_FILE)) {
      problems.push({
        env: folder,
        file: `clusters/${folder}/`,
        message:
          `has no ${ENV_FILE}${lookalikes.length > 0 ? ` (found ${lookalikes.join(', ')}: the file must be named exactly ${ENV_FILE})` : ''}; ` +
          `every folder under clusters/ is an env and needs one. To remove env ${folder}, delete the whole folder clusters/${folder}/`,
      });
    } else {
      for (const extra of lookalikes) {
        problems.push({ env: folder, file: `clusters/${folder}/${extra}`, message: `a second env file beside ${ENV_FILE}; an env folder holds exactly one ${ENV_FILE}` });
      }
    }
  }
  for (const folder of specFolders(join(root, 'apps'))) {
    if (!existsSync(join(root, 'apps', folder, APP_FILE))) {
      problems.push({ component: `app-${folder}`, file: `apps/${folder}/`, message: `has no ${APP_FILE}; an app folder default-exports defineApp({...}) from it (or delete the folder)` });
    }
  }
  return problems;
}
