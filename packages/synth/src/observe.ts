import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { threadId, type Worker } from 'node:worker_threads';
import { observeTree, type ObservedTree, type TreeState } from './output';
import { readText } from './text';

// Looking at what gitops/ holds costs a stat of every file (24,490 at 3 envs × 1000 apps: 0.2–0.35 s
// on the benchmark machine, most of it in the kernel), whatever else the run does. It depends only
// on the folders and what synth saw there last time, so it runs on a worker thread from the start
// of a run, beside loading the workspace, rendering and checking on this one. The worker runs a
// bundle of this file alone (bin/synth.mjs), which loads in a few milliseconds.

/** What synth saw last time in the folder `dir`, kept in the render cache folder `cacheDir` (render-cache.ts `tree`). */
export const treeStateFile = (cacheDir: string, dir: string) => join(cacheDir, 'tree', `${createHash('sha1').update(resolve(dir)).digest('hex')}.json`);

export function readTreeState(cacheDir: string, dir: string): TreeState | undefined {
  try {
    return JSON.parse(readText(treeStateFile(cacheDir, dir))) as TreeState;
  } catch {
    return undefined;
  }
}

export function writeTreeState(cacheDir: string, dir: string, state: TreeState): void {
  const file = treeStateFile(cacheDir, dir);
  const temporary = `${file}.${process.pid}.${threadId}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, file);
  } catch {
    // A read-only or full cache folder only costs speed; a half-written file is not left behind.
    rmSync(temporary, { force: true });
  }
}

/**
 * Whether the folder `dir` holds exactly the files `expected` lists, with those digests, looked
 * at through what synth saw there last time (and kept for next time when it read anything).
 */
export function holdsExactly(cacheDir: string, dir: string, expected: readonly (readonly [string, string])[]): boolean {
  const { digests, state, read } = observeTree(dir, readTreeState(cacheDir, dir));
  if (state && read > 0) writeTreeState(cacheDir, dir, state);
  return digests.size === expected.length && expected.every(([path, digest]) => digests.get(path) === digest);
}

/** What a worker thread is asked to look at: env folders, and the render cache folder with what synth saw there last time. */
export interface ObserveRequest {
  readonly dirs: readonly string[];
  readonly cacheDir?: string;
}

/** Starts a worker thread that runs `observeWorker(request, post)` (the launcher's observer mode). */
export interface Observer {
  start(request: ObserveRequest): Worker;
}

type Observation = { readonly dir: string; readonly observed: ObservedTree } | { readonly dir: string; readonly error: string };

/** The worker thread's work: each folder, looked at through what synth saw there last time. */
export function observeWorker(request: ObserveRequest, post: (message: Observation) => void): void {
  for (const dir of request.dirs) {
    try {
      post({ dir, observed: observeTree(dir, request.cacheDir ? readTreeState(request.cacheDir, dir) : undefined) });
    } catch (error) {
      post({ dir, error: String(error) });
    }
  }
}

/** Observations made on a worker thread: each folder's when asked for, and a way to stop the thread when they are not needed. */
export interface Observing {
  observed(dir: string): Promise<ObservedTree>;
  stop(): Promise<void>;
}

/**
 * Looks at `dirs` on a worker thread; returns each folder's observation when asked for. A folder
 * the worker could not look at (it failed, or the folder changed under it) is looked at again
 * on this thread when asked for, so an error is reported as it would be without the worker.
 */
export function observeElsewhere(observer: Observer, request: ObserveRequest): Observing {
  const results = new Map<string, ObservedTree>();
  const waiting = new Map<string, () => void>();
  let finished = false;
  const settle = () => {
    finished = true;
    for (const wake of waiting.values()) wake();
    waiting.clear();
  };
  const worker = observer.start(request);
  worker.on('message', (message: Observation) => {
    if ('observed' in message) results.set(message.dir, message.observed);
    waiting.get(message.dir)?.();
  });
  worker.on('error', settle);
  worker.on('exit', settle);
  const here = (dir: string) => observeTree(dir, request.cacheDir ? readTreeState(request.cacheDir, dir) : undefined);
  return {
    async observed(dir) {
      if (!results.has(dir) && !finished && request.dirs.includes(dir)) await new Promise<void>((wake) => waiting.set(dir, wake));
      return results.get(dir) ?? here(dir);
    },
    // A run that stopped before asking (a problem in the sources) need not wait for the thread.
    stop: async () => void (finished ? undefined : await worker.terminate()),
  };
}
