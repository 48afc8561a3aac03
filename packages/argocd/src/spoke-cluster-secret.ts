import { SYNC_WAVE_ANNOTATION } from '@gitops/core';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { ARGOCD_NAMESPACE } from './conventions';
import { argoCdSyncWaves } from './sync-waves';

/** The label that makes Argo CD read a Secret as a cluster registration (declarative-setup.md). */
export const CLUSTER_SECRET_LABEL = 'argocd.argoproj.io/secret-type';

export interface SpokeClusterSecretProps {
  /** The cluster's name in Argo CD, which Applications target: the spoke's EKS cluster name. */
  readonly clusterName: string;
  /** EKS API server endpoint (`cluster/endpoint` of the spoke). */
  readonly server: string;
  /** The role Argo CD assumes to call the spoke's API (`argocd/deployer-role-arn` of the spoke). */
  readonly roleArn: string;
  /** Base64 PEM of the cluster CA, as `aws eks describe-cluster` returns it. */
  readonly caData: string;
}

/** The cluster Secret's `config`: how Argo CD authenticates to the spoke, holding no secret. */
export interface SpokeClusterConfig {
  readonly awsAuthConfig: { readonly clusterName: string; readonly roleARN: string };
  readonly tlsClientConfig: { readonly insecure: false; readonly caData: string };
}

/**
 * Registers a spoke's EKS cluster with the hub's Argo CD. Argo CD gets a short-lived token for
 * it the way `aws eks get-token` does, with its own IRSA identity assuming `roleArn`, so the
 * Secret holds an endpoint, a CA certificate and a role ARN: no token, password or key.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#eks
 */
export class SpokeClusterSecret extends Construct {
  constructor(scope: Construct, id: string, props: SpokeClusterSecretProps) {
    super(scope, id);
    const config: SpokeClusterConfig = {
      awsAuthConfig: { clusterName: props.clusterName, roleARN: props.roleArn },
      // describe-cluster's certificateAuthority.data is already base64 PEM, which is what
      // caData holds.
      tlsClientConfig: { insecure: false, caData: props.caData },
    };
    new k8s.KubeSecret(this, 'secret', {
      metadata: {
        name: `cluster-${props.clusterName}`,
        namespace: ARGOCD_NAMESPACE,
        labels: { [CLUSTER_SECRET_LABEL]: 'cluster' },
        annotations: { [SYNC_WAVE_ANNOTATION]: String(argoCdSyncWaves.projects) },
      },
      type: 'Opaque',
      stringData: { name: props.clusterName, server: props.server, config: `${JSON.stringify(config, null, 2)}\n` },
    });
  }
}
