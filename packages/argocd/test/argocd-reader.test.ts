import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { argoCdProblems, parseManifestFile, readArgoCdInstances, readDirectory } from './support/argocd-reader';
import { repoRoot } from './support/hub-fixture';

// The committed gitops/ tree (what `pnpm synth` wrote), read the way Argo CD reads it. Run
// `pnpm synth` first: the golden test compares the same tree with the rendered output.

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

function scratchFolder(files: Record<string, string>): string {
  scratch = mkdtempSync(join(tmpdir(), 'gitops-argocd-reader-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), content);
  }
  return scratch;
}

/** A copy of the committed gitops/ tree, to break in one way. */
function committedCopy(): string {
  scratch = mkdtempSync(join(tmpdir(), 'gitops-argocd-tree-'));
  cpSync(join(repoRoot, 'gitops'), join(scratch, 'gitops'), { recursive: true, filter: (source) => !source.includes('/.synth-') });
  return scratch;
}

describe("the reader follows Argo CD's directory source", () => {
  it('reads .yaml, .yml and .json files of the folder only, in name order, splitting YAML documents and skipping empty ones', () => {
    // GIVEN a folder with every kind of file Argo CD meets
    const root = scratchFolder({
      'app/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b1}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b2}\n',
      'app/a.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      'app/c.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}',
      'app/README.md': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: readme}\n',
      'app/Chart.txt': 'name: not-a-chart\n',
      'app/nested/d.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n',
    });

    // WHEN read without recursion (Argo CD's default), then with it
    const flat = readDirectory(root, 'app', { recurse: false });
    const deep = readDirectory(root, 'app', { recurse: true });

    // THEN
    expect(flat.files).toEqual(['app/a.yml', 'app/b.yaml', 'app/c.json']);
    expect(flat.objects.map(({ manifest }) => manifest.metadata.name)).toEqual(['a', 'b1', 'b2', 'c']);
    expect(deep.objects.map(({ manifest }) => manifest.metadata.name)).toEqual(['a', 'b1', 'b2', 'c', 'd']);
  });

  it('expands kind: List and honours the skip-file-rendering marker', () => {
    const root = scratchFolder({
      'app/list.yaml': 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: y}}\n',
      'app/values.yaml': '# +argocd:skip-file-rendering\nreplicas: 3\n',
    });

    const read = readDirectory(root, 'app');

    expect(read.files).toEqual(['app/list.yaml']);
    expect(read.objects.map(({ manifest }) => manifest.metadata.name)).toEqual(['x', 'y']);
  });

  it('ignores an unparseable file unless it looks like a manifest, and refuses a .json file with several objects', () => {
    expect(parseManifestFile('notes.yaml', 'key: [unclosed\n')).toEqual([]);
    expect(() => parseManifestFile('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n')).toThrow('bad.yaml');
    expect(() => parseManifestFile('two.json', '[{"kind": "A"}, {"kind": "B"}]')).toThrow('exactly one object');
  });
});

describe('the committed gitops/ tree, read as Argo CD', () => {
  it('is one self-managed Argo CD per env, each root syncing its own argocd folder', () => {
    const instances = readArgoCdInstances(repoRoot);

    expect(instances.map((instance) => instance.rootEnv)).toEqual(['dev', 'prod', 'stg']);
    for (const instance of instances) {
      const root = instance.applications.get(`${instance.rootEnv}-root`);
      expect(root?.manifest.spec.source.path).toBe(`gitops/${instance.rootEnv}/argocd`);
      expect([...instance.projects.keys()].sort()).toEqual(['bootstrap', instance.rootEnv]);
    }
  });

  it('has every file read by exactly one Application, no object deployed twice, every path present and every project allowing what it deploys', () => {
    expect(argoCdProblems(repoRoot)).toEqual([]);
  });
});

describe('the tree checks fail on what Argo CD would trip over', () => {
  it('a folder no Application reads, and a file two Applications deploy', () => {
    // GIVEN a copy of the committed tree with a stray folder, and app-web's namespace copied into app-api
    const root = committedCopy();
    mkdirSync(join(root, 'gitops/dev/stray'));
    writeFileSync(join(root, 'gitops/dev/stray/configmap-x.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: web}\n');
    writeFileSync(join(root, 'gitops/dev/app-api/namespace-web.yaml'), readFileSync(join(root, 'gitops/dev/app-web/namespace-web.yaml')));

    // WHEN
    const problems = argoCdProblems(root);

    // THEN
    expect(problems).toContain('dev: in-cluster||Namespace||web is deployed by both dev-app-api and dev-app-web');
    expect(problems).toContain('gitops/dev/stray/configmap-x.yaml is read by no Application');
  });

  it('an Application reading a missing folder, or deploying what its project does not allow', () => {
    // GIVEN app-web's Application pointing elsewhere, and app-api deploying into kube-public
    const root = committedCopy();
    const web = join(root, 'gitops/prod/argocd/application-prod-app-web.yaml');
    writeFileSync(web, readFileSync(web, 'utf8').replace('path: gitops/prod/app-web', 'path: gitops/prod/app-webb'));
    writeFileSync(join(root, 'gitops/prod/app-api/configmap-x.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: kube-public}\n');

    const problems = argoCdProblems(root);

    expect(problems).toContain('prod: Application prod-app-web reads gitops/prod/app-webb, which does not exist');
    expect(problems).toContain('prod: Application prod-app-api: gitops/prod/app-api/configmap-x.yaml: project prod does not allow namespace kube-public');
  });
});
