import { parameters } from '@gitops/contract';
import type { Component, DeliveredFolder, EnvironmentSpec, RenderedManifest, UpstreamSource } from '@gitops/core';
import type { ApplicationSpecSource } from '@gitops/schemas/imports/argoproj.io';
import type { Chart } from 'cdk8s';
import { ARGO_CD_CLUSTER_RESOURCES, ARGO_CD_NAMESPACED_KINDS, argoCdInstallComponent } from './argocd-install';
import { ArgoCdProject, type ProjectDestination } from './argocd-project';
import { AutoSyncedApplication } from './auto-synced-application';
import {
  ARGOCD_COMPONENT,
  ARGOCD_INSTALL_COMPONENT,
  ARGOCD_NAMESPACE,
  applicationName,
  BOOTSTRAP_PROJECT,
  IN_CLUSTER,
  repositoryPath,
  rootApplicationName,
} from './conventions';
import { folderScope } from './folder-scope';
import { parseClusterResource, type GroupKind, type GroupKindName } from './scope';
import { SpokeClusterSecret, type SpokeClusterSecretProps } from './spoke-cluster-secret';
import { argoCdSyncWaves } from './sync-waves';
import { argoCdPlacement, type ArgoCdPlacement } from './topology';

/** What the hub reads of each spoke to register its cluster. */
export const SPOKE_PARAMETERS = [parameters.clusterEndpoint, parameters.clusterCertificateAuthority, parameters.argocdDeployerRoleArn];

/**
 * Namespaces every EKS cluster has from its creation. An upstream source installed into one needs
 * no CreateNamespace, and its project then need not be allowed that Namespace.
 */
const CLUSTER_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system']);

/** Whether Argo CD creates the upstream source's namespace (`CreateNamespace=true`). */
function createsNamespace(upstream: UpstreamSource): boolean {
  return !CLUSTER_NAMESPACES.has(upstream.namespace);
}

/** Argo CD's own kinds: only the bootstrap project may create them. */
const ARGO_CD_KINDS: readonly GroupKind[] = [
  { group: 'argoproj.io', kind: 'Application' },
  { group: 'argoproj.io', kind: 'ApplicationSet' },
  { group: 'argoproj.io', kind: 'AppProject' },
];

/** A component folder as Argo CD reads it: plain manifests, that folder only; or, for the install, its kustomization. */
function folderSource(env: EnvironmentSpec, folder: string, tool: 'directory' | 'kustomize' = 'directory'): ApplicationSpecSource {
  return {
    repoUrl: env.argocd.repoURL,
    targetRevision: env.argocd.targetRevision,
    path: repositoryPath(env.name, folder),
    // Stated explicitly so that a Chart.yaml or kustomization.yaml in the folder can never turn
    // it into a Helm or Kustomize app (Argo CD detects the tool when none is set), and so that a
    // subfolder is never read (recursion is off by default; kept visible here).
    ...(tool === 'kustomize' ? { kustomize: {} } : { directory: { recurse: false } }),
  };
}

function upstreamSource(upstream: UpstreamSource): ApplicationSpecSource {
  const pinned = { repoUrl: upstream.repoURL, targetRevision: upstream.targetRevision };
  if (upstream.chart) {
    return {
      ...pinned,
      chart: upstream.chart,
      // The release name names the chart's objects; left unset it would be the Application's
      // env-prefixed name.
      helm: { releaseName: upstream.name, ...(upstream.helmValues ? { valuesObject: upstream.helmValues } : {}) },
    };
  }
  const tool = upstream.tool === 'directory' ? { directory: { recurse: false } } : upstream.tool === 'kustomize' ? { kustomize: {} } : {};
  return { ...pinned, ...(upstream.path ? { path: upstream.path } : {}), ...tool };
}

/** How the hub reaches a spoke, read from the spoke's SSM parameters. */
type SpokeConnection = Omit<SpokeClusterSecretProps, 'clusterName'>;

interface ArgoCdObjectsProps {
  readonly env: EnvironmentSpec;
  readonly components: readonly DeliveredFolder[];
  /** Whether this env's folder set includes Argo CD's own install (`argocd-install/`). */
  readonly installsArgoCd: boolean;
  readonly rendered: readonly RenderedManifest[];
  readonly placement: ArgoCdPlacement;
  readonly spokeConnection: (spoke: EnvironmentSpec) => SpokeConnection;
}

function renderArgoCdObjects(chart: Chart, { env, components, installsArgoCd, rendered, placement, spokeConnection }: ArgoCdObjectsProps): void {
  const cluster = placement.clusterName;
  const sourceRepos = [env.argocd.repoURL];
  const destinations: ProjectDestination[] = [];
  const clusterResources: GroupKindName[] = [];

  const manifestsOf = new Map<string, RenderedManifest['manifest'][]>();
  for (const object of rendered) {
    if (!manifestsOf.has(object.component)) manifestsOf.set(object.component, []);
    manifestsOf.get(object.component)!.push(object.manifest);
  }
  for (const component of components) {
    const scope = folderScope(component, manifestsOf.get(component.name) ?? []);
    new AutoSyncedApplication(chart, `folder-${component.name}`, {
      name: applicationName(env.name, component.name),
      project: env.name,
      syncWave: component.delivery?.syncWave ?? 0,
      source: folderSource(env, component.name),
      cluster,
      ...(scope.destinationNamespace ? { namespace: scope.destinationNamespace } : {}),
      ...(component.delivery?.ignoreDifferences ? { ignoreDifferences: component.delivery.ignoreDifferences } : {}),
    });
    destinations.push(...scope.namespaces.map((namespace) => ({ cluster, namespace })));
    // An Application without a destination namespace matches only a project destination
    // without one (Argo CD's glob of "" matches only ""); its objects still need theirs listed.
    if (!scope.destinationNamespace) destinations.push({ cluster });
    clusterResources.push(...scope.clusterResources);

    for (const upstream of component.upstream ?? []) {
      new AutoSyncedApplication(chart, `upstream-${upstream.name}`, {
        name: applicationName(env.name, upstream.name),
        project: env.name,
        syncWave: upstream.syncWave,
        source: upstreamSource(upstream),
        cluster,
        namespace: upstream.namespace,
        ...(upstream.ignoreDifferences ? { ignoreDifferences: upstream.ignoreDifferences } : {}),
        // An upstream chart or folder may expect its namespace to exist already.
        ...(createsNamespace(upstream) ? { extraSyncOptions: ['CreateNamespace=true'] } : {}),
      });
      sourceRepos.push(upstream.repoURL);
      destinations.push({ cluster, namespace: upstream.namespace });
      // The Namespace CreateNamespace=true makes is checked against the project like any other
      // cluster-scoped object: without it in the whitelist the sync fails with "resource
      // :Namespace is not permitted in project" (argoproj/argo-cd#20233, #22869), on an empty
      // cluster forever.
      if (createsNamespace(upstream)) clusterResources.push({ group: '', kind: 'Namespace', name: upstream.namespace });
      clusterResources.push(...upstream.clusterResources.map(parseClusterResource));
    }
  }

  new ArgoCdProject(chart, 'project', {
    name: env.name,
    description:
      `Everything env ${env.name} runs, on cluster ${env.cluster.name}: exactly the namespaces and cluster-scoped kinds ` +
      `its folders and pinned upstream sources deploy, cluster-scoped ones by name. Never the ${ARGOCD_NAMESPACE} namespace, never Argo CD's own kinds.`,
    sourceRepos,
    destinations,
    clusterResources,
    namespacedResourcesDenied: ARGO_CD_KINDS,
  });

  if (placement.hub) return;

  // This env runs the Argo CD: its root, its bootstrap project, its settings and its spokes.
  const bootstrap = (name: string, id: string, from: EnvironmentSpec, syncWave: number) =>
    new AutoSyncedApplication(chart, id, {
      name,
      project: BOOTSTRAP_PROJECT,
      syncWave,
      source: folderSource(from, ARGOCD_COMPONENT),
      cluster: IN_CLUSTER,
      namespace: ARGOCD_NAMESPACE,
      root: true,
    });
  bootstrap(rootApplicationName(env.name), 'root', env, argoCdSyncWaves.root);
  const install = installsArgoCd ? rendered.filter((object) => object.component === ARGOCD_INSTALL_COMPONENT).map((object) => object.manifest) : [];
  if (installsArgoCd) {
    // Argo CD's own installation, kept equal to gitops/<env>/argocd-install/ like any folder, but,
    // like a root, without the resources finalizer: deleting this Application must never delete
    // Argo CD. Server-side apply is required for it (declarative-setup.md: some CRDs exceed the
    // client-side annotation limit).
    new AutoSyncedApplication(chart, 'argocd-install', {
      name: applicationName(env.name, ARGOCD_INSTALL_COMPONENT),
      project: BOOTSTRAP_PROJECT,
      syncWave: argoCdSyncWaves.argoCdInstall,
      source: folderSource(env, ARGOCD_INSTALL_COMPONENT, 'kustomize'),
      cluster: IN_CLUSTER,
      namespace: ARGOCD_NAMESPACE,
      root: true,
    });
  }
  for (const spoke of placement.spokes) {
    new SpokeClusterSecret(chart, `cluster-${spoke.name}`, { clusterName: spoke.cluster.name, ...spokeConnection(spoke) });
    bootstrap(rootApplicationName(spoke.name), `root-${spoke.name}`, spoke, argoCdSyncWaves.spokeRoots);
  }
  new ArgoCdProject(chart, 'bootstrap', {
    name: BOOTSTRAP_PROJECT,
    description:
      `Argo CD itself and its own objects in namespace ${ARGOCD_NAMESPACE}: its installation, the root Applications, ` +
      "every env's Applications and AppProjects and the cluster Secrets of spokes. Whoever can change a " +
      'gitops/<env>/argocd/ or argocd-install/ folder administers this Argo CD.',
    sourceRepos: [env, ...placement.spokes].map((served) => served.argocd.repoURL),
    // Cluster-scoped objects (the install's Namespace, CRDs, ClusterRoles) are checked against
    // the whitelist below, not against destinations.
    destinations: [{ cluster: IN_CLUSTER, namespace: ARGOCD_NAMESPACE }],
    clusterResources: installsArgoCd
      ? [...folderScope(argoCdInstallComponent, install.filter(isApplied)).clusterResources, ...ARGO_CD_CLUSTER_RESOURCES]
      : [],
    namespacedResourcesAllowed: [
      { group: 'argoproj.io', kind: 'Application' },
      { group: 'argoproj.io', kind: 'AppProject' },
      ...(installsArgoCd ? ARGO_CD_NAMESPACED_KINDS : [{ group: '', kind: 'ConfigMap' }]),
      ...(placement.spokes.length > 0 ? [{ group: '', kind: 'Secret' }] : []),
    ],
  });
}

/**
 * All the argocd component reads of another folder's object: what folderScope and isApplied
 * look at (API version, kind, name, namespace). Its output stays cached while these do.
 */
function headOf(manifest: Readonly<Record<string, any>>): Readonly<Record<string, any>> {
  const { name, namespace } = manifest.metadata ?? {};
  return { apiVersion: manifest.apiVersion, kind: manifest.kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }) } };
}

/** Objects Argo CD applies; the kustomization.yaml is read by Kustomize, never applied. */
const isApplied = (manifest: Readonly<Record<string, any>>) => !String(manifest.apiVersion).startsWith('kustomize.config.k8s.io/');

/**
 * The `argocd` component of an env, rendered last, from the env's other components:
 *
 * - always: the env's AppProject and one auto-synced Application per component folder and per
 *   upstream source, each in its component's sync wave, targeting the env's cluster;
 * - when the env runs its own Argo CD (no `managedBy`): the root Application managing this folder,
 *   the bootstrap project, the Application health check, and for every spoke its cluster Secret
 *   and its root Application (which syncs the spoke's own `argocd/` folder into this Argo CD).
 *
 * `components` are the env's other components; `environments` every env of the workspace, where
 * the hub finds its spokes. Check the topology first (`checkArgoCdTopology`).
 */
export function argoCdComponent(
  env: EnvironmentSpec,
  components: readonly DeliveredFolder[],
  environments: ReadonlyMap<string, EnvironmentSpec>,
  installsArgoCd = false,
): Component {
  const placement = argoCdPlacement(env, environments);
  return {
    name: ARGOCD_COMPONENT,
    parameters: [],
    crossEnvParameters: placement.spokes.map((spoke) => ({ env: spoke, parameters: SPOKE_PARAMETERS })),
    viewOfBefore: headOf,
    render(chart, ctx) {
      if (!ctx.renderedBefore) {
        throw new Error("the argocd component derives its project from ctx.renderedBefore, the objects of the env's other components");
      }
      renderArgoCdObjects(chart, {
        env,
        components,
        installsArgoCd: installsArgoCd && !placement.hub,
        rendered: ctx.renderedBefore,
        placement,
        spokeConnection: (spoke) => ({
          server: ctx.param(parameters.clusterEndpoint, spoke),
          caData: ctx.param(parameters.clusterCertificateAuthority, spoke),
          roleArn: ctx.param(parameters.argocdDeployerRoleArn, spoke),
        }),
      });
    },
  };
}

/**
 * The Argo CD folders of an env, to list after its other components: for an env that runs its
 * own Argo CD, `argocd-install/` (Argo CD itself) and then `argocd/`; for a spoke, `argocd/` only.
 */
export function argoCdComponents(
  env: EnvironmentSpec,
  components: readonly DeliveredFolder[],
  environments: ReadonlyMap<string, EnvironmentSpec>,
): Component[] {
  const runsArgoCd = !argoCdPlacement(env, environments).hub;
  return [...(runsArgoCd ? [argoCdInstallComponent] : []), argoCdComponent(env, components, environments, runsArgoCd)];
}
