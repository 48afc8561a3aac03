import type { EnvironmentSpec } from '@gitops/core';
import { describe, expect, it } from 'vitest';
import { applicationNameProblems } from '../src/argocd-names';
import type { RenderedEnvironment } from '../src/render';

// Application names are object names in one Argo CD's namespace: an env's Applications live in
// the Argo CD that manages it, so a hub holds its own and its spokes' roots.
const application = (name: string) => ({ component: 'argocd', file: `argocd/application-${name}.yaml`, manifest: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' } } });
const rendered = (name: string, applications: string[], managedBy?: string): RenderedEnvironment => ({
  env: { name, argocd: { repoURL: 'https://example.com/r.git', targetRevision: 'main', ...(managedBy ? { managedBy } : {}) } } as EnvironmentSpec,
  components: [],
  objects: applications.map(application),
  files: new Map(),
});

describe('Argo CD Application names', () => {
  it('refuses a name two envs render into one Argo CD (a hub app "root" and a spoke "ops-app")', () => {
    const problems = applicationNameProblems([rendered('ops', ['ops-root', 'ops-app-root']), rendered('ops-app', ['ops-app-root'], 'ops')]);
    expect(problems).toEqual([
      expect.objectContaining({
        env: 'ops-app',
        file: 'clusters/ops-app/env.ts',
        parameter: 'name',
        message: expect.stringMatching(/^renders Argo CD Application "ops-app-root" \(gitops\/ops-app\/argocd\/application-ops-app-root\.yaml\), which env ops also renders .* into the same Argo CD \(ops\)/),
      }),
    ]);
  });

  it('accepts the same name in two Argo CDs', () => {
    expect(applicationNameProblems([rendered('ops', ['ops-app-root']), rendered('ops-app', ['ops-app-root'])])).toEqual([]);
  });
});
