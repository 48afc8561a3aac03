import { SYNC_WAVE_ANNOTATION } from '@gitops/core';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
  Issuer,
} from '@gitops/schemas/imports/cert-manager.io';
import { Construct } from 'constructs';
import { labels, names } from './names';

export interface WebhookCertificatesProps {
  /** Cluster DNS domain, for the serving certificate's fully qualified name. @default 'cluster.local' */
  readonly clusterDomain?: string;
}

/**
 * Sync waves, inside the component's Application, of the chain. Argo CD holds a wave until every
 * object in it is Healthy, and reads a cert-manager Issuer that is not Ready as Degraded, which
 * fails the wave (Argo CD resource_customizations/cert-manager.io/Issuer/health.lua). A CA Issuer
 * is Ready only once the Secret it reads exists (cert-manager pkg/issuer/ca/setup.go), so each
 * link syncs one wave after what it needs:
 * - the self-signed Issuer (Ready at once) and the root Certificate it signs;
 * - the CA Issuer, reading the Secret the root Certificate wrote;
 * - the serving Certificate the CA Issuer signs, whose Secret the Deployment mounts at wave 0.
 */
export const certificateWaves = { root: '-3', caIssuer: '-2', serving: '-1' } as const;

/**
 * The webhook's TLS, issued in the cluster by cert-manager: a self-signed Issuer bootstraps a CA
 * Certificate, a CA Issuer signs the serving Certificate, and cert-manager writes the Secret the
 * Deployment mounts. Every private key is generated and kept in the cluster; none is in Git.
 * The chart's own fallback (Helm `genCA` at render time) would either commit a key or, under
 * Argo CD, make a new CA on every render (aws-load-balancer-controller #1828, #2312).
 *
 * The objects sync in the waves of `certificateWaves`, before the rest of the component: Argo CD
 * waits for cert-manager to report each link Ready, so the Deployment starts with its Secret present.
 */
export class WebhookCertificates extends Construct {
  constructor(scope: Construct, id: string, props: WebhookCertificatesProps = {}) {
    super(scope, id);
    const metadata = (name: string, wave: string) => ({
      name,
      namespace: names.namespace,
      labels,
      annotations: { [SYNC_WAVE_ANNOTATION]: wave },
    });
    const ecdsa = {
      algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
      size: 256,
      rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
    };

    new Issuer(this, 'selfsigned-issuer', { metadata: metadata(names.selfSignedIssuer, certificateWaves.root), spec: { selfSigned: {} } });
    new Certificate(this, 'root-cert', {
      metadata: metadata(names.rootCertificate, certificateWaves.root),
      spec: {
        secretName: names.rootCertificate,
        issuerRef: { name: names.selfSignedIssuer, kind: 'Issuer', group: 'cert-manager.io' },
        isCa: true,
        commonName: 'ca.webhook.aws-load-balancer-controller',
        subject: { organizations: [names.controller] },
        // Five years, as the chart's root; cert-manager renews it and re-signs the serving
        // certificate, and the CA injector follows.
        duration: '43800h',
        privateKey: ecdsa,
      },
    });
    new Issuer(this, 'root-issuer', { metadata: metadata(names.rootIssuer, certificateWaves.caIssuer), spec: { ca: { secretName: names.rootCertificate } } });

    const service = `${names.webhookService}.${names.namespace}.svc`;
    new Certificate(this, 'serving-cert', {
      metadata: metadata(names.servingCertificate, certificateWaves.serving),
      spec: {
        secretName: names.webhookTlsSecret,
        issuerRef: { name: names.rootIssuer, kind: 'Issuer', group: 'cert-manager.io' },
        dnsNames: [service, `${service}.${props.clusterDomain ?? 'cluster.local'}`],
        // ECDSA keys sign; key encipherment is an RSA-only usage.
        usages: [CertificateSpecUsages.DIGITAL_SIGNATURE, CertificateSpecUsages.SERVER_AUTH],
        // The chart's values: one year, renewed 30 days before expiry. The controller reloads
        // the mounted files when the Secret changes.
        duration: '8760h',
        renewBefore: '720h',
        privateKey: ecdsa,
      },
    });
  }
}
