import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { observeTree, type ObservedTree, type TreeState } from './output';
import { readText, writeWhole } from './text';

// Looking at what gitops/ holds costs a stat of every file (24,490 at 3 envs × 1000 apps: 0.2–0.35 s
// on the benchmark machine, most of it in the kernel), whatever else the run does. It depends only
// on the folders and what synth saw there last time, so a worker thread, the tree thread, does it
// from the start of a run, beside loading the workspace, rendering and checking on the main one.
// It runs a bundle of this file alone (bin/synth.mjs builds it), which loads in a few milliseconds.
//
// Writing new env folders on it too, while later envs rendered, was measured and not kept: at
// 3 × 1000 apps written from nothing it took 13.8–15.4 s against 12.5–15.3 s on the main thread
// (2-core benchmark machine): writing is ~9 s of kernel time there, which competes with rendering
// for the same two cores.

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
  writeWhole(treeStateFile(cacheDir, dir), (fd) => writeSync(fd, JSON.stringify(state)));
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

/** What the tree thread is asked first: the env folders to look at, and the render cache folder with what synth saw there last time. */
export interface ObserveRequest {
  readonly dirs: readonly string[];
  readonly cacheDir?: string;
}

/** Starts the tree thread and sends it `request` (the launcher's: bin/tree-thread.cjs, running a bundle of this file). */
export interface TreeThreadStarter {
  start(request: ObserveRequest): Worker;
}

type Reply = { readonly dir: string; readonly observed: ObservedTree } | { readonly dir: string; readonly error: string };

/** The thread's side: looks at each folder of the request through what synth saw there last time. */
export function treeThread(post: (reply: Reply) => void): (message: { readonly request: ObserveRequest }) => void {
  return ({ request }) => {
    for (const dir of request.dirs) {
      try {
        post({ dir, observed: observeTree(dir, request.cacheDir ? readTreeState(request.cacheDir, dir) : undefined) });
      } catch (error) {
        post({ dir, error: String(error) });
      }
    }
  };
}

/** The tree thread, from synth's side. */
export interface TreeThread {
  /** What `dir` holds, through what synth saw there last time. */
  observed(dir: string): Promise<ObservedTree>;
  /** Ends the thread, whatever it is doing. */
  stop(): Promise<void>;
}

/**
 * Starts the tree thread on `request`. A folder the thread could not look at (it failed, or the
 * folder changed under it) is looked at again on this thread when asked for, so an error is
 * reported as it would be without the thread.
 */
export function startTreeThread(starter: TreeThreadStarter, request: ObserveRequest): TreeThread {
  const observations = new Map<string, ObservedTree>();
  const answered = new Set<string>();
  const waiting = new Map<string, () => void>();
  let ended = false;
  const end = () => {
    ended = true;
    for (const wake of waiting.values()) wake();
    waiting.clear();
  };
  const worker = starter.start(request);
  worker.on('message', (reply: Reply) => {
    if ('observed' in reply) observations.set(reply.dir, reply.observed);
    answered.add(reply.dir);
    waiting.get(reply.dir)?.();
  });
  worker.on('error', end);
  worker.on('exit', end);
  const here = (dir: string) => observeTree(dir, request.cacheDir ? readTreeState(request.cacheDir, dir) : undefined);
  return {
    async observed(dir) {
      if (!answered.has(dir) && !ended && request.dirs.includes(dir)) await new Promise<void>((wake) => waiting.set(dir, wake));
      return observations.get(dir) ?? here(dir);
    },
    stop: async () => {
      if (ended) return;
      ended = true;
      await worker.terminate();
    },
  };
}
