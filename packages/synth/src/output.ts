import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** File contents by path relative to one `gitops/<env>/` folder. */
export type FileTree = ReadonlyMap<string, string>;

/** Every file under `dir`, by path relative to it (`/`-separated, in code-point order). */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface TreeDiff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

export function diffTrees(before: FileTree, after: FileTree): TreeDiff {
  const added: string[] = [];
  const changed: string[] = [];
  for (const [path, content] of after) {
    const previous = before.get(path);
    if (previous === undefined) added.push(path);
    else if (previous !== content) changed.push(path);
  }
  const removed = [...before.keys()].filter((path) => !after.has(path));
  return { added, changed, removed };
}

export const isUnchanged = (diff: TreeDiff) => diff.added.length + diff.changed.length + diff.removed.length === 0;

/**
 * Replaces whole `gitops/<env>/` folders: each new tree is written to a staging folder beside
 * them, then swapped in with renames, so a failure at any point leaves `gitops/` as it was.
 * `null` removes an env's folder (an env that no longer exists in `clusters/`).
 */
export function replaceEnvironmentFolders(gitopsDir: string, trees: ReadonlyMap<string, FileTree | null>): void {
  const staging = join(gitopsDir, `.synth-${process.pid}`);
  const retired = join(gitopsDir, `.synth-${process.pid}-old`);
  mkdirSync(staging, { recursive: true });
  const swapped: string[] = [];
  try {
    for (const [env, tree] of trees) {
      if (tree === null) continue;
      for (const [path, content] of tree) {
        const target = join(staging, env, path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
      mkdirSync(join(staging, env), { recursive: true });
    }
    mkdirSync(retired, { recursive: true });
    for (const [env, tree] of trees) {
      const live = join(gitopsDir, env);
      if (existsSync(live)) renameSync(live, join(retired, env));
      swapped.push(env);
      if (tree !== null) renameSync(join(staging, env), live);
    }
  } catch (error) {
    for (const env of swapped.reverse()) {
      const live = join(gitopsDir, env);
      if (existsSync(join(retired, env))) {
        rmSync(live, { recursive: true, force: true });
        renameSync(join(retired, env), live);
      }
    }
    throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(retired, { recursive: true, force: true });
  }
}
