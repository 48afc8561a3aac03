import { AWS_LOAD_BALANCER_CONTROLLER_VERSION } from '../versions';

/**
 * Names of the controller's objects. They follow the upstream chart's release
 * `aws-load-balancer-controller` in kube-system, so the upstream docs, issues and `kubectl`
 * habits apply as written.
 */
export const names = {
  controller: 'aws-load-balancer-controller',
  namespace: 'kube-system',
  /** Leader-election ConfigMap and Lease; the Role grants access to this name only. */
  leaderElection: 'aws-load-balancer-controller-leader',
  webhookService: 'aws-load-balancer-webhook-service',
  webhookConfiguration: 'aws-load-balancer-webhook',
  /** Secret cert-manager writes and the Deployment mounts. */
  webhookTlsSecret: 'aws-load-balancer-tls',
  selfSignedIssuer: 'aws-load-balancer-selfsigned-issuer',
  rootCertificate: 'aws-load-balancer-root-cert',
  rootIssuer: 'aws-load-balancer-root-issuer',
  servingCertificate: 'aws-load-balancer-serving-cert',
} as const;

/** Pod labels the Deployment, Service and PDB select on; never change them on a live cluster. */
export const selectorLabels: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': names.controller,
  'app.kubernetes.io/instance': names.controller,
};

/** Labels of every object the component renders. */
export const labels: Readonly<Record<string, string>> = {
  ...selectorLabels,
  'app.kubernetes.io/version': AWS_LOAD_BALANCER_CONTROLLER_VERSION,
  'app.kubernetes.io/part-of': 'platform',
};
