import type { ArgoCdSettings, FargateProfileSpec, FluentBitParameters } from '@gitops/core';

// What every environment has in common; each clusters/<env>/env.ts states only what differs.

export const region = 'ap-northeast-1';

/** This repository, as every env's Argo CD reads it. */
export const argocd: ArgoCdSettings = {
  repoURL: 'https://github.com/example-org/fargate-gitops.git',
  targetRevision: 'main',
};

/**
 * One profile for the platform's namespaces (CoreDNS and the controller in kube-system,
 * cert-manager, Argo CD, External Secrets Operator) and one for the apps. A pod in a namespace no profile selects stays
 * Pending forever, so synth checks every rendered pod against these, and infra creates exactly these.
 */
export const fargateProfiles: readonly FargateProfileSpec[] = [
  { name: 'platform', selectors: [{ namespace: 'kube-system' }, { namespace: 'cert-manager' }, { namespace: 'argocd' }, { namespace: 'external-secrets' }] },
  { name: 'apps', selectors: [{ namespace: 'web' }, { namespace: 'api' }, { namespace: 'worker' }, { namespace: 'admin' }] },
];

/**
 * Drops health-check access lines: kubelet probes and ALB target health checks identify
 * themselves by user agent, and they are most of an idle service's log volume.
 */
export const dropHealthChecks: FluentBitParameters = { Name: 'grep', Match: 'kube.*', Exclude: 'log (kube-probe|ELB-HealthChecker)/' };
