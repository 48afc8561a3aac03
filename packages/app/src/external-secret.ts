import { SYNC_WAVE_ANNOTATION } from '@gitops/core';
import {
  ExternalSecret,
  ExternalSecretSpecDataSourceRefStoreRefKind,
  ExternalSecretSpecRefreshPolicy,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
} from '@gitops/schemas/imports/external-secrets.io';
import { Construct } from 'constructs';
import { secretStoreName } from './secret-store';
import { SECRET_REFRESH_INTERVAL, type SecretReference } from './secrets';

export interface AppExternalSecretProps {
  readonly app: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The Secret written; the Deployment reads it. */
  readonly secretName: string;
  /** The app's secrets in the env, sorted by variable; at least one. */
  readonly references: readonly SecretReference[];
  readonly syncWave: string;
}

/**
 * One ExternalSecret writing the app's one Secret, with exactly the declared keys, each read from
 * the store of its service. The Secret is owned by the ExternalSecret (deleted with it) and keeps
 * its last value if the AWS value disappears (`deletionPolicy: Retain`), so a deleted or
 * unreadable secret never empties a running app's Secret.
 */
export class AppExternalSecret extends Construct {
  constructor(scope: Construct, id: string, props: AppExternalSecretProps) {
    super(scope, id);
    const first = props.references[0]!.service;
    new ExternalSecret(this, 'resource', {
      metadata: {
        name: props.app,
        namespace: props.namespace,
        labels: { ...props.labels },
        annotations: { [SYNC_WAVE_ANNOTATION]: props.syncWave },
      },
      spec: {
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.SECRET_STORE, name: secretStoreName(props.app, first) },
        refreshPolicy: ExternalSecretSpecRefreshPolicy.PERIODIC,
        refreshInterval: SECRET_REFRESH_INTERVAL,
        target: {
          name: props.secretName,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
        },
        data: props.references.map((reference) => ({
          secretKey: reference.variable,
          remoteRef: { key: reference.name, ...(reference.key === undefined ? {} : { property: reference.key }) },
          ...(reference.service === first
            ? {}
            : { sourceRef: { storeRef: { kind: ExternalSecretSpecDataSourceRefStoreRefKind.SECRET_STORE, name: secretStoreName(props.app, reference.service) } } }),
        })),
      },
    });
  }
}
