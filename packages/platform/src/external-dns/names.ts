import { EXTERNAL_DNS_VERSION } from '../versions';

/** Names of ExternalDNS's objects: the chart's for a release named `external-dns`. */
export const externalDnsNames = {
  component: 'external-dns',
  name: 'external-dns',
  /** kube-system: selected by the platform Fargate profile already, beside the load balancer controller. */
  namespace: 'kube-system',
} as const;

export const externalDnsSelector: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': externalDnsNames.name,
  'app.kubernetes.io/instance': externalDnsNames.name,
};

export const externalDnsLabels: Readonly<Record<string, string>> = {
  ...externalDnsSelector,
  'app.kubernetes.io/version': EXTERNAL_DNS_VERSION,
  'app.kubernetes.io/part-of': 'platform',
};

/** The pinned image. */
export const EXTERNAL_DNS_IMAGE = `registry.k8s.io/external-dns/external-dns:${EXTERNAL_DNS_VERSION}`;
