import type { SecretReference } from '@gitops/app';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface AppSecretAccessProps {
  readonly app: string;
  readonly clusterName: string;
  readonly region: string;
  /** The app's declared secrets in the env (`secretReferences`); at least one. */
  readonly references: readonly SecretReference[];
  readonly removalPolicy: RemovalPolicy;
}

/** The KMS alias of an app's customer managed key: `alias/<cluster>/<app>/secrets`. */
export const appSecretsKeyAlias = (clusterName: string, app: string) => `alias/${clusterName}/${app}/secrets`;

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * What an app's IRSA role needs to read its declared secrets, and the secrets' AWS side:
 *
 * - each declared Secrets Manager secret, created empty (no SecretString, no generated value: a
 *   person puts the value, this stack never holds one), encrypted with the app's customer key
 *   where `customerKey` is set;
 * - the app's customer managed KMS key (rotated yearly), when any secret uses one;
 * - statements: `secretsmanager:GetSecretValue` on each secret's ARN with the `-??????` suffix
 *   pattern, `ssm:GetParameter` on each parameter's exact ARN (ESO reads one parameter per
 *   call), and `kms:Decrypt` on the app's key only through the services that hold such secrets
 *   (`kms:ViaService`). An AWS managed key needs no grant: its key policy lets the service use
 *   it for any caller the secret's own permissions allow.
 */
export class AppSecretAccess extends Construct {
  readonly statements: iam.PolicyStatement[];
  /** The empty secrets, by name. */
  readonly secrets: ReadonlyMap<string, secretsmanager.CfnSecret>;
  readonly key?: kms.Key;

  constructor(scope: Construct, id: string, props: AppSecretAccessProps) {
    super(scope, id);
    const { references } = props;
    const withKey = references.filter((reference) => reference.customerKey);
    if (withKey.length > 0) {
      this.key = new kms.Key(this, 'Key', {
        alias: appSecretsKeyAlias(props.clusterName, props.app),
        description: `Customer managed key of app ${props.app}'s secrets (apps/${props.app}/src/index.ts, customerKey)`,
        enableKeyRotation: true,
        removalPolicy: props.removalPolicy,
      });
    }

    const secrets = new Map<string, secretsmanager.CfnSecret>();
    for (const reference of references.filter((r) => r.service === 'SecretsManager')) {
      if (secrets.has(reference.name)) continue;
      const secret = new secretsmanager.CfnSecret(this, `Secret-${reference.name.replace(/[^A-Za-z0-9]/g, '-')}`, {
        name: reference.name,
        description: `App ${props.app}: ${reference.variable}. Created empty; put the value with PutSecretValue (README, "App secrets").`,
        ...(reference.customerKey && this.key ? { kmsKeyId: this.key.keyArn } : {}),
      });
      secret.applyRemovalPolicy(props.removalPolicy);
      // Rotation belongs to whoever owns the credential (a database, a vendor's API key); a
      // rotation Lambda for each kind is outside this stack. ESO re-reads the value every refresh.
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The value is put and rotated by the owner of the credential outside this stack (README, "App secrets"); the stack creates the secret empty and never holds a value.',
      });
      secrets.set(reference.name, secret);
    }
    this.secrets = secrets;

    const statements: iam.PolicyStatement[] = [];
    const secretArns = sorted(references.filter((r) => r.service === 'SecretsManager').map((r) => r.arn));
    if (secretArns.length > 0) statements.push(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secretArns }));
    const parameterArns = sorted(references.filter((r) => r.service === 'ParameterStore').map((r) => r.arn));
    if (parameterArns.length > 0) statements.push(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: parameterArns }));
    if (this.key) {
      const services = sorted(withKey.map((r) => `${r.service === 'SecretsManager' ? 'secretsmanager' : 'ssm'}.${props.region}.amazonaws.com`));
      statements.push(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [this.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': services } },
        }),
      );
    }
    this.statements = statements;
  }
}
