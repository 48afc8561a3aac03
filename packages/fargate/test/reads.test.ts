import dev from '@gitops/clusters/dev/env';
import devSnapshot from '@gitops/clusters/dev/ssm-snapshot.json';
import prod from '@gitops/clusters/prod/env';
import prodSnapshot from '@gitops/clusters/prod/ssm-snapshot.json';
import stg from '@gitops/clusters/stg/env';
import stgSnapshot from '@gitops/clusters/stg/ssm-snapshot.json';
import { projector, type ReadPaths, type UpstreamSource } from '@gitops/core';
import { projected, without } from '../../core/test/read-paths-support';
import { describe, expect, it } from 'vitest';
import { FARGATE_READS, fargateSizingWarnings, fargateSummary, lintFargate, workloadSizes, type FargateInput } from '../src/index';
import { renderSampleApps } from './rendered-apps';
import { binding, container, deployment, env, input, podSpec, service, serviceAccount } from './support';

// Synth gives the Fargate checks and reports each object cut down to FARGATE_READS and each
// component as its outline, and reuses what they gave while those are unchanged: so over every
// fixture, what they give from that must be what they give from the whole env.

const IRSA = 'eks.amazonaws.com/role-arn';
const upstream: UpstreamSource = { name: 'metrics', repoURL: 'https://example.com/charts', chart: 'metrics', targetRevision: '1.0.0', namespace: 'monitoring', syncWave: -5, clusterResources: [], runsPods: true };
const big = (cpu: string, memory: string) => container({ resources: { requests: { cpu, memory }, limits: { cpu, memory } } });
const sized = (cpu: string, memory: string) => deployment(podSpec({ containers: [big(cpu, memory)] }));
const claim = (name: string, volumeName?: string, namespace = 'shop') => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace },
  spec: { storageClassName: 'gp3', ...(volumeName ? { volumeName } : {}) },
});
const volume = (name: string, driver: string) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { csi: { driver, volumeHandle: `${name}-1` } } });
const claimed = (...claimNames: string[]) => deployment(podSpec({ volumes: claimNames.map((claimName) => ({ name: claimName, persistentVolumeClaim: { claimName } })) }));
const autoscaler = (target: { kind: string; name: string }, minReplicas?: number, namespace = 'batch') => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: target.name, namespace },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', ...target }, ...(minReplicas !== undefined ? { minReplicas } : {}), maxReplicas: 10 },
});

/** Every workload kind whose pods the checks know, with where it keeps its pod template. */
const WORKLOADS = [
  ['v1', 'Pod', ''],
  ['v1', 'ReplicationController', 'spec.template'],
  ['apps/v1', 'Deployment', 'spec.template'],
  ['apps/v1', 'StatefulSet', 'spec.template'],
  ['apps/v1', 'ReplicaSet', 'spec.template'],
  ['apps/v1', 'DaemonSet', 'spec.template'],
  ['batch/v1', 'Job', 'spec.template'],
  ['batch/v1', 'CronJob', 'spec.jobTemplate.spec.template'],
] as const;
const REPLICATED = new Set(['ReplicationController', 'Deployment', 'StatefulSet', 'ReplicaSet']);

/** A workload of `kind` named `w` in namespace batch (labelled tier=batch, which the profile selects), running `spec`. */
function workload([apiVersion, kind, path]: (typeof WORKLOADS)[number], spec: Record<string, unknown>, replicas?: number): Record<string, any> {
  const labels = { tier: 'batch' };
  if (path === '') return { apiVersion, kind, metadata: { name: 'w', namespace: 'batch', labels }, spec };
  const manifest: Record<string, any> = { apiVersion, kind, metadata: { name: 'w', namespace: 'batch' }, spec: replicas !== undefined ? { replicas } : {} };
  const keys = path.split('.');
  let at = manifest;
  for (const key of keys.slice(0, -1)) at = at[key] ??= {};
  at[keys.at(-1)!] = { metadata: { labels }, spec };
  return manifest;
}

/** A container breaking every container rule, in each of the three lists. */
const unruly = (list: string) => ({
  name: `${list}-c`,
  image: 'example/unruly:1',
  securityContext: { privileged: true },
  ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 81 }],
  resources: { requests: { cpu: '2 cores', memory: '1Gi', 'nvidia.com/gpu': 1 }, limits: { cpu: '1', memory: 'lots', 'example.com/fpga': 1 } },
});
/** A pod spec breaking every pod rule, running as `account`. */
const unrulySpec = (account: Record<string, string>) => ({
  ...account,
  hostNetwork: true,
  hostPID: true,
  hostIPC: true,
  volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'logs', hostPath: { path: '/var/log' } }],
  initContainers: [unruly('init')],
  containers: [unruly('main'), container({ name: 'limited', resources: { limits: { cpu: '750m', memory: '512Mi' } } })],
  ephemeralContainers: [unruly('debug')],
});

/** `manifests` without their namespaces, in a component whose destination namespace is batch. */
function inDestination(manifests: readonly Record<string, any>[]): FargateInput {
  const objects = manifests.map((manifest) => {
    const { namespace: _, ...metadata } = manifest.metadata;
    return { component: 'app-shop', file: `app-shop/${String(manifest.kind).toLowerCase()}-${String(metadata.name)}.yaml`, manifest: { ...manifest, metadata } };
  });
  return { env, components: [{ name: 'app-shop', parameters: [], delivery: { syncWave: 0, namespace: 'batch' } }], objects };
}

/** The fixtures of this package's other tests, and more for every branch the checks have, by name. */
const fixtures: Record<string, FargateInput> = {
  // lint.test.ts
  'accepted: Deployment, Service, binding and a used IRSA account': input([serviceAccount('shop', 'shop', { [IRSA]: 'arn:aws:iam::111111111111:role/shop' }), deployment(), service(), binding({ name: 'shop', port: 8080 })]),
  'accepted: port by name, selectors with wildcards and labels': input([
    serviceAccount(),
    service(),
    binding({ name: 'shop', port: 'http' }),
    deployment(podSpec({ serviceAccountName: 'default' }), 'batch', { tier: 'batch' }),
    deployment(podSpec({ serviceAccountName: 'default' }), 'team-a-shop'),
  ]),
  DaemonSet: input([serviceAccount(), { ...deployment(), kind: 'DaemonSet' }]),
  'privileged init container': input([serviceAccount(), deployment(podSpec({ initContainers: [container({ name: 'setup', securityContext: { privileged: true } })] }))]),
  hostNetwork: input([serviceAccount(), deployment(podSpec({ hostNetwork: true }))]),
  hostPort: input([serviceAccount(), deployment(podSpec({ containers: [container({ ports: [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }] })] }))]),
  'hostPID and hostIPC': input([serviceAccount(), deployment(podSpec({ hostPID: true, hostIPC: true }))]),
  'hostPath volume': input([serviceAccount(), deployment(podSpec({ volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'logs', hostPath: { path: '/var/log' } }] }))]),
  'CSI and ephemeral volumes': input([
    serviceAccount(),
    deployment(podSpec({ volumes: [{ name: 'certs', csi: { driver: 'csi.cert-manager.io' } }, { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }] })),
  ]),
  'claims: dynamic, bound to EBS, not rendered': input([serviceAccount(), claim('dynamic'), claim('block', 'ebs'), volume('ebs', 'ebs.csi.aws.com'), claimed('dynamic', 'block', 'elsewhere')]),
  'claim bound to EFS': input([serviceAccount(), claim('data', 'efs-data'), volume('efs-data', 'efs.csi.aws.com'), claimed('data')]),
  GPU: input([serviceAccount(), deployment(podSpec({ containers: [container({ resources: { requests: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': 1 }, limits: { 'nvidia.com/gpu': 1 } } })] }))]),
  'over 16 vCPU': input([serviceAccount(), deployment(podSpec({ containers: [big('12', '8Gi'), big('5', '8Gi')] }))]),
  'over 120 GB': input([serviceAccount(), sized('16', '120Gi')]),
  'bad quantity': input([serviceAccount(), deployment(podSpec({ containers: [container({ resources: { requests: { cpu: '2 cores', memory: '1Gi' } } })] }))]),
  'namespace no profile selects': input([serviceAccount('shop', 'orders'), deployment(podSpec(), 'orders')]),
  'labels the selector does not match': input([serviceAccount('shop', 'batch'), deployment(podSpec(), 'batch', { tier: 'web' })]),
  'upstream without a profile': input([serviceAccount()], [upstream]),
  'upstream running no pods': input([serviceAccount()], [{ ...upstream, runsPods: false }]),
  'binding to a missing Service': input([serviceAccount(), deployment(), binding({ name: 'shop', port: 8080 })]),
  'binding to a missing port number': input([serviceAccount(), deployment(), service(), binding({ name: 'shop', port: 80 })]),
  'binding to a missing port name': input([serviceAccount(), deployment(), service(), binding({ name: 'shop', port: 'https' })]),
  'binding of targetType instance': input([serviceAccount(), deployment(), service(), binding({ name: 'shop', port: 8080 }, 'instance')]),
  'missing service account': input([deployment()]),
  'unused IRSA account': input([serviceAccount(), deployment(), serviceAccount('reports', 'shop', { [IRSA]: 'arn:aws:iam::111111111111:role/reports' })]),
  'every workload kind': input([serviceAccount(), ...WORKLOADS.map((type) => workload(type, podSpec({ hostNetwork: true })))]),
  'every violation of one pod': input([
    serviceAccount(),
    deployment(podSpec({ hostNetwork: true, containers: [container({ securityContext: { privileged: true } })], volumes: [{ name: 'h', hostPath: { path: '/' } }] })),
  ]),
  // sizing-advice.test.ts
  ...Object.fromEntries(
    [
      ['1', '2Gi'],
      ['250m', '2Gi'],
      ['1', '1792Mi'],
      ['250m', '256Mi'],
      ['500m', '768Mi'],
      ['500m', '1200Mi'],
    ].map(([cpu, memory]) => [`sized ${cpu} / ${memory}`, input([serviceAccount(), sized(cpu!, memory!)])]),
  ),
  'app with its own requests': { ...input([sized('1', '2Gi')]), env: { ...env, apps: { shop: {} } } },
  'app with requests from the env': { ...input([sized('1', '2Gi')]), env: { ...env, apps: { shop: { resources: { cpu: '1', memory: '2Gi' } } } } },
  // sizing.test.ts, as pods of Deployments
  ...Object.fromEntries(
    [
      ['250m', '256Mi'],
      ['250m', '257Mi'],
      ['251m', '100Mi'],
      ['500m', '1Gi'],
      ['1500m', '1Gi'],
      ['4', '30Gi'],
      ['5', '17Gi'],
      ['8', '60Gi'],
      ['16', '119Gi'],
      ['1', '8Gi'],
      ['17', '1Gi'],
      ['1', '120Gi'],
    ].map(([cpu, memory]) => [`pod of ${cpu} / ${memory}`, input([serviceAccount(), deployment(podSpec({ containers: [{ name: 'shop', resources: { requests: { cpu, memory } } }] }))])]),
  ),
  'pod without requests': input([serviceAccount(), deployment(podSpec({ containers: [{ name: 'shop' }] }))]),
  'init containers and containers': input([
    serviceAccount(),
    deployment(
      podSpec({
        containers: [{ name: 'a', resources: { requests: { cpu: '250m', memory: '1Gi' } } }, { name: 'b', resources: { requests: { cpu: '250m', memory: '512Mi' } } }],
        initContainers: [{ name: 'c', resources: { requests: { cpu: '1', memory: '128Mi' } } }, { name: 'd', resources: { requests: { cpu: '100m', memory: '512Mi' } } }],
      }),
    ),
  ]),
  'limits without requests': input([serviceAccount(), deployment(podSpec({ containers: [{ name: 'shop', resources: { limits: { cpu: '2', memory: '4Gi' } } }] }))]),
  // sample-apps.test.ts, and prod with api's requests overridden to a size the overhead pushes up
  'sample apps in dev': renderSampleApps(dev, devSnapshot),
  'sample apps in prod': renderSampleApps(prod, prodSnapshot),
  'sample apps in stg': renderSampleApps(stg, stgSnapshot),
  'sample apps in prod, api at 1 vCPU / 2Gi': renderSampleApps({ ...prod, apps: { ...prod.apps, api: { ...prod.apps.api, resources: { cpu: '1', memory: '2Gi' } } } }, prodSnapshot),
  // Every pod and container rule broken at once, in each workload kind, running as an account
  // named either way; replicated kinds at 3 replicas.
  ...Object.fromEntries(
    WORKLOADS.flatMap((type) =>
      ([{ serviceAccountName: 'ghost' }, { serviceAccount: 'phantom' }] as Record<string, string>[]).map((account) => [
        `unruly ${type[1]} as ${Object.values(account)[0]}`,
        input([workload(type, unrulySpec(account), REPLICATED.has(type[1]) ? 3 : undefined)]),
      ]),
    ),
  ),
  // Autoscaled workloads without replicas of their own: at the autoscaler's minimum, only when it
  // names them and sits in their namespace.
  ...Object.fromEntries(
    WORKLOADS.filter(([, kind]) => REPLICATED.has(kind)).map((type) => [
      `${type[1]} at its autoscaler's minimum`,
      input([serviceAccount('shop', 'batch'), workload(type, podSpec()), autoscaler({ kind: type[1], name: 'w' }, 4)]),
    ]),
  ),
  'autoscaler without minReplicas': input([serviceAccount('shop', 'batch'), workload(WORKLOADS[2], podSpec()), autoscaler({ kind: 'Deployment', name: 'w' })]),
  'autoscaler of another namespace': input([serviceAccount('shop', 'batch'), workload(WORKLOADS[2], podSpec()), autoscaler({ kind: 'Deployment', name: 'w' }, 4, 'shop')]),
  'autoscaler of another name': input([serviceAccount('shop', 'batch'), workload(WORKLOADS[2], podSpec()), autoscaler({ kind: 'Deployment', name: 'v' }, 4)]),
  'autoscaler of a Deployment with replicas': input([serviceAccount(), deployment(), autoscaler({ kind: 'Deployment', name: 'shop' }, 5, 'shop')]),
  'binding with targetType unset, to a Service of named and unnamed ports': input([
    serviceAccount(),
    deployment(),
    service([{ name: 'http', port: 8080 }, { port: 9090 } as { name: string; port: number }]),
    { ...binding({ name: 'shop', port: 'admin' }), spec: { targetGroupARN: 'arn:x', serviceRef: { name: 'shop', port: 'admin' } } },
  ]),
  'binding in a namespace without the Service': input([serviceAccount(), deployment(), service(), { ...binding({ name: 'shop', port: 8080 }), metadata: { name: 'shop', namespace: 'batch' } }]),
  'claim in another namespace, and one bound to a volume not rendered here': input([serviceAccount(), claim('data', 'efs-data', 'batch'), claim('outside', 'elsewhere'), claimed('data', 'outside')]),
  'missing account and unused IRSA account where an upstream runs pods': input(
    [deployment(podSpec({ serviceAccountName: 'ghost' })), serviceAccount('reports', 'shop', { [IRSA]: 'arn:aws:iam::111111111111:role/reports' })],
    [{ ...upstream, namespace: 'shop' }],
  ),
  'service account by the deprecated field': input([serviceAccount('legacy'), deployment({ serviceAccount: 'legacy', containers: [container()] })]),
  'objects without a namespace, in their component\'s': inDestination([serviceAccount('shop'), workload(WORKLOADS[2], podSpec(), 2), service(), binding({ name: 'shop', port: 8080 }), claim('data', 'efs-data'), claimed('data')]),
};

const results = (fargate: FargateInput) => ({
  problems: lintFargate(fargate),
  summary: fargateSummary(fargate),
  sizes: workloadSizes(fargate),
  warnings: fargateSizingWarnings(fargate),
});

/** Whether another path of the same kind, or of every kind, takes in `path`'s subtree. */
const inside = (reads: ReadPaths, kind: string, path: string) =>
  [...(reads['*'] ?? []), ...(kind === '*' ? [] : (reads[kind] ?? []))].some((other) => path.startsWith(`${other}.`) || path.startsWith(`${other}[]`));

describe('FARGATE_READS', () => {
  it.each(Object.keys(fixtures))('%s: lintFargate, fargateSummary, workloadSizes and fargateSizingWarnings give from the projection what they give from the whole env', (name) => {
    const fixture = fixtures[name]!;
    expect(results(projected(fixture, FARGATE_READS))).toEqual(results(fixture));
  });

  it('has fixtures that break each rule, warn and size pods, not only clean ones', () => {
    const all = Object.values(fixtures).map(results);
    const parameters = new Set(all.flatMap(({ problems }) => problems.map((problem) => problem.parameter.replace(/\[\d+\]/g, '[]'))));
    for (const parameter of [
      'kind',
      'spec.template.spec.hostNetwork',
      'spec.hostPID',
      'spec.jobTemplate.spec.template.spec.ephemeralContainers[].ports[].hostPort',
      'spec.template.spec.initContainers[].securityContext.privileged',
      'spec.template.spec.containers[].resources.limits.example.com/fpga',
      'spec.template.spec.volumes[].persistentVolumeClaim',
      'spec.template.spec.volumes[].hostPath',
      'spec.template.spec.containers',
      'metadata.namespace',
      'fargateProfiles',
      'spec.serviceRef.name',
      'spec.serviceRef.port',
      'spec.targetType',
      'spec.template.spec.serviceAccountName',
      `metadata.annotations.${IRSA}`,
    ]) {
      expect(parameters).toContain(parameter);
    }
    expect(all.filter(({ warnings }) => warnings.some((warning) => warning.endsWith('clusters/prod/env.ts apps.api.resources')))).toHaveLength(1);
    expect(all.filter(({ warnings }) => warnings.some((warning) => warning.endsWith('apps/shop/src/index.ts resources')))).toHaveLength(1);
    expect(all.filter(({ sizes }) => sizes.some((size) => size.pods === 4))).toHaveLength(4);
  });

  it('declares no path the results can do without: removing any one changes what some fixture gives', () => {
    const declared = Object.values(fixtures).map((fixture) => results(projected(fixture, FARGATE_READS)));
    const needless = Object.entries(FARGATE_READS).flatMap(([kind, paths]) =>
      paths
        .filter((path) => !inside(FARGATE_READS, kind, path))
        .filter((path) => Object.values(fixtures).every((fixture, index) => JSON.stringify(results(projected(fixture, without(FARGATE_READS, kind, path)))) === JSON.stringify(declared[index])))
        .map((path) => `${kind} ${path}`),
    );
    expect(needless).toEqual([]);
  });

  it('keeps no container image, argument, command, env value or probe: an app changing those leaves every projection as it was', () => {
    const project = projector(FARGATE_READS);
    const changed = (manifest: Record<string, any>) => {
      const copy = structuredClone(manifest);
      for (const container of copy.spec?.template?.spec?.containers ?? []) {
        Object.assign(container, { image: 'example/other:9.9.9', args: ['--other'], command: ['/other'], env: [{ name: 'LOG_LEVEL', value: 'trace' }] });
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) container[probe] = { httpGet: { path: '/other', port: 1 } };
      }
      return copy;
    };
    const objects = Object.values(fixtures).flatMap((fixture) => fixture.objects);
    const changedDeployments = objects.filter(({ manifest }) => manifest.kind === 'Deployment' && JSON.stringify(changed(manifest)) !== JSON.stringify(manifest));
    expect(changedDeployments.length).toBeGreaterThan(50);
    for (const { manifest } of changedDeployments) expect(project(changed(manifest))).toEqual(project(manifest));
    // The control: the same change to a read field does change the projection.
    const renamed = structuredClone(changedDeployments[0]!.manifest);
    renamed.spec.template.spec.containers[0].name = 'other';
    expect(project(renamed)).not.toEqual(project(changedDeployments[0]!.manifest));
  });
});
