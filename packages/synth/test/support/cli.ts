import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { vi } from 'vitest';
import { main } from '../../src/index';
import { repoRoot } from './scratch';

const execFileAsync = promisify(execFile);
const launcher = join(repoRoot, 'packages/synth/bin/synth.mjs');

/** Runs the CLI in-process, capturing what it prints, a line each (it prints several lines in one call). */
export async function runCli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((text: unknown) => void out.push(...String(text).split('\n')));
  const error = vi.spyOn(console, 'error').mockImplementation((text: unknown) => void err.push(...String(text).split('\n')));
  try {
    return { code: await main(argv), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** Runs `node packages/synth/bin/synth.mjs <args>` as `pnpm synth` does, with `cacheDir` as its cache. */
export async function runLauncher(args: readonly string[], cacheDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [launcher, ...args], { env: { ...process.env, GITOPS_CACHE_DIR: cacheDir } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
