import { projector, type Component } from '@gitops/core';
import { k8s } from 'cdk8s-plus-29';
import { ApiObject } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { argoCdComponent, DELIVERY_READS, deliveryProblems, unownedFolderProblems, type RenderedOutline } from '../src/index';
import { environment, render, workspaceOf } from './support/environments';
import { declaredPaths, projected, releaseChange, withContainers, without } from '../../core/test/read-paths-support';

const dev = environment('dev', '111111111111');

const folder = (name: string, build: Component['render'], delivery?: Component['delivery']): Component => ({
  name,
  parameters: [],
  ...(delivery ? { delivery } : {}),
  render: build,
});

const app = folder('app-web', (chart) => new k8s.KubeServiceAccount(chart, 'sa', { metadata: { name: 'web', namespace: 'web' } }), { syncWave: 0 });

/** A component rendered after the argocd component was built. */
const late = folder('late', (chart) => new k8s.KubeConfigMap(chart, 'c', { metadata: { name: 'late', namespace: 'web' } }));
/** A component and an upstream source in waves Argo CD's own objects use. */
const early = folder('early', (chart) => new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'early' } }), { syncWave: -90 });
const upstream: Component = {
  ...app,
  name: 'late',
  upstream: [{ name: 'chart', repoURL: 'https://charts.example', chart: 'c', targetRevision: '1.0.0', namespace: 'late', syncWave: 100, clusterResources: [], runsPods: false }],
};
/** A ConfigMap naming no namespace, in a component with and without delivery.namespace. */
const loose = folder('loose', (chart) => new k8s.KubeConfigMap(chart, 'c', { metadata: { name: 'settings' } }));
const declared = folder('declared', (chart) => new k8s.KubeConfigMap(chart, 'c', { metadata: { name: 'settings' } }), { syncWave: 0, namespace: 'team' });
/** A folder reaching into Argo CD's namespace and kinds. */
const sneaky = folder('sneaky', (chart) => {
  new k8s.KubeConfigMap(chart, 'c', { metadata: { name: 'argocd-rbac-cm', namespace: 'argocd' } });
  new ApiObject(chart, 'p', { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'wide', namespace: 'team' }, spec: {} });
});

/** The env's output as synth hands it to checks of a whole env: objects and their files, `<component>/<kind>-<name>.yaml`. */
function output(components: readonly Component[], env = dev, extra: readonly Component[] = [], workspace = workspaceOf(env)): RenderedOutline {
  const all = [...components, argoCdComponent(env, components, workspace), ...extra];
  const objects = render(env, all).map(({ component, manifest }) => ({
    component,
    manifest,
    file: `${component}/${String(manifest.kind).toLowerCase()}-${manifest.metadata.name}.yaml`,
  }));
  return { env, components: all, objects };
}

/** The output without the objects of one folder. */
const withoutFolder = (rendered: RenderedOutline, name: string): RenderedOutline => ({ ...rendered, objects: rendered.objects.filter(({ file }) => !file.startsWith(`${name}/`)) });

/** A spoke's output: its argocd folder is read by its hub's root. */
function spokeOutput(): RenderedOutline {
  const spoke = environment('blue', '555555555555', { argocd: { ...dev.argocd, managedBy: 'ops' } });
  return output([app], spoke, [], workspaceOf(spoke, environment('ops', '444444444444')));
}

describe('unowned folders', () => {
  it('finds none when the argocd component is built from every other component', () => {
    expect(unownedFolderProblems(output([app]))).toEqual([]);
  });

  it('reports a folder no Application reads, e.g. a component listed after the argocd component', () => {
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
    expect(unownedFolderProblems(withoutFolder(output([app]), 'app-web'))).toEqual([
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
    const rendered = spokeOutput();
    expect(unownedFolderProblems(rendered)).toEqual([]);
    expect(rendered.objects.map(({ manifest }) => manifest.metadata.name)).not.toContain('blue-root');
  });
});

describe('delivery problems', () => {
  it('finds none in folders that name their namespaces and use component waves', () => {
    expect(deliveryProblems(output([app]))).toEqual([]);
  });

  it("refuses waves Argo CD's own objects use", () => {
    expect(deliveryProblems(output([early, upstream])).map(({ component, parameter, message }) => `${component}: ${parameter}: ${message.split(':')[0]}`)).toEqual([
      'early: delivery.syncWave: sync wave -90 must be an integer from -89 to 89',
      'late: upstream chart: syncWave: sync wave 100 must be an integer from -89 to 89',
    ]);
  });

  it('refuses a namespaced object without a namespace in a component without delivery.namespace', () => {
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
    expect(deliveryProblems(output([sneaky])).map(({ file, message }) => `${file}: ${message}`)).toEqual([
      'gitops/dev/sneaky/configmap-argocd-rbac-cm.yaml: is argocd; only the argocd folder may deploy there',
      'gitops/dev/sneaky/appproject-wide.yaml: AppProject is an Argo CD kind; only the argocd folder may render one',
    ]);
  });
});

/** Argo CD's namespace and a bare cluster kind asked for by a component's delivery and its upstream source. */
const reaching: Component = {
  ...app,
  name: 'reaching',
  delivery: { syncWave: 0, namespace: 'argocd' },
  upstream: [
    { name: 'wide', repoURL: 'https://charts.example', chart: 'w', targetRevision: '1.0.0', namespace: 'argocd', syncWave: 0, clusterResources: ['rbac.authorization.k8s.io/ClusterRole'], runsPods: false },
  ],
};

/** An Application in the argocd folder reading this repository, as a chart: it reads no folder, and so misses none. */
function withChartApplication(rendered: RenderedOutline): RenderedOutline {
  const manifest = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'dev-chart', namespace: 'argocd' },
    spec: { project: 'dev', source: { repoURL: rendered.env.argocd.repoURL, chart: 'web', targetRevision: '1.0.0', path: 'gitops/dev/chart' } },
  };
  return { ...rendered, objects: [...rendered.objects, { component: 'argocd', file: 'argocd/application-dev-chart.yaml', manifest }] };
}

/** Every env the tests above check, and those exercising the other branches: most of them with problems. */
const fixtures: Record<string, RenderedOutline> = {
  'every folder read': output([app]),
  'a folder after the argocd component': output([app], dev, [late]),
  'an Application reading a folder not rendered': withoutFolder(output([app]), 'app-web'),
  "a spoke's argocd folder": spokeOutput(),
  "Argo CD's waves": output([early, upstream]),
  'objects naming no namespace': output([loose, declared]),
  "Argo CD's namespace and kinds": output([sneaky]),
  "a delivery reaching Argo CD's namespace": output([reaching]),
  'an in-repository chart Application': withChartApplication(output([app])),
  'all at once': withChartApplication(withoutFolder(output([app, early, loose, sneaky], dev, [late]), 'app-web')),
};

const checked = (rendered: RenderedOutline) => [...unownedFolderProblems(rendered), ...deliveryProblems(rendered)];

describe('DELIVERY_READS', () => {
  const found = Object.fromEntries(Object.entries(fixtures).map(([name, rendered]) => [name, JSON.stringify(checked(rendered))]));

  it.each(Object.keys(fixtures))('finds the same problems in the objects cut down to what they declare: %s', (name) => {
    expect(checked(projected(fixtures[name]!, DELIVERY_READS))).toEqual(checked(fixtures[name]!));
  });

  it('has fixtures that find problems, so the comparison is not of empty lists', () => {
    expect(Object.values(found).filter((problems) => problems !== '[]').length).toBeGreaterThanOrEqual(Object.keys(fixtures).length - 3);
  });

  it('declares nothing the fixtures do not need: without any one path, some fixture finds otherwise', () => {
    const unneeded = declaredPaths(DELIVERY_READS).filter(({ kind, path }) => {
      const reads = without(DELIVERY_READS, kind, path);
      return Object.entries(fixtures).every(([name, rendered]) => JSON.stringify(checked(projected(rendered, reads))) === found[name]);
    });
    expect(unneeded).toEqual([]);
  });

  it('keeps every projection when a release changes only images, commands, args, env values, probes and resources', () => {
    const project = projector(DELIVERY_READS);
    const workload = render(dev, [
      folder('app-api', (chart) => {
        new k8s.KubeDeployment(chart, 'd', {
          metadata: { name: 'api', namespace: 'api' },
          spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'example/api:1.0.0', env: [{ name: 'A', value: 'a' }] }] } } },
        });
      }),
    ]);
    for (const { manifest } of [...workload, ...Object.values(fixtures).flatMap((rendered) => rendered.objects)]) {
      const released = withContainers(manifest, (container) => ({ ...releaseChange(container), args: ['--next'] }));
      expect(project(released)).toEqual(project(manifest));
    }
    const [deployment] = workload;
    expect(withContainers(deployment!.manifest, releaseChange)).not.toEqual(deployment!.manifest);
  });
});
