import type { Component, UpstreamSource } from '@gitops/core';
import { Certificate, Issuer } from '@gitops/schemas/imports/cert-manager.io';
import { TargetGroupBinding } from '@gitops/schemas/imports/elbv2.k8s.aws';
import { k8s } from 'cdk8s-plus-29';
import type { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { argoCdComponents, convergenceProblems, type RenderedOutput } from '../src/index';
import { environment, render, workspaceOf } from './support/environments';

// Fixtures shaped like the real platform and apps: a controller folder with its cert-manager
// chain, webhook and Deployment; upstream CRDs and cert-manager; an app with a binding. Each test
// moves one thing to the wrong wave or Application and expects exactly one line naming both.

const dev = environment('dev', '111111111111');
const wave = (value: number) => ({ 'argocd.argoproj.io/sync-wave': String(value) });
const NS = 'kube-system';

const crds: UpstreamSource = {
  name: 'controller-crds',
  repoURL: 'https://github.com/kubernetes-sigs/aws-load-balancer-controller',
  path: 'helm/aws-load-balancer-controller/crds',
  tool: 'kustomize',
  targetRevision: 'v3.5.0',
  namespace: NS,
  syncWave: -30,
  clusterResources: ['apiextensions.k8s.io/CustomResourceDefinition *.elbv2.k8s.aws'],
  runsPods: false,
};
const certManager: UpstreamSource = {
  name: 'cert-manager',
  repoURL: 'https://charts.jetstack.io',
  chart: 'cert-manager',
  targetRevision: 'v1.21.1',
  namespace: 'cert-manager',
  syncWave: -20,
  clusterResources: ['apiextensions.k8s.io/CustomResourceDefinition *.cert-manager.io'],
  runsPods: true,
};

interface ControllerWaves {
  readonly root: number;
  readonly caIssuer: number;
  readonly serving: number;
  readonly deployment: number;
  readonly serviceAccount: number;
}
const goodWaves: ControllerWaves = { root: -3, caIssuer: -2, serving: -1, deployment: 0, serviceAccount: 0 };

function controller(waves: ControllerWaves = goodWaves, syncWave = -10, upstream: readonly UpstreamSource[] = [crds, certManager]): Component {
  return {
    name: 'controller',
    parameters: [],
    delivery: { syncWave, namespace: NS },
    upstream,
    render(chart: Chart) {
      const meta = (name: string, at: number) => ({ name, namespace: NS, annotations: wave(at) });
      new Issuer(chart, 'selfsigned', { metadata: meta('selfsigned', waves.root), spec: { selfSigned: {} } });
      new Certificate(chart, 'root', { metadata: meta('root', waves.root), spec: { secretName: 'root', isCa: true, issuerRef: { name: 'selfsigned', kind: 'Issuer' } } });
      new Issuer(chart, 'ca', { metadata: meta('ca', waves.caIssuer), spec: { ca: { secretName: 'root' } } });
      new Certificate(chart, 'serving', { metadata: meta('serving', waves.serving), spec: { secretName: 'tls', issuerRef: { name: 'ca', kind: 'Issuer' }, dnsNames: ['webhook.kube-system.svc'] } });
      new k8s.KubeServiceAccount(chart, 'sa', { metadata: meta('controller', waves.serviceAccount) });
      const labels = { 'app.kubernetes.io/name': 'controller' };
      new k8s.KubeDeployment(chart, 'deployment', {
        metadata: { name: 'controller', namespace: NS, ...(waves.deployment !== 0 ? { annotations: wave(waves.deployment) } : {}) },
        spec: {
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: 'controller',
              containers: [{ name: 'controller', image: 'example/controller:1.0.0' }],
              volumes: [{ name: 'cert', secret: { secretName: 'tls' } }],
            },
          },
        },
      });
      new k8s.KubeService(chart, 'service', { metadata: { name: 'webhook', namespace: NS }, spec: { selector: labels, ports: [{ port: 443 }] } });
      const rules = [{ apiGroups: ['elbv2.k8s.aws'], apiVersions: ['v1beta1'], operations: ['CREATE', 'UPDATE'], resources: ['targetgroupbindings'] }];
      new k8s.KubeValidatingWebhookConfiguration(chart, 'webhook', {
        metadata: { name: 'controller-webhook' },
        webhooks: [
          { name: 'vtgb.example', admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Fail', clientConfig: { service: { name: 'webhook', namespace: NS } }, rules },
        ],
      });
    },
  };
}

function app(syncWave = 0, namespaceWave = 0): Component {
  return {
    name: 'app-web',
    parameters: [],
    delivery: { syncWave, namespace: 'web' },
    render(chart: Chart) {
      new k8s.KubeNamespace(chart, 'namespace', { metadata: { name: 'web', ...(namespaceWave !== 0 ? { annotations: wave(namespaceWave) } : {}) } });
      new TargetGroupBinding(chart, 'binding', {
        metadata: { name: 'web', namespace: 'web' },
        spec: { targetGroupArn: 'arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/web/0123456789abcdef', serviceRef: { name: 'web', port: 8080 } },
      });
    },
  };
}

function output(delivered: readonly Component[]): RenderedOutput {
  const all = [...delivered, ...argoCdComponents(dev, delivered, workspaceOf(dev))];
  const objects = render(dev, all).map(({ component, manifest }) => ({
    component,
    manifest,
    file: `${component}/${String(manifest.kind).toLowerCase()}-${manifest.metadata.name}.yaml`,
  }));
  return { env: dev, components: all, objects, files: new Map(objects.map(({ file }) => [file, 'rendered'])) };
}

const lines = (delivered: readonly Component[]) => convergenceProblems(output(delivered)).map((problem) => `${problem.file} ${problem.parameter}: ${problem.message}`);

describe('convergence check', () => {
  it('accepts a tree where every need comes first: chain link by link, CRDs, cert-manager and the controller before the app', () => {
    expect(lines([controller(), app()])).toEqual([]);
  });

  it('refuses a CA Issuer in the same wave as the root Certificate that writes its Secret', () => {
    expect(lines([controller({ ...goodWaves, caIssuer: -3 }), app()])).toEqual([
      'gitops/dev/controller/issuer-ca.yaml spec.ca.secretName: Issuer kube-system/ca (wave -3 of dev-controller) needs CA Secret root, ' +
        'which Certificate kube-system/root delivers in wave -3 of the same Application, which is not earlier: Argo CD waits for health only between waves',
    ]);
  });

  it('refuses pods mounting a Secret whose Certificate syncs in a later wave, and accepts the same wave (the pods wait for it)', () => {
    expect(lines([controller({ ...goodWaves, serving: 1 }), app()])).toEqual([
      'gitops/dev/controller/deployment-controller.yaml spec.template.spec: Deployment kube-system/controller (wave 0 of dev-controller) needs Secret tls, ' +
        'which Certificate kube-system/serving delivers in a later wave (1) of the same Application',
    ]);
    expect(lines([controller({ ...goodWaves, serving: 0 }), app()])).toEqual([]);
  });

  it('refuses a Deployment whose service account comes in a later wave', () => {
    expect(lines([controller({ ...goodWaves, serviceAccount: 1 }), app()])).toEqual([
      'gitops/dev/controller/deployment-controller.yaml serviceAccountName: Deployment kube-system/controller (wave 0 of dev-controller) needs ServiceAccount controller, ' +
        'which ServiceAccount kube-system/controller delivers in a later wave (1) of the same Application',
    ]);
  });

  it('refuses an object admitted by a webhook whose pods come in the same root wave, from another Application', () => {
    expect(lines([controller(goodWaves, 0), app(0)])).toEqual([
      'gitops/dev/app-web/targetgroupbinding-web.yaml kind: TargetGroupBinding web/web (wave 0 of dev-app-web) needs the webhook controller-webhook that admits it, ' +
        'which Deployment kube-system/controller delivers in Application dev-controller, which syncs in the same root wave (0), side by side',
    ]);
  });

  it('refuses an object whose CRD an upstream source installs in a later root wave', () => {
    const late = { ...crds, syncWave: 5 };
    expect(lines([controller(goodWaves, -10, [late, certManager]), app()])).toEqual([
      'gitops/dev/app-web/targetgroupbinding-web.yaml apiVersion: TargetGroupBinding web/web (wave 0 of dev-app-web) needs its CRD (targetgroupbindings.elbv2.k8s.aws), ' +
        'which upstream dev-controller-crds delivers in Application dev-controller-crds, which syncs in a later root wave (5)',
    ]);
  });

  it('refuses an object whose namespace syncs in a later wave', () => {
    expect(lines([controller(), app(0, 2)])).toEqual([
      'gitops/dev/app-web/targetgroupbinding-web.yaml metadata.namespace: TargetGroupBinding web/web (wave 0 of dev-app-web) needs namespace web, ' +
        'which Namespace web delivers in a later wave (2) of the same Application',
    ]);
  });

  it('refuses pods of a labelled namespace whose fail-closed pod webhook is served from the same root wave, and leaves unlabelled ones alone', () => {
    const podWebhook: Component = {
      ...controller(goodWaves, 0),
      render(chart: Chart) {
        controller(goodWaves, 0).render(chart, undefined as never);
        new k8s.KubeMutatingWebhookConfiguration(chart, 'pods', {
          metadata: { name: 'controller-pods' },
          webhooks: [
            {
              name: 'mpod.example',
              admissionReviewVersions: ['v1'],
              sideEffects: 'None',
              failurePolicy: 'Fail',
              clientConfig: { service: { name: 'webhook', namespace: NS } },
              namespaceSelector: { matchExpressions: [{ key: 'gate', operator: 'In', values: ['enabled'] }] },
              rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
            },
          ],
        });
      },
    };
    const worker = (name: string, labels: Record<string, string>): Component => ({
      name: `app-${name}`,
      parameters: [],
      delivery: { syncWave: 0, namespace: name },
      render(chart: Chart) {
        new k8s.KubeNamespace(chart, 'namespace', { metadata: { name, labels } });
        new k8s.KubeDeployment(chart, 'deployment', {
          metadata: { name, namespace: name },
          spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'example/app:1.0.0' }] } } },
        });
      },
    });
    expect(lines([podWebhook, worker('gated', { gate: 'enabled' }), worker('free', {})])).toEqual([
      'gitops/dev/app-gated/deployment-gated.yaml spec.template: Deployment gated/gated (wave 0 of dev-app-gated) needs the webhook controller-pods that admits its pods, ' +
        'which Deployment kube-system/controller delivers in Application dev-controller, which syncs in the same root wave (0), side by side',
    ]);
  });

  it('refuses an Application whose AppProject is not in an earlier wave of the root', () => {
    const rendered = output([controller(), app()]);
    const objects = rendered.objects.map((object) =>
      object.manifest.kind === 'AppProject' && object.manifest.metadata.name === 'dev'
        ? { ...object, manifest: { ...object.manifest, metadata: { ...object.manifest.metadata, annotations: wave(0) } } }
        : object,
    );
    const found = convergenceProblems({ ...rendered, objects }).map((problem) => problem.message);
    expect(found).toContain(
      'Application argocd/dev-app-web (wave 0 of dev-root) needs AppProject dev, which AppProject argocd/dev delivers in wave 0 of the same Application, ' +
        'which is not earlier: Argo CD waits for health only between waves',
    );
    expect(found.every((message) => message.includes('needs AppProject dev'))).toBe(true);
  });

  it('names the env and component of the object that must move', () => {
    const [problem] = convergenceProblems(output([controller({ ...goodWaves, caIssuer: -3 }), app()]));
    expect(problem).toMatchObject({ env: 'dev', component: 'controller', file: 'gitops/dev/controller/issuer-ca.yaml' });
  });
});
