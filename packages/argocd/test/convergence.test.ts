import { projector, type Component, type UpstreamSource } from '@gitops/core';
import { Certificate, Issuer } from '@gitops/schemas/imports/cert-manager.io';
import { TargetGroupBinding } from '@gitops/schemas/imports/elbv2.k8s.aws';
import { k8s } from 'cdk8s-plus-29';
import { ApiObject, type ApiObjectProps, type Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { argoCdComponents, CONVERGENCE_READS, convergenceProblems, type RenderedOutline } from '../src/index';
import { environment, render, workspaceOf } from './support/environments';
import { declaredPaths, projected, releaseChange, withContainers, without } from '../../core/test/read-paths-support';

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

/** The controller in root wave 0, with a fail-closed pod webhook for namespaces labelled `gate: enabled`. */
function podWebhook(): Component {
  return {
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
}

/** An app of one Deployment in its own namespace, labelled `labels`. */
function worker(name: string, labels: Record<string, string>): Component {
  return {
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
  };
}

function output(delivered: readonly Component[]): RenderedOutline {
  const all = [...delivered, ...argoCdComponents(dev, delivered, workspaceOf(dev))];
  const objects = render(dev, all).map(({ component, manifest }) => ({
    component,
    manifest,
    file: `${component}/${String(manifest.kind).toLowerCase()}-${manifest.metadata.name}.yaml`,
  }));
  return { env: dev, components: all, objects };
}

/** `rendered` with the object of this kind and name moved to wave `to`. */
function moved(rendered: RenderedOutline, kind: string, name: string, to: number): RenderedOutline {
  const objects = rendered.objects.map((object) =>
    object.manifest.kind === kind && object.manifest.metadata.name === name
      ? { ...object, manifest: { ...object.manifest, metadata: { ...object.manifest.metadata, annotations: wave(to) } } }
      : object,
  );
  return { ...rendered, objects };
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
    expect(lines([podWebhook(), worker('gated', { gate: 'enabled' }), worker('free', {})])).toEqual([
      'gitops/dev/app-gated/deployment-gated.yaml spec.template: Deployment gated/gated (wave 0 of dev-app-gated) needs the webhook controller-pods that admits its pods, ' +
        'which Deployment kube-system/controller delivers in Application dev-controller, which syncs in the same root wave (0), side by side',
    ]);
  });

  it('refuses an Application whose AppProject is not in an earlier wave of the root', () => {
    const found = convergenceProblems(moved(output([controller(), app()]), 'AppProject', 'dev', 0)).map((problem) => problem.message);
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

// Branches the fixtures above leave alone: each pod reference in every place a kind keeps its pod
// template, optional references, webhooks with selectors and failing open, an Issuer and a
// ClusterIssuer reference, an ExternalSecret's target. Everything a pod needs comes a wave late.

const GATE_NS = 'gate';

/** A webhook server in its own app, with a Mutating and a Validating configuration: pods labelled `gated` in namespaces labelled `gate`, and ConfigMaps failing open. */
function gate(): Component {
  return {
    name: 'app-gate',
    parameters: [],
    delivery: { syncWave: 0, namespace: GATE_NS },
    render(chart: Chart) {
      const labels = { app: 'gate' };
      new k8s.KubeDeployment(chart, 'server', {
        metadata: { name: 'gate', namespace: GATE_NS },
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'gate', image: 'example/gate:1.0.0' }] } } },
      });
      new k8s.KubeService(chart, 'service', { metadata: { name: 'gate', namespace: GATE_NS }, spec: { selector: labels, ports: [{ port: 443 }] } });
      const clientConfig = { service: { name: 'gate', namespace: GATE_NS } };
      const webhooks = [
        {
          name: 'pods.gate.example',
          failurePolicy: 'Fail',
          clientConfig,
          namespaceSelector: { matchLabels: { gate: 'on' } },
          objectSelector: { matchExpressions: [{ key: 'gated', operator: 'Exists' }] },
          rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
        },
        { name: 'configmaps.gate.example', failurePolicy: 'Ignore', clientConfig, rules: [{ apiGroups: ['*'], apiVersions: ['v1'], operations: ['*'], resources: ['configmaps'] }] },
      ].map((webhook) => ({ ...webhook, admissionReviewVersions: ['v1'], sideEffects: 'None' }));
      new k8s.KubeMutatingWebhookConfiguration(chart, 'mutating', { metadata: { name: 'gate-mutating' }, webhooks });
      new k8s.KubeValidatingWebhookConfiguration(chart, 'validating', { metadata: { name: 'gate-validating' }, webhooks });
    },
  };
}

const REFS_NS = 'refs';

/** The pod references of one container list, each to an object of its own, `-optional` ones marked optional. */
const containerRefs = (list: string) => ({
  envFrom: [
    { secretRef: { name: `${list}-envfrom-secret` } },
    { secretRef: { name: `${list}-envfrom-secret-optional`, optional: true } },
    { configMapRef: { name: `${list}-envfrom-configmap` } },
    { configMapRef: { name: `${list}-envfrom-configmap-optional`, optional: true } },
  ],
  env: [
    { name: 'PLAIN', value: 'plain' },
    { name: 'SECRET', valueFrom: { secretKeyRef: { name: `${list}-env-secret`, key: 'k' } } },
    { name: 'SECRET_OPTIONAL', valueFrom: { secretKeyRef: { name: `${list}-env-secret-optional`, key: 'k', optional: true } } },
    { name: 'CONFIG', valueFrom: { configMapKeyRef: { name: `${list}-env-configmap`, key: 'k' } } },
    { name: 'CONFIG_OPTIONAL', valueFrom: { configMapKeyRef: { name: `${list}-env-configmap-optional`, key: 'k', optional: true } } },
  ],
});

/** A pod template naming a late service account and, in every way a pod can, late Secrets and ConfigMaps. */
function podTemplate(labels: Record<string, string>) {
  return {
    metadata: { labels },
    spec: {
      serviceAccountName: 'late',
      volumes: [
        { name: 'a', secret: { secretName: 'volume-secret' } },
        { name: 'b', secret: { secretName: 'volume-secret-optional', optional: true } },
        { name: 'c', configMap: { name: 'volume-configmap' } },
        { name: 'd', configMap: { name: 'volume-configmap-optional', optional: true } },
      ],
      initContainers: [{ name: 'init', image: 'example/init:1.0.0', ...containerRefs('initContainers') }],
      containers: [{ name: 'main', image: 'example/main:1.0.0', args: ['--serve'], ...containerRefs('containers') }],
    },
  };
}

/** Every Secret or ConfigMap `podTemplate` names, required and optional. */
const referenced = (kind: 'secret' | 'configmap') =>
  ['volume', 'initContainers-envfrom', 'initContainers-env', 'containers-envfrom', 'containers-env'].flatMap((place) => [`${place}-${kind}`, `${place}-${kind}-optional`]);

/** One object of `kind` in the refs namespace, with `template` where that kind keeps its pods. */
function workload(kind: string, name: string, template: ReturnType<typeof podTemplate>): ApiObjectProps {
  const metadata = { name, namespace: REFS_NS };
  const selector = { matchLabels: template.metadata.labels };
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata: { ...metadata, labels: template.metadata.labels }, spec: template.spec };
    case 'CronJob':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '@daily', jobTemplate: { spec: { template } } } };
    case 'Job':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { template } };
    default:
      return { apiVersion: 'apps/v1', kind, metadata, spec: { selector, template } };
  }
}

const WORKLOAD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob'];

/** Workloads of every kind, needing what comes a wave later, admitted by the gate's webhooks or not. */
function refs(): Component {
  return {
    name: 'app-refs',
    parameters: [],
    delivery: { syncWave: 0, namespace: REFS_NS },
    render(chart: Chart) {
      const late = { annotations: wave(1) };
      const object = (id: string, manifest: ApiObjectProps) => new ApiObject(chart, id, manifest);
      object('namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: REFS_NS, labels: { gate: 'on' } } });
      object('open', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'open' } });
      object('sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'late', namespace: REFS_NS, ...late } });
      for (const name of referenced('secret')) object(`secret-${name}`, { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: REFS_NS, ...late } });
      for (const name of referenced('configmap')) object(`configmap-${name}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: REFS_NS, ...late } });
      for (const kind of WORKLOAD_KINDS) object(kind, workload(kind, kind.toLowerCase(), podTemplate({ gated: 'yes' })));
      object('ungated', workload('Deployment', 'ungated', podTemplate({ app: 'ungated' })));
      object('open-deployment', { ...workload('Deployment', 'open', podTemplate({ gated: 'yes' })), metadata: { name: 'open', namespace: 'open' } });

      object('late-issuer', { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'late-issuer', namespace: REFS_NS, ...late }, spec: { selfSigned: {} } });
      for (const [name, kind] of [['named', 'Issuer'], ['cluster', 'ClusterIssuer']]) {
        object(`certificate-${name}`, {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: { name, namespace: REFS_NS },
          spec: { secretName: `${name}-tls`, issuerRef: { name: 'late-issuer', kind } },
        });
      }
      object('external-secret', {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'source', namespace: REFS_NS, ...late },
        spec: { target: { name: 'written' } },
      });
      object('consumer', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'consumer', namespace: REFS_NS },
        spec: { template: { metadata: {}, spec: { containers: [{ name: 'consumer', image: 'example/consumer:1.0.0' }], volumes: [{ name: 'written', secret: { secretName: 'written' } }] } } },
      });
    },
  };
}

/** Every env the tests above check, and those exercising the other branches: most of them with problems. */
const fixtures: Record<string, RenderedOutline> = {
  'every need first': output([controller(), app()]),
  'CA Issuer with its root': output([controller({ ...goodWaves, caIssuer: -3 }), app()]),
  'serving Certificate late': output([controller({ ...goodWaves, serving: 1 }), app()]),
  'serving Certificate with the pods': output([controller({ ...goodWaves, serving: 0 }), app()]),
  'service account late': output([controller({ ...goodWaves, serviceAccount: 1 }), app()]),
  'webhook side by side': output([controller(goodWaves, 0), app(0)]),
  'CRDs late': output([controller(goodWaves, -10, [{ ...crds, syncWave: 5 }, certManager]), app()]),
  'namespace late': output([controller(), app(0, 2)]),
  'pod webhook on labelled namespaces': output([podWebhook(), worker('gated', { gate: 'enabled' }), worker('free', {})]),
  'AppProject with its Applications': moved(output([controller(), app()]), 'AppProject', 'dev', 0),
  'bootstrap project with the root': moved(output([controller(), app()]), 'AppProject', 'bootstrap', 100),
  'every pod reference, webhook selector, issuer and ExternalSecret': output([gate(), refs()]),
  'all at once, upstream late': output([controller(goodWaves, 0, [{ ...crds, syncWave: 5 }, certManager]), app(0, 2), gate(), refs()]),
};

describe('CONVERGENCE_READS', () => {
  const found = Object.fromEntries(Object.entries(fixtures).map(([name, rendered]) => [name, JSON.stringify(convergenceProblems(rendered))]));

  it.each(Object.keys(fixtures))('finds the same problems in the objects cut down to what it declares: %s', (name) => {
    expect(convergenceProblems(projected(fixtures[name]!, CONVERGENCE_READS))).toEqual(convergenceProblems(fixtures[name]!));
  });

  it('has fixtures that find problems, so the comparison is not of empty lists', () => {
    const finding = Object.values(found).filter((problems) => problems !== '[]');
    expect(finding.length).toBeGreaterThanOrEqual(Object.keys(fixtures).length - 2);
  });

  it('declares nothing the fixtures do not need: without any one path, some fixture finds otherwise', () => {
    const unneeded = declaredPaths(CONVERGENCE_READS).filter(({ kind, path }) => {
      const reads = without(CONVERGENCE_READS, kind, path);
      return Object.entries(fixtures).every(([name, rendered]) => JSON.stringify(convergenceProblems(projected(rendered, reads))) === found[name]);
    });
    expect(unneeded).toEqual([]);
  });

  it('keeps every projection when a release changes only images, commands, args, env values, probes and resources', () => {
    const project = projector(CONVERGENCE_READS);
    let changed = 0;
    for (const rendered of Object.values(fixtures)) {
      for (const { manifest } of rendered.objects) {
        const released = withContainers(manifest, (container) => ({ ...releaseChange(container), args: ['--next'] }));
        if (JSON.stringify(released) !== JSON.stringify(manifest)) changed++;
        expect(project(released)).toEqual(project(manifest));
      }
    }
    expect(changed).toBeGreaterThan(20);
  });
});
