/**
 * The one place the platform's upstream versions are pinned. The controller's image, its CRDs
 * (fetched by Argo CD from the same Git tag) and every `app.kubernetes.io/version` label follow
 * AWS_LOAD_BALANCER_CONTROLLER_VERSION; cert-manager's Helm chart follows CERT_MANAGER_VERSION.
 */

/**
 * AWS Load Balancer Controller release: the latest of the v2 line (chart 1.17.1). The v3 line
 * changes defaults (chart 3.x flips `keepTLSSecret`), so moving to it is a deliberate step.
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/releases/tag/v2.17.1
 */
export const AWS_LOAD_BALANCER_CONTROLLER_VERSION = 'v2.17.1';

/**
 * cert-manager Helm chart version (Jetstack chart versions carry the `v`). The project's
 * cert-manager CRD schemas (packages/schemas/crds/cert-manager-*.yaml) describe this release.
 * @see https://github.com/cert-manager/cert-manager/releases/tag/v1.21.1
 */
export const CERT_MANAGER_VERSION = 'v1.21.1';

/**
 * ExternalDNS release: the image tag of its Deployment and its version labels. v0.22.0 is the
 * latest app release (its chart 1.21.1 still ships 0.21.0, so the Deployment is rendered here).
 * @see https://github.com/kubernetes-sigs/external-dns/releases/tag/v0.22.0
 */
export const EXTERNAL_DNS_VERSION = 'v0.22.0';
