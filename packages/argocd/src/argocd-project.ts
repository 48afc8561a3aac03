import { AppProject } from '@gitops/schemas/imports/argoproj.io';
import { Construct } from 'constructs';
import { ARGOCD_NAMESPACE } from './conventions';
import type { GroupKind } from './scope';
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
  /** Cluster-scoped kinds the project may create. Empty allows none. */
  readonly clusterResources: readonly GroupKind[];
  /** Namespaced kinds the project may create. @default every kind not in namespacedResourcesDenied */
  readonly namespacedResourcesAllowed?: readonly GroupKind[];
  /** Namespaced kinds the project may never create. @default none */
  readonly namespacedResourcesDenied?: readonly GroupKind[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortedKinds = (kinds: readonly GroupKind[]) =>
  [...new Map(kinds.map(({ group, kind }) => [`${group}/${kind}`, { group, kind }])).values()].sort(
    (a, b) => compare(a.group, b.group) || compare(a.kind, b.kind),
  );

/**
 * An AppProject listing exactly what its Applications need, nothing as a glob: a repository,
 * cluster, namespace or cluster-scoped kind that is not listed is refused at sync time, and a
 * new one shows up in review as a change to this file.
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
        annotations: { 'argocd.argoproj.io/sync-wave': String(argoCdSyncWaves.projects) },
      },
      spec: {
        description: props.description,
        sourceRepos: [...new Set(props.sourceRepos)].sort(compare),
        destinations,
        // Argo CD reads a missing or empty whitelist as "no cluster-scoped kind at all".
        ...(props.clusterResources.length > 0 ? { clusterResourceWhitelist: sortedKinds(props.clusterResources) } : {}),
        ...(props.namespacedResourcesAllowed ? { namespaceResourceWhitelist: sortedKinds(props.namespacedResourcesAllowed) } : {}),
        ...(props.namespacedResourcesDenied ? { namespaceResourceBlacklist: sortedKinds(props.namespacedResourcesDenied) } : {}),
      },
    });
  }
}
