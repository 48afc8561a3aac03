import { externalSecretsController, SYNC_WAVE_ANNOTATION } from '@gitops/core';
import { SecretStore, SecretStoreSpecProviderAwsService } from '@gitops/schemas/imports/external-secrets.io';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import type { SecretService } from './secrets';


/** The SecretStore of an app for one AWS service: `<app>-secrets-manager` or `<app>-parameter-store`. */
export const secretStoreName = (app: string, service: SecretService) => `${app}-${service === 'SecretsManager' ? 'secrets-manager' : 'parameter-store'}`;

export interface AppSecretStoreProps {
  readonly app: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly service: SecretService;
  /** The env's region: the app's secrets live there. */
  readonly region: string;
  /** The app's IRSA service account, whose role reads exactly the app's secrets. */
  readonly serviceAccountName: string;
  readonly syncWave: string;
}

/**
 * A namespaced SecretStore reading AWS as the app's own service account ("EKS Service Account
 * credentials", ESO docs provider/aws-access.md): ESO requests a token for that service account
 * and assumes the role its `eks.amazonaws.com/role-arn` annotation names, so the store reads what
 * the app's role may read and nothing more. A SecretStore can only name a service account of its
 * own namespace, and no ClusterSecretStore is processed (platform external-secrets.ts).
 */
export class AppSecretStore extends Construct {
  constructor(scope: Construct, id: string, props: AppSecretStoreProps) {
    super(scope, id);
    new SecretStore(this, 'resource', {
      metadata: {
        name: secretStoreName(props.app, props.service),
        namespace: props.namespace,
        labels: { ...props.labels },
        annotations: { [SYNC_WAVE_ANNOTATION]: props.syncWave },
      },
      spec: {
        provider: {
          aws: {
            service: props.service === 'SecretsManager' ? SecretStoreSpecProviderAwsService.SECRETS_MANAGER : SecretStoreSpecProviderAwsService.PARAMETER_STORE,
            region: props.region,
            auth: { jwt: { serviceAccountRef: { name: props.serviceAccountName } } },
          },
        },
      },
    });
  }
}

export interface SecretStoreTokenAccessProps {
  readonly app: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccountName: string;
}

/**
 * Lets ESO's controller request tokens for the app's service account, and only for it. The ESO
 * chart's own ClusterRole would grant `serviceaccounts/token` create on every service account of
 * the cluster (including the load balancer controller's); the platform turns that off
 * (`rbac.serviceAccountTokenCreate: false`), so each app grants it for its own account by name.
 */
export class SecretStoreTokenAccess extends Construct {
  constructor(scope: Construct, id: string, props: SecretStoreTokenAccessProps) {
    super(scope, id);
    const name = `${props.app}-external-secrets-token`;
    const metadata = { name, namespace: props.namespace, labels: { ...props.labels } };
    new k8s.KubeRole(this, 'role', {
      metadata,
      rules: [{ apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: [props.serviceAccountName], verbs: ['create'] }],
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: externalSecretsController.serviceAccount, namespace: externalSecretsController.namespace }],
    });
  }
}
