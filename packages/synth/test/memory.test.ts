import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collectGarbage, collectsAfter } from '../src/memory';

describe('garbage collection between envs', () => {
  it('collects for real: an object nothing references is gone after it', async () => {
    const ref = (() => new WeakRef({ rendered: 'x'.repeat(1000) }))();
    // A WeakRef's target stays alive until the job that made it ends.
    await setImmediate();
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
  });

  it('follows an env that rendered at least as many components as it reused, and no other', () => {
    const work = (rendered: number, reused: number) => ({ rendered, reused, reusedResults: false, reusedWhole: false, thread: 0 });
    expect(collectsAfter(work(1005, 0))).toBe(true);
    expect(collectsAfter(work(3, 3))).toBe(true);
    expect(collectsAfter(work(1, 1004))).toBe(false);
    expect(collectsAfter({ ...work(0, 1005), reusedResults: true, reusedWhole: true })).toBe(false);
  });
});
