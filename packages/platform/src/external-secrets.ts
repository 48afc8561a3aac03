import { externalSecretsController, type Component, type UpstreamSource } from '@gitops/core';
import { k8s } from 'cdk8s-plus-29';
import { platformSyncWaves } from './sync-waves';
import { EXTERNAL_SECRETS_VERSION } from './versions';

/** External Secrets Operator's namespace; the env's Fargate profiles must select it. */
export const EXTERNAL_SECRETS_NAMESPACE = externalSecretsController.namespace;

/**
 * The webhook's port. The chart's default is 10250 (values.yaml `webhook.port`), the port the
 * Fargate kubelet holds in the pod's own network namespace, so a webhook there never serves; the
 * same reason cert-manager's webhook moves to 10260.
 */
export const EXTERNAL_SECRETS_WEBHOOK_PORT = 10260;

/**
 * Requests equal to limits for each ESO pod: Fargate sizes a pod from its requests plus 256 MB
 * and runs it as guaranteed; each of these lands on the smallest size, 0.25 vCPU / 0.5 GB (EKS
 * user guide, fargate-pod-configuration).
 */
const fargateResources = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { cpu, memory } });

/**
 * Non-root, read-only, no privilege escalation, no capabilities: the chart's defaults
 * (values.yaml `securityContext`), stated here so a changed default cannot loosen them.
 */
const hardened = {
  // The chart renders a pod securityContext only with a field beside `enabled` (deployment.yaml).
  podSecurityContext: { enabled: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  securityContext: {
    enabled: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 1000,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
};

/**
 * External Secrets Operator, installed by Argo CD from its Helm chart at a pinned version, with
 * its CRDs. It syncs app secrets from AWS into Secrets of the apps' namespaces, authenticating
 * per SecretStore as the app's own service account; the controller itself has no AWS identity.
 */
export function externalSecretsSource(version: string = EXTERNAL_SECRETS_VERSION): UpstreamSource {
  return {
    name: 'external-secrets',
    repoURL: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    targetRevision: version,
    namespace: EXTERNAL_SECRETS_NAMESPACE,
    syncWave: platformSyncWaves.externalSecrets,
    helmValues: {
      // The chart installs the CRDs as templates, so they are created, and upgraded, before
      // anything uses them: the apps' Applications sync in later waves.
      installCRDs: true,
      serviceAccount: { name: externalSecretsController.serviceAccount },
      // Only namespaced SecretStores and ExternalSecrets. A ClusterSecretStore could name any
      // namespace's service account, so any namespace could read any app's secrets through it;
      // cluster-wide ExternalSecrets, PushSecrets (writing to AWS) and cluster generators are
      // not used. Each flag switches the controller's reconciler off (chart deployment.yaml).
      processClusterStore: false,
      processClusterExternalSecret: false,
      processClusterPushSecret: false,
      processPushSecret: false,
      processClusterGenerator: false,
      rbac: {
        // Without this the controller may request a token for every service account of the
        // cluster; each app's folder grants it for the app's own account instead (values.yaml
        // `rbac.serviceAccountTokenCreate`, packages/app secret-store.ts).
        serviceAccountTokenCreate: false,
      },
      resources: fargateResources('200m', '256Mi'),
      ...hardened,
      webhook: {
        port: EXTERNAL_SECRETS_WEBHOOK_PORT,
        resources: fargateResources('100m', '128Mi'),
        ...hardened,
      },
      certController: {
        resources: fargateResources('100m', '192Mi'),
        ...hardened,
      },
    },
    // By name (chart 2.9.0 templates): its two validating webhooks, the CRDs of
    // external-secrets.io and generators.external-secrets.io, and the ClusterRoles and bindings
    // named after the release.
    clusterResources: [
      'admissionregistration.k8s.io/ValidatingWebhookConfiguration externalsecret-validate',
      'admissionregistration.k8s.io/ValidatingWebhookConfiguration secretstore-validate',
      'apiextensions.k8s.io/CustomResourceDefinition *.external-secrets.io',
      'rbac.authorization.k8s.io/ClusterRole external-secrets-*',
      'rbac.authorization.k8s.io/ClusterRoleBinding external-secrets-*',
    ],
    runsPods: true,
    // ESO's cert controller writes its webhook's CA into the webhook configuration.
    ignoreDifferences: [
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
    ],
  };
}

/**
 * `gitops/<env>/external-secrets-namespace/`: ESO's namespace, held to Pod Security `restricted` (every
 * ESO pod runs non-root with no capabilities), and the chart as an upstream source after it.
 */
export function externalSecretsComponent(version: string = EXTERNAL_SECRETS_VERSION): Component {
  return {
    // Not `external-secrets`: that is the chart's Application (and Helm release) name.
    name: 'external-secrets-namespace',
    parameters: [],
    delivery: { syncWave: platformSyncWaves.externalSecretsNamespace, namespace: EXTERNAL_SECRETS_NAMESPACE },
    upstream: [externalSecretsSource(version)],
    render(chart) {
      new k8s.KubeNamespace(chart, 'namespace', {
        metadata: {
          name: EXTERNAL_SECRETS_NAMESPACE,
          labels: { 'app.kubernetes.io/name': 'external-secrets', 'pod-security.kubernetes.io/enforce': 'restricted' },
        },
      });
    },
  };
}
