import { describe, expect, it } from 'vitest';
import { argoCdProblems, readArgoCdInstances } from '../../argocd/test/support/argocd-reader';
import { repoRoot } from '../../synth/test/support/scratch';

describe('gitops/<env>/README.md, as Argo CD reads the repository', () => {
  it('is never applied: no Application reads it (directory sources take only YAML, YML, JSON and Jsonnet), and the tree still passes every delivery check', () => {
    const applied = readArgoCdInstances(repoRoot).flatMap((instance) => [...instance.applications.values()].flatMap((application) => application.read?.files ?? []));
    expect(applied.length).toBeGreaterThan(50);
    expect(applied.filter((file) => file.endsWith('README.md'))).toEqual([]);
    expect(argoCdProblems(repoRoot)).toEqual([]);
  });
});
