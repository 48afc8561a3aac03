import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { SynthError } from './problems';

/** The lock beside gitops/ (a folder proper-lockfile creates with one atomic mkdir). */
export const LOCK_NAME = '.gitops-synth.lock';

// proper-lockfile refreshes the lock's mtime while it is held and treats one older than `stale`
// as left by a killed run, so a crash never blocks the next synth for longer than that.
const STALE_MS = 10_000;
const RETRY_MS = 200;
/** How long a second synth waits for the first; a whole synth of this repository takes about a second. */
const DEFAULT_WAIT_MS = 30_000;

const waitMs = () => {
  const configured = Number(process.env.GITOPS_LOCK_WAIT_MS);
  return Number.isFinite(configured) && configured >= 0 ? configured : DEFAULT_WAIT_MS;
};

/**
 * Runs `work` holding the repository's synth lock: a second synth of the same root waits for the
 * first to finish (up to GITOPS_LOCK_WAIT_MS, 30 s by default) and then refuses with one line,
 * so two runs never write gitops/ at once and a --check never reads a half-replaced tree. A
 * --check on a read-only checkout, where no lock can be made, runs without one: it writes nothing.
 */
export async function withSynthLock<T>(root: string, options: { readOnly: boolean }, work: () => Promise<T>): Promise<T> {
  const lockfilePath = join(root, LOCK_NAME);
  const wait = waitMs();
  let release: (() => Promise<void>) | undefined;
  let lost: Error | undefined;
  try {
    release = await lock(root, {
      lockfilePath,
      realpath: false,
      stale: STALE_MS,
      // The lock could not be refreshed in time (a stalled machine), so another synth may have
      // taken it: reported when the work ends, instead of proper-lockfile's default, a throw from a timer.
      onCompromised: (error) => {
        lost = error;
      },
      retries: { retries: Math.ceil(wait / RETRY_MS), minTimeout: RETRY_MS, maxTimeout: RETRY_MS, factor: 1 },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') {
      throw new SynthError([
        {
          file: LOCK_NAME,
          message: `another synth is running in this repository (waited ${wait >= 1000 ? `${Math.round(wait / 1000)} s` : `${wait} ms`} for it); run again once it ends (a lock left by a killed run expires after ${STALE_MS / 1000} s)`,
        },
      ]);
    }
    if (!(options.readOnly && (code === 'EACCES' || code === 'EPERM' || code === 'EROFS'))) throw error;
  }
  let result: T;
  try {
    result = await work();
  } finally {
    if (!lost) await release?.();
  }
  if (lost) {
    throw new SynthError([{ file: LOCK_NAME, message: `the synth lock was lost while synth ran (${lost.message}); another synth may have written gitops/ too: run synth again` }]);
  }
  return result;
}
