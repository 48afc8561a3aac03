import type { Component, EnvironmentSpec, UpstreamSource } from '@gitops/core';
import type { FargateInput, RenderedObjectLike } from '../src/index';

/** An env whose one Fargate profile selects namespace `shop`, and `batch` for pods labelled tier=batch. */
export const env: EnvironmentSpec = {
  name: 'test',
  account: '111111111111',
  region: 'ap-northeast-1',
  ssmPrefix: '/fargate-gitops/test',
  cluster: { name: 'test', kubernetesVersion: '1.33' },
  argocd: { repoURL: 'https://example.com/repo.git', targetRevision: 'main' },
  fargateProfiles: [
    { name: 'apps', selectors: [{ namespace: 'shop' }, { namespace: 'batch', labels: { tier: 'batch' } }, { namespace: 'team-?-*' }] },
  ],
  apps: {},
};

const component = (name: string, upstream: readonly UpstreamSource[] = []): Component => ({
  name,
  parameters: [],
  render: () => undefined,
  ...(upstream.length > 0 ? { upstream } : {}),
});

/** A rendered env holding `manifests`, all in component `app-shop`. */
export function input(manifests: readonly Record<string, any>[], upstream: readonly UpstreamSource[] = []): FargateInput {
  const objects: RenderedObjectLike[] = manifests.map((manifest) => ({
    component: 'app-shop',
    file: `app-shop/${String(manifest.kind).toLowerCase()}-${manifest.metadata.name}.yaml`,
    manifest,
  }));
  return { env, components: [component('app-shop', upstream)], objects };
}

/** A container that Fargate accepts. */
export const container = (overrides: Record<string, unknown> = {}) => ({
  name: 'shop',
  image: 'example/shop:1.0.0',
  resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
  ...overrides,
});

/** A pod spec that Fargate accepts, with `overrides` applied. */
export const podSpec = (overrides: Record<string, unknown> = {}) => ({ serviceAccountName: 'shop', containers: [container()], ...overrides });

export const serviceAccount = (name = 'shop', namespace = 'shop', annotations?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
});

export const deployment = (spec: Record<string, unknown> = podSpec(), namespace = 'shop', labels: Record<string, string> = { app: 'shop' }) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'shop', namespace },
  spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec } },
});

export const service = (ports = [{ name: 'http', port: 8080 }]) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'shop', namespace: 'shop' },
  spec: { selector: { app: 'shop' }, ports },
});

export const binding = (serviceRef: { name: string; port: number | string }, targetType = 'ip') => ({
  apiVersion: 'elbv2.k8s.aws/v1beta1',
  kind: 'TargetGroupBinding',
  metadata: { name: 'shop', namespace: 'shop' },
  spec: { targetGroupARN: 'arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/shop/0123456789abcdef', targetType, serviceRef },
});
