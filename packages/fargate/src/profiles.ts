import type { FargateProfileSpec, FargateSelector } from '@gitops/core';

// Fargate profile selectors match with `*` (any run of characters) and `?` (one character)
// (EKS UG, fargate-profile.adoc).
function glob(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Whether a selector picks a pod of this namespace with these labels (every selector label must match). */
export function selectorMatches(selector: FargateSelector, namespace: string, labels: Readonly<Record<string, string>>): boolean {
  if (!glob(selector.namespace).test(namespace)) return false;
  return Object.entries(selector.labels ?? {}).every(([key, value]) => {
    const keyPattern = glob(key);
    const valuePattern = glob(value);
    return Object.entries(labels).some(([k, v]) => keyPattern.test(k) && valuePattern.test(v));
  });
}

/**
 * The profile that runs such a pod: of all that match, Fargate picks the alphabetically first
 * (EKS UG, fargate-profile.adoc); undefined when none does and the pod would stay Pending.
 */
export function profileFor(
  profiles: readonly FargateProfileSpec[],
  namespace: string,
  labels: Readonly<Record<string, string>>,
): FargateProfileSpec | undefined {
  return [...profiles]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .find((profile) => profile.selectors.some((selector) => selectorMatches(selector, namespace, labels)));
}
