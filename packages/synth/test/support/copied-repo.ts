import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { repoRoot } from './scratch';

/** Folders a copied repository leaves out: what is built, cached or installed. */
const LEFT_OUT = new Set(['.git', '.turbo', '.bench', 'cdk.out', 'test']);

/**
 * A copy of the whole repository (its packages too, so a test can change library code) in the OS
 * temp folder. pnpm's node_modules folders hold only symbolic links; they are copied as links,
 * so a package's `@gitops/*` dependencies are the copies, and the root node_modules is a link to
 * the real one, where every npm package is.
 */
export function copiedRepo(): { root: string; launcher: string; path(relativePath: string): string; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'gitops-copy-'));
  cpSync(repoRoot, root, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => {
      const path = relative(repoRoot, source);
      return path !== 'node_modules' && !LEFT_OUT.has(basename(source)) && !basename(source).startsWith('.synth-');
    },
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return {
    root,
    launcher: join(root, 'packages', 'synth', 'bin', 'synth.mjs'),
    path: (relativePath) => join(root, relativePath),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
