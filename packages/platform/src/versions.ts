/**
 * The one place the platform's upstream versions are pinned. The controller's image, its CRDs
 * (fetched by Argo CD from the same Git tag) and every `app.kubernetes.io/version` label follow
 * AWS_LOAD_BALANCER_CONTROLLER_VERSION; cert-manager's Helm chart follows CERT_MANAGER_VERSION.
 */

/**
 * AWS Load Balancer Controller release: v3.5.0 (2026-08), the current one; v2 gets no more
 * releases. Its chart is also 3.5.0 (eks-charts jumped from 1.17.1 to 3.x). Its IAM policy
 * (docs/install/iam_policy.json) is byte-identical to v2.17.1's; v3 turns the Gateway API gates on
 * by default, which deployment.ts switches off by name.
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/releases/tag/v3.5.0
 */
export const AWS_LOAD_BALANCER_CONTROLLER_VERSION = 'v3.5.0';

/**
 * cert-manager Helm chart version (Jetstack chart versions carry the `v`). The project's
 * cert-manager CRD schemas (packages/schemas/crds/cert-manager-*.yaml) describe this release.
 * @see https://github.com/cert-manager/cert-manager/releases/tag/v1.21.1
 */
export const CERT_MANAGER_VERSION = 'v1.21.1';

/**
 * External Secrets Operator Helm chart version (no `v`; it equals the app version v2.9.0, whose
 * tag's Chart.yaml still read 2.8.0: the chart was published from tag helm-chart-2.9.0). The
 * project's SecretStore and ExternalSecret schemas (packages/schemas/crds/external-secrets.yaml)
 * describe its external-secrets.io/v1 API.
 * @see https://github.com/external-secrets/external-secrets/releases/tag/helm-chart-2.9.0
 */
export const EXTERNAL_SECRETS_VERSION = '2.9.0';

/**
 * ExternalDNS release: the image tag of its Deployment and its version labels. v0.22.0 is the
 * latest app release (its chart 1.21.1 still ships 0.21.0, so the Deployment is rendered here).
 * @see https://github.com/kubernetes-sigs/external-dns/releases/tag/v0.22.0
 */
export const EXTERNAL_DNS_VERSION = 'v0.22.0';
