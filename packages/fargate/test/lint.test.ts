import { describe, expect, it } from 'vitest';
import { lintFargate } from '../src/index';
import { binding, container, deployment, input, podSpec, service, serviceAccount } from './support';

/** The problems of an env holding `manifests` plus the `shop` service account. */
function lint(manifests: Record<string, any>[], upstream: Parameters<typeof input>[1] = []) {
  return lintFargate(input([serviceAccount(), ...manifests], upstream));
}

describe('lintFargate accepts', () => {
  it('a Deployment, its Service and binding, and a used IRSA service account', () => {
    const irsa = serviceAccount('shop', 'shop', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/shop' });
    expect(lintFargate(input([irsa, deployment(), service(), binding({ name: 'shop', port: 8080 })]))).toEqual([]);
  });

  it('a binding that names the Service port by name, and selectors with wildcards and labels', () => {
    const batch = deployment(podSpec({ serviceAccountName: 'default' }), 'batch', { tier: 'batch' });
    const team = deployment(podSpec({ serviceAccountName: 'default' }), 'team-a-shop');
    expect(lint([service(), binding({ name: 'shop', port: 'http' }), batch, team])).toEqual([]);
  });
});

describe('lintFargate rejects', () => {
  it('a DaemonSet', () => {
    const daemonSet = { ...deployment(), kind: 'DaemonSet' };
    const problems = lint([daemonSet]);
    expect(problems).toEqual([
      expect.objectContaining({ env: 'test', component: 'app-shop', file: 'gitops/test/app-shop/daemonset-shop.yaml', parameter: 'kind' }),
    ]);
    expect(problems[0]!.message).toMatch(/no DaemonSets/);
  });

  it('a privileged container, naming the container list and index', () => {
    const spec = podSpec({ initContainers: [container({ name: 'setup', securityContext: { privileged: true } })] });
    expect(lint([deployment(spec)])).toEqual([
      expect.objectContaining({ parameter: 'spec.template.spec.initContainers[0].securityContext.privileged', message: expect.stringMatching(/setup: Fargate refuses privileged/) }),
    ]);
  });

  it('hostNetwork', () => {
    expect(lint([deployment(podSpec({ hostNetwork: true }))]).map((p) => p.parameter)).toEqual(['spec.template.spec.hostNetwork']);
  });

  it('a hostPort', () => {
    const spec = podSpec({ containers: [container({ ports: [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }] })] });
    expect(lint([deployment(spec)]).map((p) => p.parameter)).toEqual(['spec.template.spec.containers[0].ports[1].hostPort']);
  });

  it('hostPID and hostIPC', () => {
    expect(lint([deployment(podSpec({ hostPID: true, hostIPC: true }))]).map((p) => p.parameter)).toEqual([
      'spec.template.spec.hostPID',
      'spec.template.spec.hostIPC',
    ]);
  });

  it('a hostPath volume', () => {
    const spec = podSpec({ volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'logs', hostPath: { path: '/var/log' } }] });
    expect(lint([deployment(spec)])).toEqual([
      expect.objectContaining({ parameter: 'spec.template.spec.volumes[1].hostPath', message: expect.stringMatching(/^volume logs: Fargate does not mount hostPath/) }),
    ]);
  });

  it('an inline CSI volume and an ephemeral volume', () => {
    const spec = podSpec({
      volumes: [
        { name: 'certs', csi: { driver: 'csi.cert-manager.io' } },
        { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
      ],
    });
    expect(lint([deployment(spec)]).map((p) => p.parameter)).toEqual(['spec.template.spec.volumes[0].csi', 'spec.template.spec.volumes[1].ephemeral']);
  });

  it('a claim that is dynamically provisioned, or bound to a volume that is not EFS', () => {
    const claim = (name: string, volumeName?: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'shop' },
      spec: { storageClassName: 'gp3', ...(volumeName ? { volumeName } : {}) },
    });
    const ebs = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'ebs' }, spec: { csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' } } };
    const spec = podSpec({
      volumes: [
        { name: 'dynamic', persistentVolumeClaim: { claimName: 'dynamic' } },
        { name: 'block', persistentVolumeClaim: { claimName: 'block' } },
        { name: 'unknown', persistentVolumeClaim: { claimName: 'elsewhere' } },
      ],
    });
    const problems = lint([claim('dynamic'), claim('block', 'ebs'), ebs, deployment(spec)]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/volume dynamic: claim "dynamic" sets no spec.volumeName/),
      expect.stringMatching(/volume block: PersistentVolume "ebs" is not an EFS volume/),
      expect.stringMatching(/volume unknown: claim "elsewhere" is not rendered in namespace shop/),
    ]);
  });

  it('accepts a claim bound to a statically provisioned EFS volume', () => {
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'shop' }, spec: { volumeName: 'efs-data' } };
    const efs = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'efs-data' }, spec: { csi: { driver: 'efs.csi.aws.com', volumeHandle: 'fs-1' } } };
    expect(lint([claim, efs, deployment(podSpec({ volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] }))])).toEqual([]);
  });

  it('a GPU request', () => {
    const gpu = container({ resources: { requests: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': 1 }, limits: { 'nvidia.com/gpu': 1 } } });
    expect(lint([deployment(podSpec({ containers: [gpu] }))]).map((p) => p.parameter)).toEqual([
      'spec.template.spec.containers[0].resources.requests.nvidia.com/gpu',
      'spec.template.spec.containers[0].resources.limits.nvidia.com/gpu',
    ]);
  });

  it('a pod over 16 vCPU', () => {
    const big = (cpu: string, memory: string) => container({ resources: { requests: { cpu, memory }, limits: { cpu, memory } } });
    const problems = lint([deployment(podSpec({ containers: [big('12', '8Gi'), big('5', '8Gi')] }))]);
    expect(problems).toEqual([
      expect.objectContaining({ parameter: 'spec.template.spec.containers', message: expect.stringMatching(/requests 17 vCPU .* largest Fargate pod is 16 vCPU \/ 120 GB/) }),
    ]);
  });

  it('a pod over 120 GB once Fargate adds 256 MB', () => {
    const big = container({ resources: { requests: { cpu: '16', memory: '120Gi' }, limits: { cpu: '16', memory: '120Gi' } } });
    expect(lint([deployment(podSpec({ containers: [big] }))]).map((p) => p.message)).toEqual([expect.stringMatching(/120.25 GB with Fargate's 256 MB/)]);
  });

  it('a quantity that is not one', () => {
    const bad = container({ resources: { requests: { cpu: '2 cores', memory: '1Gi' } } });
    expect(lint([deployment(podSpec({ containers: [bad] }))]).map((p) => p.parameter)).toEqual(['spec.template.spec.containers[0].resources.requests.cpu']);
  });

  it('pods in a namespace that no Fargate profile selects', () => {
    const problems = lintFargate(input([serviceAccount('shop', 'orders'), deployment(podSpec(), 'orders')]));
    expect(problems).toEqual([
      expect.objectContaining({ parameter: 'metadata.namespace', message: expect.stringMatching(/no Fargate profile of test selects pods of namespace orders .* stay Pending/) }),
    ]);
  });

  it('pods whose labels the only selector of their namespace does not match', () => {
    const problems = lintFargate(input([serviceAccount('shop', 'batch'), deployment(podSpec(), 'batch', { tier: 'web' })]));
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/namespace batch \(labels tier=web\)/)]);
  });

  it('an upstream source that runs pods in a namespace no profile selects', () => {
    const upstream = { name: 'metrics', repoURL: 'https://example.com/charts', chart: 'metrics', targetRevision: '1.0.0', namespace: 'monitoring', syncWave: -5, clusterResources: [], runsPods: true };
    expect(lint([], [upstream])).toEqual([
      expect.objectContaining({ component: 'app-shop', file: 'clusters/test/env.ts', parameter: 'fargateProfiles', message: expect.stringMatching(/upstream metrics runs pods in namespace monitoring/) }),
    ]);
    expect(lint([], [{ ...upstream, runsPods: false }])).toEqual([]);
  });

  it('a binding whose Service does not exist', () => {
    expect(lint([deployment(), binding({ name: 'shop', port: 8080 })])).toEqual([
      expect.objectContaining({ file: 'gitops/test/app-shop/targetgroupbinding-shop.yaml', parameter: 'spec.serviceRef.name', message: 'Service "shop" does not exist in namespace shop' }),
    ]);
  });

  it('a binding to a port the Service does not have, by number or by name', () => {
    const problems = lint([deployment(), service(), binding({ name: 'shop', port: 80 })]);
    expect(problems.map((p) => [p.parameter, p.message])).toEqual([['spec.serviceRef.port', 'Service "shop" has no port 80; its ports: 8080 (http)']]);
    expect(lint([deployment(), service(), binding({ name: 'shop', port: 'https' })]).map((p) => p.parameter)).toEqual(['spec.serviceRef.port']);
  });

  it('a binding with targetType instance', () => {
    expect(lint([deployment(), service(), binding({ name: 'shop', port: 8080 }, 'instance')]).map((p) => p.parameter)).toEqual(['spec.targetType']);
  });

  it('a pod whose service account does not exist in its namespace', () => {
    const problems = lintFargate(input([deployment()]));
    expect(problems).toEqual([
      expect.objectContaining({ parameter: 'spec.template.spec.serviceAccountName', message: expect.stringMatching(/service account "shop" does not exist in namespace shop/) }),
    ]);
  });

  it('an IRSA annotation on a service account that no pod uses', () => {
    const unused = serviceAccount('reports', 'shop', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/reports' });
    expect(lint([deployment(), unused])).toEqual([
      expect.objectContaining({ file: 'gitops/test/app-shop/serviceaccount-reports.yaml', parameter: 'metadata.annotations.eks.amazonaws.com/role-arn' }),
    ]);
  });

  it('violations in every workload kind: StatefulSet, ReplicaSet, Job, CronJob and a bare Pod', () => {
    const bad = podSpec({ hostNetwork: true });
    const template = { metadata: { labels: { app: 'shop' } }, spec: bad };
    const objects = [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: { serviceName: 'db', selector: {}, template } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'shop' }, spec: { selector: {}, template } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop' }, spec: { template } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '@daily', jobTemplate: { spec: { template } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop', labels: { app: 'shop' } }, spec: bad },
    ];
    expect(lint(objects).map((p) => `${p.file} ${p.parameter}`)).toEqual([
      'gitops/test/app-shop/statefulset-db.yaml spec.template.spec.hostNetwork',
      'gitops/test/app-shop/replicaset-rs.yaml spec.template.spec.hostNetwork',
      'gitops/test/app-shop/job-migrate.yaml spec.template.spec.hostNetwork',
      'gitops/test/app-shop/cronjob-nightly.yaml spec.jobTemplate.spec.template.spec.hostNetwork',
      'gitops/test/app-shop/pod-debug.yaml spec.hostNetwork',
    ]);
  });

  it('reports every violation of one pod, not the first', () => {
    const spec = podSpec({ hostNetwork: true, containers: [container({ securityContext: { privileged: true } })], volumes: [{ name: 'h', hostPath: { path: '/' } }] });
    expect(lint([deployment(spec)])).toHaveLength(3);
  });
});
