import { schemaValidator } from '@gitops/schemas';
import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-29';
import { describe, expect, it } from 'vitest';
import type { AppOverrides } from '@gitops/core';
import { APP_SYNC_WAVE, shutdownTiming, type AppDefinition } from '../src/index';
import { ALB_SECURITY_GROUP_ID, render, ROLE_ARN, shop, TARGET_GROUP_ARN, testEnv, VPC_ID } from './support';

const podSpecOf = (manifests: ReturnType<typeof render>) => manifests.byKind.get('Deployment/shop')!.spec.template.spec;
const containerOf = (manifests: ReturnType<typeof render>) => podSpecOf(manifests).containers[0];

describe('an exposed app', () => {
  const rendered = render(shop);

  it('renders Namespace, ServiceAccount, Service, TargetGroupBinding, Deployment and PDB, each named after the app', () => {
    expect([...rendered.byKind.keys()].sort()).toEqual([
      'Deployment/shop',
      'Namespace/shop',
      'PodDisruptionBudget/shop',
      'Service/shop',
      'ServiceAccount/shop',
      'TargetGroupBinding/shop',
    ]);
  });

  it('labels its namespace for readiness-gate injection and Pod Security restricted', () => {
    expect(rendered.byKind.get('Namespace/shop')!.metadata.labels).toMatchObject({
      'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  it('binds the Service port to the target group by IP, in the VPC, open only to the ALB security group', () => {
    expect(rendered.byKind.get('TargetGroupBinding/shop')).toEqual({
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'TargetGroupBinding',
      metadata: { name: 'shop', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'shop' } },
      spec: {
        targetGroupARN: TARGET_GROUP_ARN,
        targetType: 'ip',
        vpcID: VPC_ID,
        serviceRef: { name: 'shop', port: 8080 },
        networking: { ingress: [{ from: [{ securityGroup: { groupID: ALB_SECURITY_GROUP_ID } }], ports: [{ protocol: 'TCP', port: 8080 }] }] },
      },
    });
  });

  it('serves the container port on a ClusterIP Service selecting the pods', () => {
    const service = rendered.byKind.get('Service/shop')!;
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'shop' },
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(rendered.byKind.get('Deployment/shop')!.spec.template.metadata.labels).toMatchObject(service.spec.selector);
  });

  it('labels its pods, not its selector, for the readiness-gate webhook', () => {
    const deployment = rendered.byKind.get('Deployment/shop')!;
    expect(deployment.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'shop', 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' });
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'shop' });
  });

  it('creates its pods one sync wave after the Service and binding, so the readiness gate is injected', () => {
    const wave = (key: string) => Number(rendered.byKind.get(key)!.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    expect(wave('Deployment/shop')).toBeGreaterThan(wave('TargetGroupBinding/shop'));
    expect(wave('Deployment/shop')).toBeGreaterThan(wave('Service/shop'));
    expect(rendered.component.delivery).toEqual({ syncWave: APP_SYNC_WAVE, namespace: 'shop' });
  });

  it('runs with the secure defaults of Pod Security restricted', () => {
    const pod = podSpecOf(rendered);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(containerOf(rendered).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(containerOf(rendered).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  it('sets limits equal to requests, the default being the smallest Fargate size', () => {
    expect(containerOf(rendered).resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m', memory: '256Mi' } });
  });

  it('probes readiness on the path the ALB health-checks', () => {
    expect(containerOf(rendered).readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 8080 } });
  });

  it('rolls out without losing capacity and keeps a disruption budget for its 2 default replicas', () => {
    const deployment = rendered.byKind.get('Deployment/shop')!;
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } });
    expect(rendered.byKind.get('PodDisruptionBudget/shop')!.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'shop' } } });
  });

  it('validates strictly, TargetGroupBinding included', () => {
    for (const manifest of rendered.manifests) expect([manifest.kind, schemaValidator().validate(manifest)]).toEqual([manifest.kind, []]);
  });

  it('is refused by the TargetGroupBinding schema with an unknown field', () => {
    const binding = rendered.byKind.get('TargetGroupBinding/shop')!;
    const misspelled = { ...binding, spec: { ...binding.spec, targetGroupArn: binding.spec.targetGroupARN } };
    expect(schemaValidator().validate(misspelled)).toEqual([{ path: '/spec', message: 'unknown field "targetGroupArn"' }]);
  });

  it('is refused by the TargetGroupBinding schema when an ingress source names both an IP block and a security group', () => {
    const binding = rendered.byKind.get('TargetGroupBinding/shop')!;
    const from = [{ ipBlock: { cidr: '10.0.0.0/16' }, securityGroup: { groupID: ALB_SECURITY_GROUP_ID } }];
    const both = { ...binding, spec: { ...binding.spec, networking: { ingress: [{ from, ports: [] }] } } };
    expect(schemaValidator().validate(both)).toEqual([{ path: '/spec/networking/ingress/0/from/0', message: 'must NOT have more than 1 properties' }]);
  });
});

describe('graceful shutdown', () => {
  it('delays SIGTERM with the native sleep action from Kubernetes 1.30', () => {
    const rendered = render(shop, { env: testEnv('1.30') });
    expect(containerOf(rendered).lifecycle).toEqual({ preStop: { sleep: { seconds: 30 } } });
  });

  it('delays SIGTERM with an exec of sleep before Kubernetes 1.30', () => {
    const rendered = render(shop, { env: testEnv('1.29') });
    expect(containerOf(rendered).lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '30'] } } });
    for (const manifest of rendered.manifests) expect(schemaValidator().validate(manifest)).toEqual([]);
  });

  it('gives the pod longer than preStop plus drain to terminate', () => {
    const timing = shutdownTiming(shop);
    expect(podSpecOf(render(shop)).terminationGracePeriodSeconds).toBe(timing.terminationGracePeriodSeconds);
    expect(timing.terminationGracePeriodSeconds).toBeGreaterThan(timing.preStopSeconds + timing.drainSeconds);
  });

  it('has defaults that an app overrides, and infra reads the deregistration delay from the same place', () => {
    expect(shutdownTiming({})).toEqual({ preStopSeconds: 30, drainSeconds: 15, terminationGracePeriodSeconds: 60, deregistrationDelaySeconds: 45 });
    expect(shutdownTiming({ shutdown: { preStopSeconds: 40, drainSeconds: 30 } })).toEqual({
      preStopSeconds: 40,
      drainSeconds: 30,
      terminationGracePeriodSeconds: 85,
      deregistrationDelaySeconds: 70,
    });
    const slow = render({ ...shop, shutdown: { preStopSeconds: 40, drainSeconds: 30 } });
    expect(containerOf(slow).lifecycle.preStop.sleep.seconds).toBe(40);
    expect(podSpecOf(slow).terminationGracePeriodSeconds).toBe(85);
  });

  it('adds no preStop hook when the delay is 0 (an app no ALB serves)', () => {
    expect(containerOf(render({ ...shop, expose: undefined, shutdown: { preStopSeconds: 0 } })).lifecycle).toBeUndefined();
  });
});

describe('an app with IRSA and no exposure', () => {
  const worker: AppDefinition = {
    name: 'shop',
    image: 'registry.example.com/shop-worker:2.0.0',
    replicas: 1,
    aws: { policy: [{ Effect: 'Allow', Action: ['sqs:ReceiveMessage'], Resource: ['arn:aws:sqs:ap-northeast-1:111111111111:jobs'] }] },
  };
  const rendered = render(worker);

  it('annotates its service account with the role from SSM and mounts no Kubernetes API token: IRSA brings its own', () => {
    expect(rendered.byKind.get('ServiceAccount/shop')).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'shop', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'shop' }, annotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN } },
      automountServiceAccountToken: false,
    });
    expect(podSpecOf(rendered).automountServiceAccountToken).toBe(false);
    expect(podSpecOf(rendered).serviceAccountName).toBe('shop');
  });

  it('leaves its namespace and pods out of readiness-gate injection: no target group, nothing to gain', () => {
    expect(rendered.byKind.get('Namespace/shop')!.metadata.labels).not.toHaveProperty('elbv2.k8s.aws/pod-readiness-gate-inject');
    expect(rendered.byKind.get('Deployment/shop')!.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'shop' });
  });

  it('mounts a token when the app asks for one, with serviceAccountToken', () => {
    const asking = render({ ...worker, serviceAccountToken: true });
    expect(podSpecOf(asking).automountServiceAccountToken).toBe(true);
    expect(asking.byKind.get('ServiceAccount/shop')!.automountServiceAccountToken).toBe(false);
  });

  it('declares the role parameter only, and renders no Service, binding or PDB', () => {
    expect(rendered.component.parameters.map((p) => p.path)).toEqual(['apps/shop/role-arn']);
    expect([...rendered.byKind.keys()].sort()).toEqual(['Deployment/shop', 'Namespace/shop', 'ServiceAccount/shop']);
  });
});

describe('an app without IRSA', () => {
  it('mounts no service account token', () => {
    const rendered = render(shop);
    expect(rendered.byKind.get('ServiceAccount/shop')!.automountServiceAccountToken).toBe(false);
    expect(rendered.byKind.get('ServiceAccount/shop')!.metadata.annotations).toBeUndefined();
    expect(podSpecOf(rendered).automountServiceAccountToken).toBe(false);
  });
});

describe('per-env overrides', () => {
  const digest = (c: string) => `sha256:${c.repeat(64)}`;

  it('change replicas, resources and env vars, keeping the order written', () => {
    const app: AppDefinition = { ...shop, env: { MODE: 'x', LOG_LEVEL: 'info' } };
    const rendered = render(app, { overrides: { replicas: 1, resources: { cpu: '1', memory: '2Gi' }, env: { LOG_LEVEL: 'debug', FEATURE: 'on' } } });
    const deployment = rendered.byKind.get('Deployment/shop')!;
    expect(deployment.spec.replicas).toBe(1);
    expect(containerOf(rendered).resources.limits).toEqual({ cpu: '1', memory: '2Gi' });
    // The app's own in its order, LOG_LEVEL replaced where it stands, FEATURE appended.
    expect(containerOf(rendered).env).toEqual([
      { name: 'MODE', value: 'x' },
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'FEATURE', value: 'on' },
    ]);
    expect(rendered.byKind.has('PodDisruptionBudget/shop')).toBe(false);
  });

  it('render a $(NAME) reference after the variable it names, even when the name sorts later', () => {
    const app: AppDefinition = { ...shop, env: { ZONE_HOST: 'shop.internal', BASE_URL: 'http://$(ZONE_HOST):8080', LITERAL: '$$(ZONE_HOST)' } };
    const env = containerOf(render(app, { overrides: { env: { ADMIN_URL: '$(BASE_URL)/admin' } } })).env;
    expect(env.map((variable: { name: string }) => variable.name)).toEqual(['ZONE_HOST', 'BASE_URL', 'LITERAL', 'ADMIN_URL']);
  });

  it('pin the image: a tag, a digest, or both, replacing the app\'s tag and digest', () => {
    const pinned: AppDefinition = { ...shop, image: `registry.example.com/shop:1.2.3@${digest('a')}` };
    const image = (app: AppDefinition, overrides: AppOverrides) => containerOf(render(app, { overrides })).image;
    expect(image(shop, { imageTag: '1.3.0' })).toBe('registry.example.com/shop:1.3.0');
    expect(image(shop, { imageDigest: digest('b') })).toBe(`registry.example.com/shop@${digest('b')}`);
    expect(image(pinned, { imageTag: '1.3.0', imageDigest: digest('b') })).toBe(`registry.example.com/shop:1.3.0@${digest('b')}`);
    expect(image(pinned, {})).toBe(`registry.example.com/shop:1.2.3@${digest('a')}`);
  });
});

describe('autoscaling', () => {
  const rendered = render({ ...shop, autoscaling: { minReplicas: 2, maxReplicas: 6 } });

  it('renders an autoscaling/v2 HPA on CPU and leaves the replica count to it', () => {
    expect(rendered.byKind.get('HorizontalPodAutoscaler/shop')!.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(rendered.byKind.get('Deployment/shop')!.spec.replicas).toBeUndefined();
    expect(rendered.byKind.has('PodDisruptionBudget/shop')).toBe(true);
    for (const manifest of rendered.manifests) expect(schemaValidator().validate(manifest)).toEqual([]);
  });
});

describe('the extend escape hatch', () => {
  it('adds any construct to the app chart, with the namespace and the Deployment at hand', () => {
    const rendered = render({
      ...shop,
      extend(chart, ctx) {
        new k8s.KubeConfigMap(chart, 'settings', { metadata: { name: 'shop-settings', namespace: ctx.namespace }, data: { env: ctx.env.name } });
        ctx.deployment.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 10));
      },
    });
    expect(rendered.byKind.get('ConfigMap/shop-settings')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shop-settings', namespace: 'shop' },
      data: { env: 'test' },
    });
    expect(rendered.byKind.get('Deployment/shop')!.spec.minReadySeconds).toBe(10);
  });
});
