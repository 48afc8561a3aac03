import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { discoverModules, readTree, renderAll, synth } from '../src/index';
import { hashTree, repoRoot, scratchRepo, type Scratch } from './support/scratch';

// Fails the n-th rename (or file write) whose target is inside `within`, as a full disk, a
// permission change or a crashing antivirus would: the write phase itself breaks midway.
const fault = vi.hoisted(() => ({ within: '', operation: '' as 'renameSync' | 'writeFileSync' | '', at: 0, seen: 0 }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const failing =
    <A extends unknown[], R>(operation: 'renameSync' | 'writeFileSync', real: (...args: A) => R, target: (...args: A) => unknown) =>
    (...args: A): R => {
      if (fault.operation === operation && fault.within && String(target(...args)).startsWith(fault.within)) {
        fault.seen += 1;
        if (fault.seen === fault.at) throw Object.assign(new Error(`EIO: injected ${operation} failure #${fault.at}`), { code: 'EIO' });
      }
      return real(...args);
    };
  const renameSync = failing('renameSync', fs.renameSync, (_from, to) => to);
  const writeFileSync = failing('writeFileSync', fs.writeFileSync as (...args: unknown[]) => void, (path) => path);
  return { ...fs, renameSync, writeFileSync, default: { ...fs, renameSync, writeFileSync } };
});

const modules = discoverModules(repoRoot);

let repo: Scratch;
beforeEach(() => {
  repo = scratchRepo(['clusters', 'gitops']);
  // Every kind of swap at once: a changed env, a removed component, a new env, an orphan env.
  repo.write('gitops/dev/app-web/configmap-stale.yaml', 'kind: ConfigMap\n');
  repo.write('gitops/prod/app-removed/namespace-removed.yaml', 'kind: Namespace\n');
  repo.remove('gitops/stg');
  repo.write('gitops/qa/app-web/namespace-web.yaml', 'kind: Namespace\n');
});
afterEach(() => {
  Object.assign(fault, { within: '', operation: '', at: 0, seen: 0 });
  repo.dispose();
});

/** Runs synth with the n-th matching operation failing; returns the error, or undefined on success. */
async function synthFailingAt(operation: 'renameSync' | 'writeFileSync', at: number): Promise<Error | undefined> {
  Object.assign(fault, { within: repo.path('gitops'), operation, at, seen: 0 });
  try {
    await synth({ root: repo.root, modules });
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    fault.operation = '';
  }
}

describe('a failure while writing gitops/ rolls back', () => {
  it('at every rename of the swap, gitops/ ends byte-for-byte as it was', async () => {
    const before = hashTree(repo.path('gitops'));
    let failures = 0;
    for (let at = 1; ; at++) {
      const error = await synthFailingAt('renameSync', at);
      if (!error) break;
      failures += 1;
      expect(error.message, `rename #${at}`).toBe(`EIO: injected renameSync failure #${at}`);
      expect(hashTree(repo.path('gitops')), `after a failure at rename #${at}`).toBe(before);
    }
    // Only what differs is swapped: dev's app-web folder retired and installed, prod's
    // app-removed folder retired, stg installed whole, qa retired: five renames, each failed once.
    expect(failures).toBe(5);

    const { rendered } = await renderAll({ root: repo.root, modules });
    for (const { env, files } of rendered) expect(readTree(repo.path(`gitops/${env.name}`))).toEqual(files);
    expect(hashTree(repo.path('gitops/qa'))).toBe(hashTree(repo.path('gitops/nonexistent')));
  });

  it('when writing a staged file fails, gitops/ ends byte-for-byte as it was', async () => {
    const before = hashTree(repo.path('gitops'));

    for (const at of [1, 5]) {
      const error = await synthFailingAt('writeFileSync', at);
      expect(error?.message).toBe(`EIO: injected writeFileSync failure #${at}`);
      expect(hashTree(repo.path('gitops')), `after a failure at write #${at}`).toBe(before);
    }
  });
});
