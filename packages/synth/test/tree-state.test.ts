import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf, observeTree, type TreeState } from '../src/output';

// synth compares gitops/<env>/ with what it would write through what it saw there last time,
// trusting a file's digest while its stat is unchanged (as Git's index does). Anything written
// since must be seen, even with its size and mtime put back.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tree-state-'));
  mkdirSync(join(dir, 'app-web'));
  writeFileSync(join(dir, 'app-web', 'deployment-web.yaml'), 'image: web:1\n');
  writeFileSync(join(dir, 'app-web', 'service-web.yaml'), 'kind: Service\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The state as a look taken `later` ms after this one would have left it: nothing in it is racy any more. */
const aged = (state: TreeState, later = 60_000): TreeState => ({ ...state, recordedAt: state.recordedAt + later });

describe('observing a gitops/<env>/ folder', () => {
  it('reads nothing again when nothing changed since a look that is not racy', () => {
    const first = observeTree(dir);

    const second = observeTree(dir, aged(first.state!));

    expect(first.read).toBeGreaterThan(0);
    expect(second.read).toBe(0);
    expect(second.digests).toEqual(first.digests);
    expect(second.digests.get('app-web/deployment-web.yaml')).toBe(digestOf('image: web:1\n'));
  });

  it('reads again a file rewritten with the same size and its old mtime put back', () => {
    const first = observeTree(dir);
    const file = join(dir, 'app-web', 'deployment-web.yaml');
    const { atime, mtime } = statSync(file);
    writeFileSync(file, 'image: web:2\n');
    utimesSync(file, atime, mtime);

    const second = observeTree(dir, aged(first.state!));

    expect(second.read).toBe(1);
    expect(second.digests.get('app-web/deployment-web.yaml')).toBe(digestOf('image: web:2\n'));
  });

  it('lists a folder again when an entry was added or removed, and finds the new file', () => {
    const first = observeTree(dir);
    writeFileSync(join(dir, 'app-web', 'configmap-web.yaml'), 'kind: ConfigMap\n');
    rmSync(join(dir, 'app-web', 'service-web.yaml'));

    const second = observeTree(dir, aged(first.state!));

    expect([...second.digests.keys()]).toEqual(['app-web/configmap-web.yaml', 'app-web/deployment-web.yaml']);
  });

  it('trusts nothing changed within the racy window before the last look', () => {
    const first = observeTree(dir);

    // As if the files had been written 50 ms before that look.
    const second = observeTree(dir, aged(first.state!, -(Date.now() - statSync(join(dir, 'app-web', 'service-web.yaml')).ctimeMs) + 50));

    expect(second.read).toBe(first.read);
  });

  describe('after a run wrote some of its folders', () => {
    beforeEach(() => {
      mkdirSync(join(dir, 'app-api'));
      writeFileSync(join(dir, 'app-api', 'deployment-api.yaml'), 'image: api:1\n');
    });

    it('takes the folders it did not write from its own look before writing, and looks at the written ones', () => {
      const before = aged(observeTree(dir).state!);
      rmSync(join(dir, 'app-api'), { recursive: true });
      mkdirSync(join(dir, 'app-api'));
      writeFileSync(join(dir, 'app-api', 'deployment-api.yaml'), 'image: api:2\n');

      const after = observeTree(dir, before, new Map([['app-api/deployment-api.yaml', digestOf('image: api:2\n')]]), new Set(['app-api']));

      expect(after.digests).toEqual(observeTree(dir).digests);
      expect(after.state!.files['app-web/service-web.yaml']).toBe(before.files['app-web/service-web.yaml']);
      expect(after.state!.files['app-api/deployment-api.yaml']!.stat).not.toEqual(before.files['app-api/deployment-api.yaml']!.stat);
    });

    it('leaves a change someone made meanwhile in a folder it did not write to the next look', () => {
      const before = aged(observeTree(dir).state!);
      writeFileSync(join(dir, 'app-web', 'deployment-web.yaml'), 'image: web:9\n');

      const after = observeTree(dir, before, new Map(), new Set(['app-api']));
      const next = observeTree(dir, aged(after.state!));

      expect(next.read).toBe(1);
      expect(next.digests.get('app-web/deployment-web.yaml')).toBe(digestOf('image: web:9\n'));
    });

    it('looks at a folder it did not write when its entries were racy, or one holds a symbolic link', () => {
      symlinkSync(join(dir, 'app-web', 'service-web.yaml'), join(dir, 'app-api', 'service-api.yaml'));
      const racy = observeTree(dir).state!;
      const settled = aged(racy);
      // A record taken from the earlier state is that state's own object; a looked-at one is new.
      const carried = (state: TreeState, path: string) => observeTree(dir, state, new Map(), new Set()).state!.files[path] === state.files[path];

      expect(carried(racy, 'app-web/service-web.yaml')).toBe(false);
      expect(carried(settled, 'app-web/service-web.yaml')).toBe(true);
      expect(carried(settled, 'app-api/deployment-api.yaml')).toBe(false);
      expect(observeTree(dir, settled, new Map(), new Set()).digests.get('app-api/service-api.yaml')).toBe(digestOf('kind: Service\n'));
    });
  });

  it('gives an empty tree and no state for a folder that does not exist', () => {
    expect(observeTree(join(dir, 'nonexistent'))).toEqual({ digests: new Map(), state: undefined, read: 0 });
  });
});
