import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filesUnder } from './argocd-reader';

/** The repository these tests belong to (read, never written). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url)).replace(/\/$/, '');

/** A hub (ops) and two spokes (blue, green): clusters/<env>/env.ts and ssm-snapshot.json each. */
export const HUB_FIXTURE = fileURLToPath(new URL('../fixtures/hub', import.meta.url));

export interface SynthRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A copy of a fixture repository in the OS temp folder, for synth to render into. */
export interface ScratchRoot {
  readonly root: string;
  /** Runs `pnpm synth` (the launcher, in a child process) with --root pointing here. */
  synth(): Promise<SynthRun>;
  read(relativePath: string): string;
  /** A hash of every file under gitops/, to prove a failed run changed nothing. */
  gitopsHash(): string;
  dispose(): void;
}

/**
 * Copies `from` (a fixture, or another scratch root) to a fresh temp folder. The fixture's env
 * modules import only types, so they need no node_modules there; `cache` holds the launcher's
 * bundles, which are keyed by root.
 */
export function scratchCopy(from: string, cache: string): ScratchRoot {
  const root = mkdtempSync(join(tmpdir(), 'gitops-argocd-'));
  cpSync(from, root, { recursive: true });
  return {
    root,
    synth: () =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [join(repoRoot, 'packages/synth/bin/synth.mjs'), 'synth', '--root', root],
          { cwd: repoRoot, env: { ...process.env, GITOPS_CACHE_DIR: cache } },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      }),
    read: (relativePath) => readFileSync(join(root, relativePath), 'utf8'),
    gitopsHash() {
      const hash = createHash('sha256');
      for (const file of filesUnder(root, 'gitops')) hash.update(`${file}\n${readFileSync(join(root, file), 'utf8')}\n`);
      return hash.digest('hex');
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
