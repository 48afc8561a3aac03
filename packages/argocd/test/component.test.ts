import type { Component } from '@gitops/core';
import { schemaValidator } from '@gitops/schemas';
import { k8s } from 'cdk8s-plus-29';
import { describe, expect, it } from 'vitest';
import { ARGO_CD_CLUSTER_RESOURCES, argoCdComponent, argoCdComponents, secretSafetyProblems } from '../src/index';
import { caData, environment, find, render, spokeParameters, workspaceOf } from './support/environments';

const CA_BUNDLE = { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] };

// Three folders shaped like the real ones: an app in one namespace, a controller with cluster
// kinds and two upstream sources, and a folder spreading over two namespaces.
const appWeb: Component = {
  name: 'app-web',
  parameters: [],
  delivery: { syncWave: 0, namespace: 'web' },
  render(chart) {
    new k8s.KubeNamespace(chart, 'namespace', { metadata: { name: 'web' } });
    new k8s.KubeServiceAccount(chart, 'service-account', { metadata: { name: 'web', namespace: 'web' } });
  },
};

const controller: Component = {
  name: 'controller',
  parameters: [],
  delivery: { syncWave: -10, ignoreDifferences: [CA_BUNDLE] },
  upstream: [
    {
      name: 'cert-manager',
      repoURL: 'https://charts.jetstack.io',
      chart: 'cert-manager',
      targetRevision: 'v1.21.1',
      helmValues: { crds: { enabled: true } },
      namespace: 'cert-manager',
      syncWave: -20,
      clusterResources: ['apiextensions.k8s.io/CustomResourceDefinition *.cert-manager.io', 'rbac.authorization.k8s.io/ClusterRole cert-manager-*'],
      runsPods: true,
    },
    {
      name: 'controller-crds',
      repoURL: 'https://github.com/kubernetes-sigs/aws-load-balancer-controller',
      targetRevision: 'v3.5.0',
      path: 'helm/aws-load-balancer-controller/crds',
      tool: 'kustomize',
      namespace: 'kube-system',
      syncWave: -30,
      clusterResources: ['apiextensions.k8s.io/CustomResourceDefinition *.elbv2.k8s.aws'],
      runsPods: false,
    },
  ],
  render(chart) {
    new k8s.KubeServiceAccount(chart, 'service-account', { metadata: { name: 'controller', namespace: 'kube-system' } });
    new k8s.KubeClusterRole(chart, 'role', { metadata: { name: 'controller' } });
    new k8s.KubeMutatingWebhookConfiguration(chart, 'webhook', { metadata: { name: 'controller' } });
  },
};

const spread: Component = {
  name: 'spread',
  parameters: [],
  delivery: { syncWave: 5 },
  render(chart) {
    new k8s.KubeConfigMap(chart, 'a', { metadata: { name: 'settings', namespace: 'team-a' } });
    new k8s.KubeConfigMap(chart, 'b', { metadata: { name: 'settings', namespace: 'team-b' } });
  },
};

const dev = environment('dev', '111111111111');
const delivered = [controller, appWeb, spread];

describe('argocd component of a self-managed env', () => {
  const all = render(dev, [...delivered, ...argoCdComponents(dev, delivered, workspaceOf(dev))]);
  const rendered = all.filter(({ component }) => component === 'argocd');

  it('renders one Application per folder and per upstream source, the root, Argo CD install and two projects', () => {
    // GIVEN three folders and two upstream sources  WHEN the argocd component renders
    // THEN exactly these objects come out
    expect(rendered.map(({ manifest }) => `${manifest.kind}/${manifest.metadata.name}`).sort()).toEqual([
      'AppProject/bootstrap',
      'AppProject/dev',
      'Application/dev-app-web',
      'Application/dev-argocd-install',
      'Application/dev-cert-manager',
      'Application/dev-controller',
      'Application/dev-controller-crds',
      'Application/dev-root',
      'Application/dev-spread',
    ]);
  });

  it('gives every Application its component wave and Argo CD objects the waves around them', () => {
    const wave = (kind: string, name: string) => find(rendered, kind, name).metadata.annotations['argocd.argoproj.io/sync-wave'];
    expect(wave('AppProject', 'dev')).toBe('-100');
    expect(wave('AppProject', 'bootstrap')).toBe('-100');
    expect(wave('Application', 'dev-argocd-install')).toBe('-90');
    expect(wave('Application', 'dev-controller-crds')).toBe('-30');
    expect(wave('Application', 'dev-cert-manager')).toBe('-20');
    expect(wave('Application', 'dev-controller')).toBe('-10');
    expect(wave('Application', 'dev-app-web')).toBe('0');
    expect(wave('Application', 'dev-spread')).toBe('5');
    expect(wave('Application', 'dev-root')).toBe('100');
  });

  it('reads each folder as plain manifests, non-recursively, and keeps it synced with prune, selfHeal and the finalizer', () => {
    const app = find(rendered, 'Application', 'dev-app-web');
    expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(app.spec).toEqual({
      project: 'dev',
      source: {
        repoURL: 'https://github.com/example-org/fargate-gitops.git',
        targetRevision: 'main',
        path: 'gitops/dev/app-web',
        directory: { recurse: false },
      },
      destination: { name: 'in-cluster', namespace: 'web' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['ServerSideApply=true', 'PruneLast=true', 'FailOnSharedResource=true'],
        retry: { limit: -1, refresh: true, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      },
    });
  });

  it('respects ignored differences only where the component declares them', () => {
    const app = find(rendered, 'Application', 'dev-controller');
    expect(app.spec.ignoreDifferences).toEqual([CA_BUNDLE]);
    expect(app.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    expect(find(rendered, 'Application', 'dev-app-web').spec.syncPolicy.syncOptions).not.toContain('RespectIgnoreDifferences=true');
  });

  it('derives the destination namespace from the objects, and leaves it unset for a folder spanning two', () => {
    expect(find(rendered, 'Application', 'dev-controller').spec.destination).toEqual({ name: 'in-cluster', namespace: 'kube-system' });
    expect(find(rendered, 'Application', 'dev-spread').spec.destination).toEqual({ name: 'in-cluster' });
  });

  it('installs upstream sources at their pinned revision, a chart under its own release name', () => {
    const chart = find(rendered, 'Application', 'dev-cert-manager');
    expect(chart.spec.source).toEqual({
      repoURL: 'https://charts.jetstack.io',
      targetRevision: 'v1.21.1',
      chart: 'cert-manager',
      helm: { releaseName: 'cert-manager', valuesObject: { crds: { enabled: true } } },
    });
    expect(chart.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
    // kube-system exists from the cluster's creation: nothing to create, nothing to allow.
    expect(find(rendered, 'Application', 'dev-controller-crds').spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
    expect(find(rendered, 'Application', 'dev-controller-crds').spec.source).toEqual({
      repoURL: 'https://github.com/kubernetes-sigs/aws-load-balancer-controller',
      targetRevision: 'v3.5.0',
      path: 'helm/aws-load-balancer-controller/crds',
      kustomize: {},
    });
  });

  it("limits the env's project to exactly the repositories, namespaces and cluster kinds rendered, and never argocd", () => {
    const project = find(rendered, 'AppProject', 'dev');
    expect(project.spec.sourceRepos).toEqual([
      'https://charts.jetstack.io',
      'https://github.com/example-org/fargate-gitops.git',
      'https://github.com/kubernetes-sigs/aws-load-balancer-controller',
    ]);
    expect(project.spec.destinations).toEqual([
      { name: 'in-cluster' },
      { name: 'in-cluster', namespace: 'cert-manager' },
      { name: 'in-cluster', namespace: 'kube-system' },
      { name: 'in-cluster', namespace: 'team-a' },
      { name: 'in-cluster', namespace: 'team-b' },
      { name: 'in-cluster', namespace: 'web' },
    ]);
    // Rendered objects by exact name; upstream sources by the name globs they declare.
    expect(project.spec.clusterResourceWhitelist).toEqual([
      // The namespace Argo CD creates for cert-manager (CreateNamespace=true), which a project
      // must allow like any Namespace; kube-system is never created, so never allowed.
      { group: '', kind: 'Namespace', name: 'cert-manager' },
      { group: '', kind: 'Namespace', name: 'web' },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', name: 'controller' },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: '*.cert-manager.io' },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: '*.elbv2.k8s.aws' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cert-manager-*' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'controller' },
    ]);
    expect(project.spec.clusterResourceWhitelist.every((item: { name?: string }) => item.name !== undefined)).toBe(true);
    expect(project.spec.namespaceResourceBlacklist).toEqual([
      { group: 'argoproj.io', kind: 'AppProject' },
      { group: 'argoproj.io', kind: 'Application' },
      { group: 'argoproj.io', kind: 'ApplicationSet' },
    ]);
  });

  it('puts the root in the bootstrap project, which reaches only the argocd namespace, Argo CD and its install', () => {
    const root = find(rendered, 'Application', 'dev-root');
    expect(root.metadata.finalizers).toBeUndefined();
    expect(root.spec.project).toBe('bootstrap');
    expect(root.spec.source.path).toBe('gitops/dev/argocd');
    expect(root.spec.destination).toEqual({ name: 'in-cluster', namespace: 'argocd' });
    expect(root.spec.syncPolicy.syncOptions).not.toContain('FailOnSharedResource=true');
    const bootstrap = find(rendered, 'AppProject', 'bootstrap').spec;
    expect(bootstrap.destinations).toEqual([{ name: 'in-cluster', namespace: 'argocd' }]);
    expect(bootstrap.clusterResourceWhitelist).toEqual(
      [{ group: '', kind: 'Namespace', name: 'argocd' }, ...ARGO_CD_CLUSTER_RESOURCES].sort((a, b) =>
        `${a.group}/${a.kind}/${a.name}` < `${b.group}/${b.kind}/${b.name}` ? -1 : 1,
      ),
    );
    expect(bootstrap.namespaceResourceWhitelist.map((item: { group: string; kind: string }) => `${item.group}/${item.kind}`)).toEqual([
      '/ConfigMap',
      '/Secret',
      '/Service',
      '/ServiceAccount',
      'apps/Deployment',
      'apps/StatefulSet',
      'argoproj.io/AppProject',
      'argoproj.io/Application',
      'networking.k8s.io/NetworkPolicy',
      'rbac.authorization.k8s.io/Role',
      'rbac.authorization.k8s.io/RoleBinding',
    ]);
  });

  it('installs Argo CD from its own folder with Kustomize, server-side, in the bootstrap project, and never cascades a delete', () => {
    const install = find(rendered, 'Application', 'dev-argocd-install');
    expect(install.metadata.finalizers).toBeUndefined();
    expect(install.spec.project).toBe('bootstrap');
    expect(install.spec.source).toEqual({
      repoURL: 'https://github.com/example-org/fargate-gitops.git',
      targetRevision: 'main',
      path: 'gitops/dev/argocd-install',
      kustomize: {},
    });
    expect(install.spec.destination).toEqual({ name: 'in-cluster', namespace: 'argocd' });
    expect(install.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(install.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(all.filter(({ component }) => component === 'argocd-install').map(({ manifest }) => manifest.kind).sort()).toEqual(['Kustomization', 'Namespace']);
    expect(rendered.map(({ manifest }) => manifest.kind)).not.toContain('ConfigMap');
  });

  it('validates every object strictly against the Argo CD and Kubernetes schemas', () => {
    expect(all.flatMap(({ manifest }) => schemaValidator().validate(manifest))).toEqual([]);
  });

  it('needs the objects of the other components', () => {
    const component = argoCdComponent(dev, delivered, workspaceOf(dev));
    expect(() => component.render(undefined as never, { env: dev, param: () => undefined as never })).toThrow(/renderedBefore/);
  });
});

describe('argocd component in hub mode', () => {
  const ops = environment('ops', '444444444444');
  const blue = environment('blue', '555555555555', { argocd: { repoURL: ops.argocd.repoURL, targetRevision: 'main', managedBy: 'ops' } });
  const green = environment('green', '666666666666', { argocd: { repoURL: ops.argocd.repoURL, targetRevision: 'release', managedBy: 'ops' } });
  const workspace = workspaceOf(green, ops, blue);
  const values = new Map([...spokeParameters(blue), ...spokeParameters(green)]);
  const hubComponent = argoCdComponent(ops, delivered, workspace);
  const hub = render(ops, [...delivered, hubComponent], values);
  const hubArgoCd = hub.filter(({ component }) => component === 'argocd');

  it('declares the parameters it reads of each spoke', () => {
    const declared = (hubComponent.crossEnvParameters ?? []).map(({ env, parameters: read }) => [env.name, read.map((definition) => definition.path)]);
    expect(declared).toEqual([
      ['blue', ['cluster/endpoint', 'cluster/certificate-authority-data', 'argocd/deployer-role-arn']],
      ['green', ['cluster/endpoint', 'cluster/certificate-authority-data', 'argocd/deployer-role-arn']],
    ]);
  });

  it("registers each spoke with a cluster Secret holding endpoint, CA and role from the spoke's parameters, and no credential", () => {
    const secret = find(hubArgoCd, 'Secret', 'cluster-fargate-gitops-blue');
    expect(secret.metadata.namespace).toBe('argocd');
    expect(secret.metadata.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'cluster' });
    expect(secret.data).toBeUndefined();
    expect(Object.keys(secret.stringData).sort()).toEqual(['config', 'name', 'server']);
    expect(secret.stringData.name).toBe('fargate-gitops-blue');
    expect(secret.stringData.server).toBe(values.get('/fargate-gitops/blue/cluster/endpoint'));
    expect(JSON.parse(secret.stringData.config)).toEqual({
      awsAuthConfig: { clusterName: 'fargate-gitops-blue', roleARN: 'arn:aws:iam::555555555555:role/fargate-gitops-blue-argocd-deployer' },
      tlsClientConfig: { insecure: false, caData: caData('blue') },
    });
    expect(secretSafetyProblems({ env: ops, components: [], objects: hub.map((object) => ({ ...object, file: 'f.yaml' })), files: new Map() })).toEqual([]);
  });

  it("adds a root per spoke that syncs the spoke's argocd folder into the hub, after the hub's own Applications", () => {
    const root = find(hubArgoCd, 'Application', 'green-root');
    expect(root.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('90');
    expect(root.spec.project).toBe('bootstrap');
    expect(root.spec.source).toMatchObject({ path: 'gitops/green/argocd', targetRevision: 'release' });
    expect(root.spec.destination).toEqual({ name: 'in-cluster', namespace: 'argocd' });
    expect(find(hubArgoCd, 'AppProject', 'bootstrap').spec.namespaceResourceWhitelist).toContainEqual({ group: '', kind: 'Secret' });
  });

  it("renders a spoke's Applications and project for its own cluster by name, and nothing of Argo CD itself", () => {
    const components = argoCdComponents(blue, delivered, workspace);
    expect(components.map((component) => component.name)).toEqual(['argocd']);
    const spoke = render(blue, [...delivered, ...components]).filter(({ component }) => component === 'argocd');
    const kinds = spoke.map(({ manifest }) => manifest.kind);
    expect(kinds).not.toContain('Secret');
    expect(kinds).not.toContain('ConfigMap');
    expect(spoke.map(({ manifest }) => manifest.metadata.name)).not.toContain('blue-root');
    expect(find(spoke, 'Application', 'blue-app-web').spec.destination).toEqual({ name: 'fargate-gitops-blue', namespace: 'web' });
    expect(find(spoke, 'AppProject', 'blue').spec.destinations).toContainEqual({ name: 'fargate-gitops-blue', namespace: 'web' });
    expect(spoke.flatMap(({ manifest }) => schemaValidator().validate(manifest))).toEqual([]);
  });

  it('validates every hub object strictly', () => {
    expect(hubArgoCd.flatMap(({ manifest }) => schemaValidator().validate(manifest))).toEqual([]);
  });
});
