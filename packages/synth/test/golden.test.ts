import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, renderAll } from '../src/index';
import { repoRoot } from './support/scratch';

// The committed gitops/ is the golden set: it changes only through `pnpm synth`, and a pull
// request shows that change as a diff to review. This renders every env in memory from the
// committed snapshots and compares file by file, one test per env and component folder, so
// a failure names the component whose output moved.
const { rendered } = await renderAll({ root: repoRoot });
const gitops = join(repoRoot, 'gitops');

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const folderOf = (path: string) => path.split('/')[0]!;

describe.each(rendered.map((environment) => [environment.env.name, environment] as const))('gitops/%s', (env, environment) => {
  const committed = readTree(join(gitops, env));
  const folders = [...new Set([...environment.files.keys(), ...committed.keys()].map(folderOf))].sort(byName);

  it.each(folders)('%s/ matches the committed files', (folder) => {
    const inFolder = (tree: ReadonlyMap<string, string>) => new Map([...tree].filter(([path]) => folderOf(path) === folder));
    const expected = inFolder(committed);
    const actual = inFolder(environment.files);

    // Names first, so a missing or extra file is reported as such; then every file's bytes.
    expect([...actual.keys()].sort(byName), `files rendered into gitops/${env}/${folder}/`).toEqual([...expected.keys()].sort(byName));
    for (const [path, content] of actual) expect(content, `gitops/${env}/${path}`).toBe(expected.get(path));
  });
});

describe('gitops/', () => {
  it('holds a folder for every env and no other', () => {
    const folders = existsSync(gitops)
      ? readdirSync(gitops, { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
          .map((entry) => entry.name)
          .sort(byName)
      : [];

    expect(folders).toEqual(rendered.map((environment) => environment.env.name).sort(byName));
  });
});
