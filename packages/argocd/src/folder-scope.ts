import type { DeliveredFolder } from '@gitops/core';
import { groupOf, isClusterScoped, type GroupKindName } from './scope';

/** What one component folder deploys, as its Application and project need to know it. */
export interface FolderScope {
  /**
   * The Application's destination namespace: the component's `delivery.namespace`, else the one
   * namespace all its namespaced objects name; none when they name several or there are none.
   */
  readonly destinationNamespace?: string;
  /** Every namespace its objects are applied to. */
  readonly namespaces: readonly string[];
  /** Its cluster-scoped objects, each as group, kind and exact name. */
  readonly clusterResources: readonly GroupKindName[];
}

/** The scope of a component folder, from the objects it rendered. */
export function folderScope(component: Pick<DeliveredFolder, 'delivery'>, manifests: readonly Readonly<Record<string, any>>[]): FolderScope {
  const namespaces = new Set<string>();
  const clusterResources = new Map<string, GroupKindName>();
  for (const manifest of manifests) {
    const apiVersion = String(manifest.apiVersion);
    const kind = String(manifest.kind);
    if (isClusterScoped(apiVersion, kind)) {
      const group = groupOf(apiVersion);
      const name = String(manifest.metadata?.name);
      clusterResources.set(`${group}/${kind}/${name}`, { group, kind, name });
      continue;
    }
    const namespace = manifest.metadata?.namespace;
    if (typeof namespace === 'string' && namespace !== '') namespaces.add(namespace);
  }
  const declared = component.delivery?.namespace;
  const destinationNamespace = declared ?? (namespaces.size === 1 ? [...namespaces][0] : undefined);
  // Objects naming no namespace land in the declared one, and the Application's own destination
  // must be one its project allows.
  if (declared) namespaces.add(declared);
  return { ...(destinationNamespace ? { destinationNamespace } : {}), namespaces: [...namespaces].sort(), clusterResources: [...clusterResources.values()] };
}
