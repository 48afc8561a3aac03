import type { Component } from '@gitops/core';
import { k8s } from 'cdk8s-plus-29';
import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { argoCdComponent, deliveryProblems, unownedFolderProblems, type RenderedOutput } from '../src/index';
import { environment, render, workspaceOf } from './support/environments';

const dev = environment('dev', '111111111111');

const folder = (name: string, build: Component['render'], delivery?: Component['delivery']): Component => ({
  name,
  parameters: [],
  ...(delivery ? { delivery } : {}),
  render: build,
});

const app = folder('app-web', (chart) => new k8s.KubeServiceAccount(chart, 'sa', { metadata: { name: 'web', namespace: 'web' } }), { syncWave: 0 });

/** The env's output as synth hands it to checks: objects and their files, `<component>/<kind>-<name>.yaml`. */
function output(components: readonly Component[], env = dev, extra: readonly Component[] = [], workspace = workspaceOf(env)): RenderedOutput {
  const all = [...components, argoCdComponent(env, components, workspace), ...extra];
  const objects = render(env, all).map(({ component, manifest }) => ({
    component,
    manifest,
    file: `${component}/${String(manifest.kind).toLowerCase()}-${manifest.metadata.name}.yaml`,
  }));
  return { env, components: all, objects, files: new Map(objects.map(({ file }) => [file, 'rendered'])) };
}

describe('unowned folders', () => {
  it('finds none when the argocd component is built from every other component', () => {
    expect(unownedFolderProblems(output([app]))).toEqual([]);
  });

  it('reports a folder no Application reads, e.g. a component listed after the argocd component', () => {
    // GIVEN a component rendered after the argocd component was built
    const late = folder('late', (chart) => new k8s.KubeConfigMap(chart, 'c', { metadata: { name: 'late', namespace: 'web' } }));

    // WHEN
    const problems = unownedFolderProblems(output([app], dev, [late]));

    // THEN
    expect(problems).toEqual([
      {
        env: 'dev',
        component: 'late',
        file: 'gitops/dev/late/',
        message:
          'no Argo CD Application reads this folder, so it would be committed but never deployed; ' +
          'componentsFor must list the component before the argocd component, which is built from the others',
      },
    ]);
  });

  it('reports an Application reading a folder synth does not render', () => {
    // GIVEN the output without the app folder's files
    const rendered = output([app]);
    const withoutApp: RenderedOutput = { ...rendered, files: new Map([...rendered.files].filter(([file]) => !file.startsWith('app-web/'))) };

    expect(unownedFolderProblems(withoutApp)).toEqual([
      {
        env: 'dev',
        component: 'argocd',
        file: 'gitops/dev/argocd/application-dev-app-web.yaml',
        parameter: 'spec.source.path',
        message: 'reads gitops/dev/app-web, which synth does not render',
      },
    ]);
  });

  it("counts a spoke's argocd folder as read by its hub's root", () => {
    const spoke = environment('blue', '555555555555', { argocd: { ...dev.argocd, managedBy: 'ops' } });
    const rendered = output([app], spoke, [], workspaceOf(spoke, environment('ops', '444444444444')));
    expect(unownedFolderProblems(rendered)).toEqual([]);
    expect(rendered.objects.map(({ manifest }) => manifest.metadata.name)).not.toContain('blue-root');
  });
});

describe('delivery problems', () => {
  it('finds none in folders that name their namespaces and use component waves', () => {
    expect(deliveryProblems(output([app]))).toEqual([]);
  });

  it("refuses waves Argo CD's own objects use", () => {
    const early = folder('early', (chart) => new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'early' } }), { syncWave: -90 });
    const upstream: Component = {
      ...app,
      name: 'late',
      upstream: [
        { name: 'chart', repoURL: 'https://charts.example', chart: 'c', targetRevision: '1.0.0', namespace: 'late', syncWave: 100, clusterResources: [], runsPods: false },
      ],
    };

    expect(deliveryProblems(output([early, upstream])).map(({ component, parameter, message }) => `${component}: ${parameter}: ${message.split(':')[0]}`)).toEqual([
      'early: delivery.syncWave: sync wave -90 must be an integer from -89 to 89',
      'late: upstream chart: syncWave: sync wave 100 must be an integer from -89 to 89',
    ]);
  });

  it('refuses a namespaced object without a namespace in a component without delivery.namespace', () => {
    const loose = folder('loose', (chart) => new k8s.KubeConfigMap(chart, 'c', { metadata: { name: 'settings' } }));
    const declared = folder('declared', (chart) => new k8s.KubeConfigMap(chart, 'c', { metadata: { name: 'settings' } }), { syncWave: 0, namespace: 'team' });

    expect(deliveryProblems(output([loose, declared]))).toEqual([
      {
        env: 'dev',
        component: 'loose',
        file: 'gitops/dev/loose/configmap-settings.yaml',
        parameter: 'metadata.namespace',
        message: 'a namespaced object naming no namespace, in a component without delivery.namespace: set one or the other',
      },
    ]);
  });

  it("keeps every folder but argocd out of Argo CD's namespace and kinds", () => {
    const sneaky = folder('sneaky', (chart) => {
      new k8s.KubeConfigMap(chart, 'c', { metadata: { name: 'argocd-rbac-cm', namespace: 'argocd' } });
      new ApiObject(chart, 'p', { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'wide', namespace: 'team' }, spec: {} });
    });

    expect(deliveryProblems(output([sneaky])).map(({ file, message }) => `${file}: ${message}`)).toEqual([
      'gitops/dev/sneaky/configmap-argocd-rbac-cm.yaml: is argocd; only the argocd folder may deploy there',
      'gitops/dev/sneaky/appproject-wide.yaml: AppProject is an Argo CD kind; only the argocd folder may render one',
    ]);
  });
});
