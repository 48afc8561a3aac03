import { existsSync } from 'node:fs';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { componentsFor, discoverModules, readTree, renderAll, synth, type Check, type Workspace } from '../src/index';
import { hashTree, listTree, repoRoot, scratchRepo, type Scratch } from './support/scratch';
import { failure } from './support/failure';

// Each test works on a scratch copy of gitops/ and clusters/ (the snapshots); env and app
// modules are imported from the real repository, so the render is the real one.
const modules = discoverModules(repoRoot);

let repo: Scratch;
beforeEach(() => {
  repo = scratchRepo(['clusters', 'gitops']);
});
afterEach(() => repo.dispose());

/** Makes every env's folder differ from the render, so a synth that got to writing would change it. */
function makeStale() {
  repo.write('gitops/dev/app-web/configmap-stale.yaml', 'kind: ConfigMap\n');
  repo.remove('gitops/stg/app-api');
  repo.write('gitops/prod/app-removed/namespace-removed.yaml', 'kind: Namespace\n');
  repo.write('gitops/qa/app-web/namespace-web.yaml', 'kind: Namespace\n');
}

const throwing: Component = {
  name: 'boom',
  parameters: [],
  render(chart) {
    new k8s.KubeConfigMap(chart, 'half-built', { metadata: { name: 'half-built' } });
    throw new Error('construct exploded');
  },
};

const withExtra = (env: string, extra: Component) => (spec: EnvironmentSpec, workspace: Workspace) =>
  spec.name === env ? [...componentsFor(spec, workspace), extra] : componentsFor(spec, workspace);

describe('a synth that fails leaves gitops/ byte-for-byte as it was', () => {
  it('when a component throws while rendering (in the last env)', async () => {
    makeStale();
    const before = hashTree(repo.path('gitops'));

    const error = await failure(synth({ root: repo.root, modules, components: withExtra('stg', throwing) }));

    expect(error.problems).toEqual([{ env: 'stg', component: 'boom', message: 'rendering failed: construct exploded' }]);
    expect(hashTree(repo.path('gitops'))).toBe(before);
  });

  it('when a component throws while the envs are being assembled', async () => {
    makeStale();
    const before = hashTree(repo.path('gitops'));
    const components = (spec: EnvironmentSpec, workspace: Workspace) => {
      if (spec.name === 'prod') throw new Error('component list exploded');
      return componentsFor(spec, workspace);
    };

    await expect(synth({ root: repo.root, modules, components })).rejects.toThrow('component list exploded');
    expect(hashTree(repo.path('gitops'))).toBe(before);
  });

  it('when a check finds a problem in the rendered objects', async () => {
    makeStale();
    const before = hashTree(repo.path('gitops'));
    const configMap: Component = {
      name: 'config',
      parameters: [],
      render(chart) {
        new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: 'cm' }, data: { key: 'value' } });
      },
    };
    const rejectConfigMaps: Check = ({ env, objects }) =>
      objects
        .filter((o) => o.component === 'config')
        .map((o) => ({ env: env.name, component: o.component, file: `gitops/${env.name}/${o.file}`, message: 'no ConfigMaps here' }));

    const error = await failure(synth({ root: repo.root, modules, components: withExtra('dev', configMap), checks: [rejectConfigMaps] }));

    expect(error.problems).toEqual([{ env: 'dev', component: 'config', file: 'gitops/dev/config/configmap-cm.yaml', message: 'no ConfigMaps here' }]);
    expect(hashTree(repo.path('gitops'))).toBe(before);
  });

  it('when an object fails the Kubernetes schema', async () => {
    makeStale();
    const before = hashTree(repo.path('gitops'));
    const unknownField: Component = {
      name: 'schema',
      parameters: [],
      render(chart) {
        // Untyped on purpose: the typed k8s classes drop fields the API does not have.
        new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad' }, spec: { replicas: 1 } });
      },
    };

    const error = await failure(synth({ root: repo.root, modules, components: withExtra('prod', unknownField) }));

    expect(error.problems).toContainEqual({
      env: 'prod',
      component: 'schema',
      file: 'gitops/prod/schema/configmap-bad.yaml',
      parameter: '/',
      message: 'unknown field "spec"',
    });
    expect(hashTree(repo.path('gitops'))).toBe(before);
  });
});

describe('a synth that succeeds replaces each env folder as a whole', () => {
  it('removes stale files and folders of removed components, and recreates a deleted component', async () => {
    makeStale();

    const result = await synth({ root: repo.root, modules });

    const { rendered } = await renderAll({ root: repo.root, modules });
    for (const { env, files } of rendered) expect(readTree(repo.path(`gitops/${env.name}`)), env.name).toEqual(files);
    expect(existsSync(repo.path('gitops/prod/app-removed'))).toBe(false);
    expect(existsSync(repo.path('gitops/dev/app-web/configmap-stale.yaml'))).toBe(false);
    const diff = Object.fromEntries(result.environments.map((e) => [e.env, e.diff]));
    expect(diff.dev!.removed).toEqual(['app-web/configmap-stale.yaml']);
    expect(diff.prod!.removed).toEqual(['app-removed/namespace-removed.yaml']);
    expect(diff.stg!.added.every((path) => path.startsWith('app-api/'))).toBe(true);
    expect(diff.stg!.added.length).toBeGreaterThan(0);
  });

  it('removes the folder of an env that no longer exists in clusters/, and only when all envs are synthesized', async () => {
    makeStale();

    const partial = await synth({ root: repo.root, modules, envs: ['dev'] });
    expect(partial.orphans).toEqual([]);
    expect(existsSync(repo.path('gitops/qa'))).toBe(true);

    const full = await synth({ root: repo.root, modules });
    expect(full.orphans).toEqual(['qa']);
    expect(existsSync(repo.path('gitops/qa'))).toBe(false);
  });

  it('writes a missing gitops/ from scratch and leaves no staging folder behind', async () => {
    repo.remove('gitops');

    await synth({ root: repo.root, modules });

    const { rendered } = await renderAll({ root: repo.root, modules });
    expect(listTree(repo.path('gitops')).filter((path) => path.startsWith('.'))).toEqual([]);
    for (const { env, files } of rendered) expect(readTree(repo.path(`gitops/${env.name}`))).toEqual(files);
  });

  it('does not touch an env folder whose files are already up to date', async () => {
    await synth({ root: repo.root, modules });
    repo.write('gitops/prod/extra.yaml', '{}\n');
    const dev = hashTree(repo.path('gitops/dev'));

    const result = await synth({ root: repo.root, modules });

    expect(result.environments.map((e) => [e.env, e.diff.removed])).toEqual([
      ['dev', []],
      ['prod', ['extra.yaml']],
      ['stg', []],
    ]);
    expect(hashTree(repo.path('gitops/dev'))).toBe(dev);
  });
});
