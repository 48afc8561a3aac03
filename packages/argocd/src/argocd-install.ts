import type { Component } from '@gitops/core';
import { Kustomization } from '@gitops/schemas/imports/kustomize.config.k8s.io';
import { k8s } from 'cdk8s-plus-29';
import { stringify } from 'yaml';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from './application-health-check';
import { ARGOCD_INSTALL_COMPONENT, ARGOCD_NAMESPACE } from './conventions';
import type { GroupKind, GroupKindName } from './scope';
import { argoCdSyncWaves } from './sync-waves';

/**
 * The Argo CD release this project installs, and upgrades by changing this line in a pull request.
 * @see https://github.com/argoproj/argo-cd/releases/tag/v3.5.1
 */
export const ARGO_CD_VERSION = 'v3.5.1';

/**
 * Upstream's cluster-wide install at the pinned tag, as a Kustomize remote base: the same manifests
 * as the release's install.yaml (CRDs, RBAC for every namespace, the seven workloads), fetched
 * by `kubectl apply -k` on the first day and by Argo CD's repo server afterwards; nothing of it is
 * copied here (declarative-setup.md, "Manage Argo CD Using Argo CD").
 */
export const ARGO_CD_INSTALL_BASE = `https://github.com/argoproj/argo-cd//manifests/cluster-install?ref=${ARGO_CD_VERSION}`;

/**
 * How long one sync may run before Argo CD terminates it (argocd-cmd-params-cm
 * `controller.sync.timeout.seconds`; 0, the default, never does). A sync waiting on something that
 * will never turn healthy then ends, and the retry (SYNC_RETRY) starts a fresh one on the newest
 * revision. 30 minutes is longer than a root's whole first sync on an empty Fargate cluster
 * (each wave waits one or two minutes per pod start), so a healthy bootstrap is never cut short.
 */
export const SYNC_TIMEOUT_SECONDS = 1800;

/**
 * The cluster-scoped objects upstream's cluster-install creates at ARGO_CD_VERSION, by exact name:
 * the bootstrap project allows these and no other (re-check them when bumping the version).
 */
export const ARGO_CD_CLUSTER_RESOURCES: readonly GroupKindName[] = [
  ...['applications', 'applicationsets', 'appprojects'].map((plural) => ({
    group: 'apiextensions.k8s.io',
    kind: 'CustomResourceDefinition',
    name: `${plural}.argoproj.io`,
  })),
  ...['ClusterRole', 'ClusterRoleBinding'].flatMap((kind) =>
    ['argocd-application-controller', 'argocd-applicationset-controller', 'argocd-server'].map((name) => ({
      group: 'rbac.authorization.k8s.io',
      kind,
      name,
    })),
  ),
];

/** The namespaced kinds of upstream's cluster-install, besides Argo CD's own. */
export const ARGO_CD_NAMESPACED_KINDS: readonly GroupKind[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'Secret' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
];

/** One Argo CD workload of the install, and the Fargate size its pod is given. */
export interface ArgoCdWorkload {
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
  readonly containers: readonly string[];
  readonly initContainers: readonly string[];
  /** Request and limit of every container, init containers included (Fargate sizes from the larger of the two). */
  readonly cpu: string;
  readonly memory: string;
}

/**
 * Requests equal to limits for every container of the install, which sets none (so Fargate gave
 * each pod 0.25 vCPU / 0.5 GB and any of them could be OOM-killed under load). Fargate adds
 * 256 MB to the memory request and rounds up (EKS user guide, fargate-pod-configuration), so each
 * memory figure is 256 MiB short of the size it names and the pod lands exactly on it:
 * - the application controller keeps every managed object of every cluster in memory and
 *   computes every diff: 1 vCPU / 2 GB;
 * - the repo server runs `kustomize build` and `helm template` (this overlay, cert-manager):
 *   0.5 vCPU / 1 GB;
 * - the API server, Redis cache, ApplicationSet and notifications controllers and Dex are light:
 *   the smallest size, 0.25 vCPU / 0.5 GB.
 * An init container gets the same figures as its pod's main container: it never raises the size.
 */
export const ARGO_CD_WORKLOADS: readonly ArgoCdWorkload[] = [
  { kind: 'StatefulSet', name: 'argocd-application-controller', containers: ['argocd-application-controller'], initContainers: [], cpu: '1', memory: '1792Mi' },
  { kind: 'Deployment', name: 'argocd-repo-server', containers: ['argocd-repo-server'], initContainers: ['copyutil'], cpu: '500m', memory: '768Mi' },
  { kind: 'Deployment', name: 'argocd-server', containers: ['argocd-server'], initContainers: [], cpu: '250m', memory: '256Mi' },
  { kind: 'Deployment', name: 'argocd-redis', containers: ['redis'], initContainers: ['secret-init'], cpu: '250m', memory: '256Mi' },
  { kind: 'Deployment', name: 'argocd-applicationset-controller', containers: ['argocd-applicationset-controller'], initContainers: [], cpu: '250m', memory: '256Mi' },
  { kind: 'Deployment', name: 'argocd-notifications-controller', containers: ['argocd-notifications-controller'], initContainers: [], cpu: '250m', memory: '256Mi' },
  { kind: 'Deployment', name: 'argocd-dex-server', containers: ['dex'], initContainers: ['copyutil'], cpu: '250m', memory: '256Mi' },
];

/**
 * The argocd-cm keys this project needs. They live here, in the install's own argocd-cm, so the
 * ConfigMap has one owner: a partial argocd-cm applied beside the install loses the install's keys
 * once Argo CD's client-side-apply migration moves their ownership (sync-options.md).
 */
export const ARGOCD_CM_DATA: Readonly<Record<string, string>> = { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA };

/** argocd-cmd-params-cm keys: the controller's sync timeout. */
export const ARGOCD_CMD_PARAMS_DATA: Readonly<Record<string, string>> = { 'controller.sync.timeout.seconds': String(SYNC_TIMEOUT_SECONDS) };

// No anchors or aliases for repeated values: each patch is plain YAML any Kustomize version reads.
const patchText = (object: Record<string, unknown>) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false });

const resourcesPatch = (workload: ArgoCdWorkload) => {
  const resources = { requests: { cpu: workload.cpu, memory: workload.memory }, limits: { cpu: workload.cpu, memory: workload.memory } };
  const spec: Record<string, unknown> = { containers: workload.containers.map((name) => ({ name, resources })) };
  if (workload.initContainers.length > 0) spec.initContainers = workload.initContainers.map((name) => ({ name, resources }));
  return {
    target: { group: 'apps', version: 'v1', kind: workload.kind, name: workload.name },
    patch: patchText({ apiVersion: 'apps/v1', kind: workload.kind, metadata: { name: workload.name }, spec: { template: { spec } } }),
  };
};

const configMapPatch = (name: string, data: Readonly<Record<string, string>>) => ({
  target: { version: 'v1', kind: 'ConfigMap', name },
  patch: patchText({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { ...data } }),
});

/**
 * `gitops/<env>/argocd-install/`: Argo CD itself, as a Kustomize overlay over upstream's
 * cluster-install at ARGO_CD_VERSION, with its namespace, resources sized for Fargate and the
 * argocd-cm and argocd-cmd-params-cm keys this project needs. Applied once by hand with
 * `kubectl apply -k`, then by its own Application (`<env>-argocd-install`, in the bootstrap
 * project), so upgrading Argo CD is a pull request that changes ARGO_CD_VERSION.
 */
export const argoCdInstallComponent: Component = {
  name: ARGOCD_INSTALL_COMPONENT,
  parameters: [],
  delivery: { syncWave: argoCdSyncWaves.argoCdInstall, namespace: ARGOCD_NAMESPACE },
  render(chart) {
    const namespace = new k8s.KubeNamespace(chart, 'namespace', {
      metadata: {
        name: ARGOCD_NAMESPACE,
        // Deleting the install's Application must never take the namespace, and with it every
        // Application, with it.
        annotations: { 'argocd.argoproj.io/sync-options': 'Delete=false' },
      },
    });
    new Kustomization(chart, 'kustomization', {
      metadata: { name: ARGOCD_INSTALL_COMPONENT },
      namespace: ARGOCD_NAMESPACE,
      resources: [`namespace-${namespace.name}.yaml`, ARGO_CD_INSTALL_BASE],
      patches: [
        configMapPatch('argocd-cm', ARGOCD_CM_DATA),
        configMapPatch('argocd-cmd-params-cm', ARGOCD_CMD_PARAMS_DATA),
        ...ARGO_CD_WORKLOADS.map(resourcesPatch),
      ],
    });
  },
};
