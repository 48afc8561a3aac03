import { parameterArn, partitionOf, type AwsEnvironment } from '@gitops/contract';
import type { EnvironmentSpec } from '@gitops/core';
import type { AppDefinition, AwsArns, IamPolicyStatement } from './definition';

/** The env fields ARNs and secret names are built from. */
export type SecretsEnvironment = Pick<EnvironmentSpec, 'name' | 'account' | 'region' | 'cluster'>;

/** ARNs of the env's partition, account and region (the `aws` argument of a policy function). */
export function awsArns(env: Pick<AwsEnvironment, 'account' | 'region'>): AwsArns {
  const partition = partitionOf(env.region);
  return {
    partition,
    account: env.account,
    region: env.region,
    arn: (service, resource, options = {}) =>
      `arn:${partition}:${service}:${options.global ? '' : env.region}:${options.global ? '' : env.account}:${resource}`,
  };
}

/** The app's IAM statements as the env runs it: a policy function is called with the env's ARNs. */
export function appPolicy(app: AppDefinition, env: Pick<AwsEnvironment, 'account' | 'region'>): readonly IamPolicyStatement[] {
  const policy = app.aws?.policy;
  if (policy === undefined) return [];
  return typeof policy === 'function' ? policy(awsArns(env)) : policy;
}

/** The Secret External Secrets Operator writes for an app, and that its pods read. */
export const appSecretName = (app: Pick<AppDefinition, 'name'>) => `${app.name}-secrets`;

/**
 * How often ESO reads the values again from AWS (ESO's own default, made visible). A rotated value
 * reaches the Secret within this interval; running pods keep the value they started with.
 */
export const SECRET_REFRESH_INTERVAL = '1h';

/** ESO's AWS provider services, as a SecretStore names them. */
export type SecretService = 'SecretsManager' | 'ParameterStore';

/** One declared secret variable, resolved for an env. */
export interface SecretReference {
  /** The environment variable, also the key in the app's Secret. */
  readonly variable: string;
  readonly service: SecretService;
  /** The Secrets Manager secret name or the full SSM parameter name in the env. */
  readonly name: string;
  /**
   * The ARN an IAM policy grants. A Secrets Manager ARN ends in `-` and six random characters
   * that AWS adds when the secret is created, so the grant matches them with `-??????`
   * (Secrets Manager user guide, "Permissions to secrets": "use the secret ARN with the
   * six-character suffix replaced by ??????"); never `*`, which would also match a longer name.
   */
  readonly arn: string;
  /** The JSON property read. @default the whole value */
  readonly key?: string;
  readonly customerKey: boolean;
}

/** The name of the app's secret in one env: `<cluster>/<app>/<name>`; the cluster name is unique per account and region. */
export function secretsManagerName(env: SecretsEnvironment, app: Pick<AppDefinition, 'name'>, name: string): string {
  return `${env.cluster.name}/${app.name}/${name}`;
}

/**
 * The full name of the app's SecureString parameter in one env: `/<cluster>/<app>/<path>`. It is
 * outside the env's `ssmPrefix` on purpose: synth reads that prefix (GetParametersByPath), and
 * must never be able to read a secret.
 */
export function secretParameterName(env: SecretsEnvironment, app: Pick<AppDefinition, 'name'>, path: string): string {
  return `/${env.cluster.name}/${app.name}/${path}`;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every variable of the app's `secrets`, sorted, with its name and ARN in the env. */
export function secretReferences(app: AppDefinition, env: SecretsEnvironment): SecretReference[] {
  const partition = partitionOf(env.region);
  return Object.entries(app.secrets ?? {})
    .sort(([a], [b]) => byText(a, b))
    .map(([variable, source]): SecretReference => {
      const key = source.key === undefined ? {} : { key: source.key };
      const customerKey = source.customerKey === true;
      if (source.secretsManager !== undefined) {
        const name = secretsManagerName(env, app, source.secretsManager);
        const arn = `arn:${partition}:secretsmanager:${env.region}:${env.account}:secret:${name}-??????`;
        return { variable, service: 'SecretsManager', name, arn, ...key, customerKey };
      }
      const name = secretParameterName(env, app, source.parameter ?? '');
      return { variable, service: 'ParameterStore', name, arn: parameterArn(name, env), ...key, customerKey };
    });
}

/** Whether the app declares any secret. */
export const hasSecrets = (app: AppDefinition) => Object.keys(app.secrets ?? {}).length > 0;

/** Whether the app needs an IRSA role: it calls AWS itself, or ESO reads its secrets as it. */
export const needsRole = (app: AppDefinition) => app.aws !== undefined || hasSecrets(app);

/**
 * What to do instead of writing a secret-looking value into an env variable. The secret-literal
 * checks (packages/argocd secret-safety.ts, and whatever scans rendered values) append it, so the
 * advice lives in one place, next to the API it points to.
 */
export function secretDeclarationHint(variable: string, app?: string): string {
  const file = app ? `apps/${app}/src/index.ts` : 'the app definition';
  return (
    `declare ${variable} under \`secrets\` in ${file} instead, e.g. secrets: { ${variable}: { secretsManager: '<name>', key: '<json key>' } } ` +
    `or { parameter: '<path>' }, and put the value into AWS Secrets Manager or an SSM SecureString (README, "App secrets")`
  );
}
