import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository these tests belong to (never modified by them). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url)).replace(/\/$/, '');

/** The folders a scratch repository can start from, copied from the real one. */
export type RepoFolder = 'clusters' | 'apps' | 'gitops';

export interface Scratch {
  /** Absolute path of the scratch repository root (pass as `root`, `--root` or GITOPS_ROOT). */
  readonly root: string;
  /** Absolute path of a repository-relative path. */
  path(relativePath: string): string;
  read(relativePath: string): string;
  write(relativePath: string, content: string): void;
  /** Reads a JSON file, lets `edit` change it in place, writes it back. */
  editJson(relativePath: string, edit: (json: any) => void): void;
  remove(relativePath: string): void;
  /** Copies a folder over from the real repository (without node_modules), replacing its scratch copy. */
  copy(folder: RepoFolder): void;
  /** Deletes the whole scratch repository. */
  dispose(): void;
}

/** Workspace packages by name (`@gitops/core` → packages/core), so scratch modules import them like the repo's do. */
function workspacePackages(): Map<string, string> {
  const found = new Map<string, string>();
  for (const folder of readdirSync(join(repoRoot, 'packages'))) {
    const manifest = join(repoRoot, 'packages', folder, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
    if (name) found.set(name, join(repoRoot, 'packages', folder));
  }
  return found;
}

/**
 * A throwaway repository in the OS temp folder, for tests that write `gitops/` or edit inputs.
 * `copy` brings folders over from the real repository (without node_modules). Env and app
 * modules written there can import `@gitops/app`, `@gitops/core` and every other workspace
 * package: `node_modules/@gitops/<name>` links to the real package, which resolves its own
 * dependencies from the repository.
 */
export function scratchRepo(copy: readonly RepoFolder[] = []): Scratch {
  const root = mkdtempSync(join(tmpdir(), 'gitops-scratch-'));
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: 'scratch', private: true, type: 'module' })}\n`);
  for (const [name, target] of workspacePackages()) {
    const link = join(root, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
  const copyFolder = (folder: RepoFolder) => {
    rmSync(join(root, folder), { recursive: true, force: true });
    cpSync(join(repoRoot, folder), join(root, folder), {
      recursive: true,
      filter: (source) => !['node_modules', '.turbo'].includes(basename(source)) && !basename(source).startsWith('.synth-'),
    });
  };
  for (const folder of copy) copyFolder(folder);
  const path = (relativePath: string) => join(root, relativePath);
  const scratch: Scratch = {
    root,
    path,
    read: (relativePath) => readFileSync(path(relativePath), 'utf8'),
    write(relativePath, content) {
      mkdirSync(dirname(path(relativePath)), { recursive: true });
      writeFileSync(path(relativePath), content);
    },
    editJson(relativePath, edit) {
      const json = JSON.parse(scratch.read(relativePath));
      edit(json);
      scratch.write(relativePath, `${JSON.stringify(json, null, 2)}\n`);
    },
    remove: (relativePath) => rmSync(path(relativePath), { recursive: true, force: true }),
    copy: copyFolder,
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
  return scratch;
}

/**
 * A digest of everything under `dir`: every file's path and bytes, every folder (empty ones and
 * hidden ones too), so a leftover staging folder or a touched byte changes it.
 */
export function hashTree(dir: string): string {
  const hash = createHash('sha256');
  const walk = (current: string) => {
    const entries = readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(current, entry.name);
      const name = relative(dir, full);
      if (entry.isDirectory()) {
        hash.update(`dir ${name}\n`);
        walk(full);
      } else {
        hash.update(`file ${name}\n`).update(readFileSync(full)).update('\n');
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return hash.digest('hex');
}

/** Every path under `dir` (files and folders, hidden ones too), relative and sorted. */
export function listTree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split('\\').join('/')).sort();
}
