import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTree, replaceEnvironmentFolders } from '../src/output';

// replaceEnvironmentFolders hard-links the files it is told are unchanged instead of writing
// them again (a one-app change at 3 envs × 200 apps rewrote ~7,000 files). The result must be
// the same tree as writing everything.

let gitops: string;
beforeEach(() => {
  gitops = mkdtempSync(join(tmpdir(), 'output-links-'));
  mkdirSync(join(gitops, 'dev', 'app-web'), { recursive: true });
  writeFileSync(join(gitops, 'dev', 'app-web', 'service-web.yaml'), 'kind: Service\n');
  writeFileSync(join(gitops, 'dev', 'app-web', 'deployment-web.yaml'), 'image: web:1\n');
});
afterEach(() => rmSync(gitops, { recursive: true, force: true }));

describe('replacing an env folder with some files unchanged', () => {
  it('links the unchanged files, writes the changed ones, and gives the new tree', () => {
    const inode = statSync(join(gitops, 'dev', 'app-web', 'service-web.yaml')).ino;
    const tree = new Map([
      ['app-web/deployment-web.yaml', 'image: web:2\n'],
      ['app-web/service-web.yaml', 'kind: Service\n'],
    ]);

    replaceEnvironmentFolders(gitops, new Map([['dev', tree]]), new Map([['dev', new Set(['app-web/service-web.yaml'])]]));

    expect(readTree(join(gitops, 'dev'))).toEqual(tree);
    expect(statSync(join(gitops, 'dev', 'app-web', 'service-web.yaml')).ino).toBe(inode);
    // The old tree is gone, so the linked file has one name again.
    expect(statSync(join(gitops, 'dev', 'app-web', 'service-web.yaml')).nlink).toBe(1);
  });

  it('writes a file said to be unchanged that is no longer there to link', () => {
    const tree = new Map([['app-web/configmap-web.yaml', 'kind: ConfigMap\n']]);

    replaceEnvironmentFolders(gitops, new Map([['dev', tree]]), new Map([['dev', new Set(['app-web/configmap-web.yaml'])]]));

    expect(readFileSync(join(gitops, 'dev', 'app-web', 'configmap-web.yaml'), 'utf8')).toBe('kind: ConfigMap\n');
    expect(readTree(join(gitops, 'dev'))).toEqual(tree);
  });
});
