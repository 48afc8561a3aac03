import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Attempt, WorkDone } from './incremental';

// V8 lets the old generation grow to a few times what survived its last full collection before
// it collects again, so rendering env after env piles up the garbage of each: at 3 envs × 1000
// apps a single-threaded cold render peaked at 392 MiB RSS, while one full collection after each
// env's render kept it at 265–270 MiB at no cost in time (5.9–6.4 s against 6.9–7.5 s on the
// 2-core benchmark machine). Node offers `gc()` only under --expose-gc; the flag can be set at
// run time, and a new context then has `gc` (as jest's leak detector does).

let collect: (() => void) | undefined;

/** A full garbage collection, now. */
export function collectGarbage(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

/**
 * After an env is done: collect its garbage when it rendered at least as many components as it
 * took from the cache. An env reused whole, or one app changed in it, left too little for the
 * collection (tens of ms at 1000 apps) to pay.
 */
export function afterEnvironment(result: Attempt): void {
  if ('outcome' in result && collectsAfter(result.outcome.work)) collectGarbage();
}

/** Whether an env that did this work is followed by a collection. */
export const collectsAfter = ({ rendered, reused }: WorkDone): boolean => rendered > 0 && rendered >= reused;
