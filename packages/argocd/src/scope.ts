import { customKinds } from '@gitops/schemas';

// Cluster-scoped kinds of the Kubernetes 1.29 API (`kubectl api-resources --namespaced=false`
// on a 1.29 cluster, alpha and beta groups included). Every other built-in kind is namespaced.
const CLUSTER_SCOPED_BUILT_INS = new Set([
  '/ComponentStatus',
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'authentication.k8s.io/SelfSubjectReview',
  'authentication.k8s.io/TokenReview',
  'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
  'authorization.k8s.io/SubjectAccessReview',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'internal.apiserver.k8s.io/StorageVersion',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'node.k8s.io/RuntimeClass',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'resource.k8s.io/ResourceClass',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
]);

/** An API group and kind, as Argo CD's project whitelists name them (`''` is the core group). */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

/** A cluster-scoped kind, and the object names (an Argo CD glob) a project allows of it. */
export interface GroupKindName extends GroupKind {
  /** Name glob (`clusterResourceWhitelist[].name`, Go filepath.Match syntax per the v3.5.1 AppProject CRD: `*` spans dots and colons); every name when unset. */
  readonly name?: string;
}

/**
 * Cluster-scoped kinds a project may allow only by name: with any name, a folder could bind
 * cluster-admin, admit or mutate every object, or redefine any API.
 */
export const NAME_REQUIRED_KINDS: readonly string[] = [
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/CustomResourceDefinition',
];

/**
 * `rbac.authorization.k8s.io/ClusterRole cert-manager-*` → group, kind and name glob; without the
 * name part, every name (refused for NAME_REQUIRED_KINDS by the delivery check).
 */
export function parseClusterResource(text: string): GroupKindName {
  const [groupKind, name] = text.trim().split(/\s+/, 2);
  return { ...parseGroupKind(groupKind!), ...(name ? { name } : {}) };
}

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** `apiextensions.k8s.io/CustomResourceDefinition` or `Namespace` (core) → group and kind. */
export function parseGroupKind(text: string): GroupKind {
  const slash = text.lastIndexOf('/');
  return slash === -1 ? { group: '', kind: text } : { group: text.slice(0, slash), kind: text.slice(slash + 1) };
}

let clusterScopedCustom: Set<string> | undefined;

/**
 * Whether objects of this kind live outside namespaces: the built-in list above, or the scope
 * of the project's own CRD (packages/schemas/crds). Argo CD checks these against a project's
 * clusterResourceWhitelist, and namespaced ones against its destinations.
 */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  clusterScopedCustom ??= new Set(
    customKinds()
      .filter((custom) => custom.scope === 'Cluster')
      .map((custom) => `${groupOf(custom.apiVersion)}/${custom.kind}`),
  );
  const key = `${groupOf(apiVersion)}/${kind}`;
  return CLUSTER_SCOPED_BUILT_INS.has(key) || clusterScopedCustom.has(key);
}
