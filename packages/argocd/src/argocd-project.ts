import { SYNC_WAVE_ANNOTATION } from '@gitops/core';
import { AppProject } from '@gitops/schemas/imports/argoproj.io';
import { Construct } from 'constructs';
import { ARGOCD_NAMESPACE } from './conventions';
import type { GroupKind, GroupKindName } from './scope';
import { argoCdSyncWaves } from './sync-waves';

/** A cluster and namespace an Application of the project may deploy to. */
export interface ProjectDestination {
  /** Registered cluster name. */
  readonly cluster: string;
  /** Exact namespace; none allows only Applications that set no destination namespace. */
  readonly namespace?: string;
}

export interface ArgoCdProjectProps {
  readonly name: string;
  readonly description: string;
  /** Repository URLs the project's Applications may read (exact, no globs). */
  readonly sourceRepos: readonly string[];
  readonly destinations: readonly ProjectDestination[];
  /** Cluster-scoped objects the project may create, by kind and name glob. Empty allows none. */
  readonly clusterResources: readonly GroupKindName[];
  /** Namespaced kinds the project may create. @default every kind not in namespacedResourcesDenied */
  readonly namespacedResourcesAllowed?: readonly GroupKind[];
  /** Namespaced kinds the project may never create. @default none */
  readonly namespacedResourcesDenied?: readonly GroupKind[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortedNamedKinds = (kinds: readonly GroupKindName[]) =>
  [...new Map(kinds.map((item) => [`${item.group}/${item.kind}/${item.name ?? ''}`, item])).values()]
    .sort((a, b) => compare(a.group, b.group) || compare(a.kind, b.kind) || compare(a.name ?? '', b.name ?? ''))
    .map(({ group, kind, name }) => ({ group, kind, ...(name !== undefined ? { name } : {}) }));
const sortedKinds = (kinds: readonly GroupKind[]) =>
  [...new Map(kinds.map(({ group, kind }) => [`${group}/${kind}`, { group, kind }])).values()].sort(
    (a, b) => compare(a.group, b.group) || compare(a.kind, b.kind),
  );

/**
 * An AppProject listing exactly what its Applications need: a repository, cluster, namespace or
 * cluster-scoped object that is not listed is refused at sync time, and a new one shows up in
 * review as a change to this file. Cluster-scoped objects are listed by name (Argo CD's
 * `clusterResourceWhitelist[].name` glob): exact names for what synth renders, the globs an
 * upstream source declares for what it installs.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/projects/
 */
export class ArgoCdProject extends Construct {
  constructor(scope: Construct, id: string, props: ArgoCdProjectProps) {
    super(scope, id);
    const unique = new Map(props.destinations.map((destination) => [`${destination.cluster}/${destination.namespace ?? ''}`, destination]));
    const destinations = [...unique.values()]
      .sort((a, b) => compare(a.cluster, b.cluster) || compare(a.namespace ?? '', b.namespace ?? ''))
      .map((destination) => ({ name: destination.cluster, ...(destination.namespace ? { namespace: destination.namespace } : {}) }));
    new AppProject(this, 'project', {
      metadata: {
        name: props.name,
        namespace: ARGOCD_NAMESPACE,
        annotations: { [SYNC_WAVE_ANNOTATION]: String(argoCdSyncWaves.projects) },
      },
      spec: {
        description: props.description,
        sourceRepos: [...new Set(props.sourceRepos)].sort(compare),
        destinations,
        // Argo CD reads a missing or empty whitelist as "no cluster-scoped kind at all".
        ...(props.clusterResources.length > 0 ? { clusterResourceWhitelist: sortedNamedKinds(props.clusterResources) } : {}),
        ...(props.namespacedResourcesAllowed ? { namespaceResourceWhitelist: sortedKinds(props.namespacedResourcesAllowed) } : {}),
        ...(props.namespacedResourcesDenied ? { namespaceResourceBlacklist: sortedKinds(props.namespacedResourcesDenied) } : {}),
      },
    });
  }
}
