/**
 * Argo CD sync waves of the platform's Applications, lowest first. Apps and their bindings sync
 * at wave 0 and later, after everything here.
 *
 * - Fargate logging first: Fargate reads the aws-logging ConfigMap only when it starts a pod, so
 *   pods started before it exists never ship logs (EKS user guide, fargate-logging).
 * - The controller's CRDs, then cert-manager (its chart brings its own CRDs and webhook), then
 *   the controller, whose Issuers and Certificates need cert-manager running.
 */
export const platformSyncWaves = {
  fargateLogging: -40,
  controllerCrds: -30,
  certManager: -20,
  /** External Secrets Operator's namespace, then its chart: before the apps whose secrets it syncs. */
  externalSecretsNamespace: -25,
  externalSecrets: -20,
  controller: -10,
  /** The ALB groups' IngressClasses and ExternalDNS: after the controller, whose webhook validates IngressClassParams; before the apps' Ingresses. */
  ingress: -5,
} as const;
