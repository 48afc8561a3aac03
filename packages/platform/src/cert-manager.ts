import type { UpstreamSource } from '@gitops/core';
import { platformSyncWaves } from './sync-waves';
import { CERT_MANAGER_VERSION } from './versions';

/** cert-manager's namespace; the env's Fargate profiles must select it. */
export const CERT_MANAGER_NAMESPACE = 'cert-manager';

/**
 * Requests equal to limits for each cert-manager pod: Fargate sizes a pod from its requests plus
 * 256 MB and runs it as guaranteed; these all land on the smallest size, 0.25 vCPU / 0.5 GB
 * (EKS user guide, fargate-pod-configuration).
 */
const fargateResources = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { cpu, memory } });

/** Non-root, read-only, no privilege escalation: stated here rather than trusted to chart defaults. */
const podSecurityContext = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const containerSecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};
const hardened = { securityContext: podSecurityContext, containerSecurityContext };

/**
 * cert-manager, installed by Argo CD from the Jetstack Helm chart at a pinned version. It issues
 * the controller's webhook certificate; its own webhook must be up before the controller's
 * Issuers and Certificates can be applied, hence its earlier wave.
 */
export const certManagerSource: UpstreamSource = {
  name: 'cert-manager',
  repoURL: 'https://charts.jetstack.io',
  chart: 'cert-manager',
  targetRevision: CERT_MANAGER_VERSION,
  namespace: CERT_MANAGER_NAMESPACE,
  syncWave: platformSyncWaves.certManager,
  helmValues: {
    // The chart installs and upgrades its CRDs as templates (unlike Helm's crds/ folder), and
    // keeps them if the release is removed, so Certificates survive an uninstall.
    crds: { enabled: true, keep: true },
    global: {
      // Keep cert-manager's leader-election Leases in its own namespace instead of kube-system,
      // so its Application touches one namespace only.
      leaderElection: { namespace: CERT_MANAGER_NAMESPACE },
    },
    resources: fargateResources('100m', '192Mi'),
    ...hardened,
    webhook: {
      // Fargate runs the kubelet on 10250, the webhook's default port, in the pod's own network
      // namespace; the webhook must listen elsewhere (cert-manager compatibility notes, #3237).
      securePort: 10260,
      resources: fargateResources('100m', '128Mi'),
      ...hardened,
    },
    cainjector: {
      resources: fargateResources('100m', '192Mi'),
      ...hardened,
    },
    // The post-install API check is the one gate built for "the webhook really admits": a Job
    // that creates a dry-run Certificate until the webhook answers. Argo CD runs the chart's
    // post-install hook as a PostSync hook, so this Application turns Healthy, and the
    // controller's wave starts, only once cert-manager's API works end to end (a Deployment
    // that is Ready says nothing of the CA bundle the injector writes into the webhook). On
    // Fargate the first webhook pod needs a minute or two to start, past the chart's 1m
    // default, hence 5m. The Job is one small pod per sync, deleted when it succeeds.
    startupapicheck: {
      enabled: true,
      timeout: '5m',
      resources: fargateResources('50m', '64Mi'),
      ...hardened,
    },
  },
  // By name: the release name `cert-manager` prefixes every ClusterRole, binding and webhook
  // configuration of the chart, and its CRDs are all of the cert-manager.io and
  // acme.cert-manager.io groups.
  clusterResources: [
    'admissionregistration.k8s.io/MutatingWebhookConfiguration cert-manager-webhook',
    'admissionregistration.k8s.io/ValidatingWebhookConfiguration cert-manager-webhook',
    'apiextensions.k8s.io/CustomResourceDefinition *.cert-manager.io',
    'rbac.authorization.k8s.io/ClusterRole cert-manager-*',
    'rbac.authorization.k8s.io/ClusterRoleBinding cert-manager-*',
  ],
  runsPods: true,
  // cert-manager's CA injector writes its own webhook's CA into both configurations.
  ignoreDifferences: [
    {
      group: 'admissionregistration.k8s.io',
      kind: 'MutatingWebhookConfiguration',
      jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
    },
    {
      group: 'admissionregistration.k8s.io',
      kind: 'ValidatingWebhookConfiguration',
      jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
    },
  ],
};
