import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTree, replaceEnvironmentFolders } from '../src/output';

// replaceEnvironmentFolders swaps only the component folders a diff names, and in those
// hard-links the files the diff does not name instead of writing them again. The result must be
// the same tree as writing everything.

let gitops: string;
beforeEach(() => {
  gitops = mkdtempSync(join(tmpdir(), 'output-links-'));
  mkdirSync(join(gitops, 'dev', 'app-web'), { recursive: true });
  mkdirSync(join(gitops, 'dev', 'app-api'), { recursive: true });
  writeFileSync(join(gitops, 'dev', 'app-web', 'service-web.yaml'), 'kind: Service\n');
  writeFileSync(join(gitops, 'dev', 'app-web', 'deployment-web.yaml'), 'image: web:1\n');
  writeFileSync(join(gitops, 'dev', 'app-api', 'service-api.yaml'), 'kind: Service\n');
  writeFileSync(join(gitops, 'dev', 'app-api', 'extra.yaml'), 'kind: Extra\n');
});
afterEach(() => rmSync(gitops, { recursive: true, force: true }));

const noChange = { added: [], changed: [], removed: [] };

/** The env's tree with app-web's Deployment changed and everything else as written above. */
const webChanged = () =>
  new Map([
    ['app-api/extra.yaml', 'kind: Extra\n'],
    ['app-api/service-api.yaml', 'kind: Service\n'],
    ['app-web/deployment-web.yaml', 'image: web:2\n'],
    ['app-web/service-web.yaml', 'kind: Service\n'],
  ]);

describe('replacing an env folder with some files unchanged', () => {
  it('links the unchanged files, writes the changed ones, and gives the new tree', () => {
    const inode = statSync(join(gitops, 'dev', 'app-web', 'service-web.yaml')).ino;
    const tree = new Map([
      ['app-api/service-api.yaml', 'kind: Service\n'],
      ['app-web/deployment-web.yaml', 'image: web:2\n'],
      ['app-web/service-web.yaml', 'kind: Service\n'],
    ]);

    replaceEnvironmentFolders(gitops, new Map([['dev', tree]]), new Map([['dev', { ...noChange, changed: ['app-web/deployment-web.yaml'], removed: ['app-api/extra.yaml'] }]]));

    expect(readTree(join(gitops, 'dev'))).toEqual(tree);
    expect(statSync(join(gitops, 'dev', 'app-web', 'service-web.yaml')).ino).toBe(inode);
    // The old folder is gone, so the linked file has one name again.
    expect(statSync(join(gitops, 'dev', 'app-web', 'service-web.yaml')).nlink).toBe(1);
  });

  it('leaves component folders the diff does not name as they are, folder and files', () => {
    const folder = statSync(join(gitops, 'dev', 'app-api')).ino;
    const file = statSync(join(gitops, 'dev', 'app-api', 'service-api.yaml')).ino;
    const tree = webChanged();

    replaceEnvironmentFolders(gitops, new Map([['dev', tree]]), new Map([['dev', { ...noChange, changed: ['app-web/deployment-web.yaml'] }]]));

    expect(readTree(join(gitops, 'dev'))).toEqual(tree);
    expect(statSync(join(gitops, 'dev', 'app-api')).ino).toBe(folder);
    expect(statSync(join(gitops, 'dev', 'app-api', 'service-api.yaml')).ino).toBe(file);
  });

  it('adds a new component folder and removes one that is gone', () => {
    const tree = new Map([
      ['app-new/configmap-new.yaml', 'kind: ConfigMap\n'],
      ['app-web/deployment-web.yaml', 'image: web:1\n'],
      ['app-web/service-web.yaml', 'kind: Service\n'],
    ]);

    replaceEnvironmentFolders(gitops, new Map([['dev', tree]]), new Map([['dev', { added: ['app-new/configmap-new.yaml'], changed: [], removed: ['app-api/extra.yaml', 'app-api/service-api.yaml'] }]]));

    expect(readTree(join(gitops, 'dev'))).toEqual(tree);
  });

  it('writes a file said to be unchanged that is no longer there to link', () => {
    rmSync(join(gitops, 'dev', 'app-web', 'service-web.yaml'));
    const tree = webChanged();

    replaceEnvironmentFolders(gitops, new Map([['dev', tree]]), new Map([['dev', { ...noChange, changed: ['app-web/deployment-web.yaml'] }]]));

    expect(readFileSync(join(gitops, 'dev', 'app-web', 'service-web.yaml'), 'utf8')).toBe('kind: Service\n');
    expect(readTree(join(gitops, 'dev'))).toEqual(tree);
  });
});
