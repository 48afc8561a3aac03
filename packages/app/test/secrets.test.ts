import { parameterName, parameters } from '@gitops/contract';
import { checkSpec, type AppOverrides, type EnvironmentSpec } from '@gitops/core';
import { schemaValidator } from '@gitops/schemas';
import { describe, expect, it } from 'vitest';
import {
  appComponent,
  appDefinitionSchema,
  appPolicy,
  appProblems,
  awsArns,
  secretDeclarationHint,
  secretReferences,
  type AppDefinition,
} from '../src/index';
import { render, ROLE_ARN, shop, testEnv } from './support';

// An app with secrets from both services and no other AWS access.
const billing: AppDefinition = {
  ...shop,
  name: 'billing',
  env: { LOG_FORMAT: 'json' },
  secrets: {
    DB_PASSWORD: { secretsManager: 'billing-db', key: 'password' },
    STRIPE_KEY: { parameter: 'stripe/key' },
  },
};

const wave = (manifest: Record<string, any>) => Number(manifest.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

describe('an app with secrets', () => {
  const rendered = render(billing);
  const get = (key: string) => rendered.byKind.get(key)!;

  it('renders a SecretStore per AWS service, one ExternalSecret, and the token Role for ESO beside the app', () => {
    expect([...rendered.byKind.keys()].filter((key) => /Secret|Role/.test(key)).sort()).toEqual([
      'ExternalSecret/billing',
      'Role/billing-external-secrets-token',
      'RoleBinding/billing-external-secrets-token',
      'SecretStore/billing-parameter-store',
      'SecretStore/billing-secrets-manager',
    ]);
    // No Secret object: ESO writes it in the cluster, Git never holds one.
    expect([...rendered.byKind.keys()].filter((key) => key.startsWith('Secret/'))).toEqual([]);
  });

  it("gets an IRSA role without declaring `aws`: the service account names it, the pods get no token of their own", () => {
    expect(rendered.component.parameters.map((definition) => parameterName(definition, testEnv()))).toContain(
      parameterName(parameters.appRoleArn('billing'), testEnv()),
    );
    expect(get('ServiceAccount/billing').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLE_ARN });
    expect(get('Deployment/billing').spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it("authenticates each store as the app's own service account, in the env's region", () => {
    for (const [store, service] of [
      ['billing-secrets-manager', 'SecretsManager'],
      ['billing-parameter-store', 'ParameterStore'],
    ] as const) {
      expect(get(`SecretStore/${store}`).spec).toEqual({
        provider: { aws: { service, region: 'ap-northeast-1', auth: { jwt: { serviceAccountRef: { name: 'billing' } } } } },
      });
      expect(get(`SecretStore/${store}`).metadata.namespace).toBe('billing');
    }
  });

  it('writes one Secret with exactly the declared keys, each from its store, with a refresh interval', () => {
    const spec = get('ExternalSecret/billing').spec;
    expect(spec.target).toEqual({ name: 'billing-secrets', creationPolicy: 'Owner', deletionPolicy: 'Retain' });
    expect(spec.refreshInterval).toBe('1h');
    expect(spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'billing-secrets-manager' });
    expect(spec.data).toEqual([
      { secretKey: 'DB_PASSWORD', remoteRef: { key: 'fargate-gitops-test/billing/billing-db', property: 'password' } },
      {
        secretKey: 'STRIPE_KEY',
        remoteRef: { key: '/fargate-gitops-test/billing/stripe/key' },
        sourceRef: { storeRef: { kind: 'SecretStore', name: 'billing-parameter-store' } },
      },
    ]);
  });

  it('reads each secret into the container with secretKeyRef, before the plain values, so a value may refer to one', () => {
    expect(get('Deployment/billing').spec.template.spec.containers[0].env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'billing-secrets', key: 'DB_PASSWORD' } } },
      { name: 'STRIPE_KEY', valueFrom: { secretKeyRef: { name: 'billing-secrets', key: 'STRIPE_KEY' } } },
      { name: 'LOG_FORMAT', value: 'json' },
    ]);
    // `$(DB_PASSWORD)` in a plain value refers to an earlier variable: no problem.
    expect(problems({ ...billing, env: { DATABASE_URL: 'postgres://app:$(DB_PASSWORD)@db:5432/app' } })).toEqual([]);
  });

  it('syncs the token Role and service account, then the stores, then the ExternalSecret, then the pods', () => {
    expect(wave(get('ServiceAccount/billing'))).toBe(0);
    expect(wave(get('Role/billing-external-secrets-token'))).toBe(0);
    expect(wave(get('RoleBinding/billing-external-secrets-token'))).toBe(0);
    expect(wave(get('SecretStore/billing-secrets-manager'))).toBe(1);
    expect(wave(get('SecretStore/billing-parameter-store'))).toBe(1);
    expect(wave(get('ExternalSecret/billing'))).toBe(2);
    expect(wave(get('Deployment/billing'))).toBe(3);
  });

  it("lets only ESO's controller request tokens, and only for the app's service account", () => {
    expect(get('Role/billing-external-secrets-token').rules).toEqual([
      { apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['billing'], verbs: ['create'] },
    ]);
    expect(get('RoleBinding/billing-external-secrets-token').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'external-secrets', namespace: 'external-secrets' },
    ]);
  });

  it("passes the project's strict schemas, and a store with static AWS keys does not", () => {
    for (const manifest of rendered.manifests) expect([manifest.kind, schemaValidator().validate(manifest)]).toEqual([manifest.kind, []]);
    const store = get('SecretStore/billing-secrets-manager');
    const staticKeys = {
      ...store,
      spec: { provider: { aws: { ...store.spec.provider.aws, auth: { secretRef: { accessKeyIDSecretRef: { name: 'keys', key: 'id' } } } } } },
    };
    expect(schemaValidator().validate(staticKeys)).toEqual([{ path: '/spec/provider/aws/auth', message: 'unknown field "secretRef"' }]);
  });

  it('keeps the pods of an app without secrets one wave after its binding, as before', () => {
    expect(wave(render(shop).byKind.get('Deployment/shop')!)).toBe(1);
  });
});

describe('secret names and ARNs per env', () => {
  const prod: EnvironmentSpec = { ...testEnv(), name: 'prod', account: '333333333333', cluster: { name: 'fargate-gitops-prod', kubernetesVersion: '1.32' } };

  it("resolve to the env's cluster, account and region, with Secrets Manager's random suffix as ??????", () => {
    expect(secretReferences(billing, prod)).toEqual([
      {
        variable: 'DB_PASSWORD',
        service: 'SecretsManager',
        name: 'fargate-gitops-prod/billing/billing-db',
        arn: 'arn:aws:secretsmanager:ap-northeast-1:333333333333:secret:fargate-gitops-prod/billing/billing-db-??????',
        key: 'password',
        customerKey: false,
      },
      {
        variable: 'STRIPE_KEY',
        service: 'ParameterStore',
        name: '/fargate-gitops-prod/billing/stripe/key',
        arn: 'arn:aws:ssm:ap-northeast-1:333333333333:parameter/fargate-gitops-prod/billing/stripe/key',
        customerKey: false,
      },
    ]);
  });

  it('builds exact ARNs for a policy function, in the partition of the region', () => {
    const app: AppDefinition = { ...shop, aws: { policy: (aws) => [{ Action: ['sqs:SendMessage'], Resource: [aws.arn('sqs', 'jobs'), aws.arn('s3', 'bucket/*', { global: true })] }] } };
    expect(appPolicy(app, prod)[0]!.Resource).toEqual(['arn:aws:sqs:ap-northeast-1:333333333333:jobs', 'arn:aws:s3:::bucket/*']);
    expect(awsArns({ account: '444444444444', region: 'cn-north-1' }).arn('dynamodb', 'table/t')).toBe('arn:aws-cn:dynamodb:cn-north-1:444444444444:table/t');
    expect(appPolicy({ ...shop, aws: { policy: [{ Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/k'] }] } }, prod)[0]!.Resource).toEqual(['arn:aws:s3:::b/k']);
  });
});

/** `file parameter: message` of every problem of `app`. */
function problems(app: AppDefinition, overrides: AppOverrides = {}): string[] {
  return appProblems(testEnv(), [appComponent(app, overrides)]).map((p) => `${p.file} ${p.parameter}: ${p.message}`);
}
const withSecrets = (secrets: AppDefinition['secrets'], extra: Partial<AppDefinition> = {}) => problems({ ...shop, ...extra, secrets });
const FILE = 'apps/shop/src/index.ts';

describe('bad secrets, one line each', () => {
  it('accepts a well-formed declaration', () => {
    expect(problems(billing)).toEqual([]);
  });

  it('refuses an invalid Secrets Manager name', () => {
    expect(withSecrets({ A: { secretsManager: 'orders db' } })).toEqual([
      `${FILE} secrets.A.secretsManager: "orders db" is not a secret name relative to the app (letters, digits and /_+=.@-, no leading, trailing or double "/")`,
    ]);
    expect(withSecrets({ A: { secretsManager: 'orders-abcdef' } })).toEqual([
      `${FILE} secrets.A.secretsManager: "orders-abcdef" ends in "-" and six characters, which Secrets Manager would confuse with the random suffix of an ARN; rename it`,
    ]);
  });

  it('refuses an invalid parameter path, absolute or breaking SSM name rules', () => {
    expect(withSecrets({ A: { parameter: '/api/key' } })).toEqual([
      `${FILE} secrets.A.parameter: "/api/key" is not a parameter path relative to the app (e.g. "api/key", without a leading "/")`,
    ]);
    expect(withSecrets({ A: { parameter: 'api key' } })).toEqual([
      `${FILE} secrets.A.parameter: "api key" makes the parameter name /fargate-gitops-test/shop/api key: " ": only letters, digits, "_", ".", "-" and "/" are allowed`,
    ]);
  });

  it('refuses a value declared twice', () => {
    expect(withSecrets({ A: { secretsManager: 'db', key: 'password' }, B: { secretsManager: 'db', key: 'password' } })).toEqual([
      `${FILE} secrets.B: reads secret db key password, which A already reads; declare each value once`,
    ]);
  });

  it('refuses a variable in both env and secrets, in the app or in an env override', () => {
    expect(withSecrets({ TOKEN: { parameter: 'token' } }, { env: { TOKEN: 'x' } })).toEqual([
      `${FILE} secrets.TOKEN: TOKEN is also set in env; a variable comes from env or from secrets, not both`,
    ]);
    expect(problems({ ...shop, secrets: { TOKEN: { parameter: 'token' } } }, { env: { TOKEN: 'x' } })).toEqual([
      "clusters/test/env.ts apps.shop.env.TOKEN: TOKEN is one of app shop's secrets; a variable comes from env or from secrets, not both",
    ]);
  });

  it('refuses a source naming both services or neither', () => {
    expect(withSecrets({ A: { secretsManager: 'db', parameter: 'db' }, B: {} })).toEqual([
      `${FILE} secrets.A: needs exactly one of secretsManager (a Secrets Manager secret) and parameter (an SSM SecureString)`,
      `${FILE} secrets.B: needs exactly one of secretsManager (a Secrets Manager secret) and parameter (an SSM SecureString)`,
    ]);
  });

  it('leaves field types, unknown fields and variable names to the schema, which refuses them when the module loads', () => {
    const issues = checkSpec(appDefinitionSchema, { ...shop, secrets: { '1X': { parameter: 'x' }, C: { parameter: 'c', kms: true }, D: { secretsManager: 'd', customerKey: 'yes' } } });
    expect(issues.map((issue) => issue.path)).toEqual(['secrets["1X"]', 'secrets.C.kms', 'secrets.D.customerKey']);
    expect(checkSpec(appDefinitionSchema, billing)).toEqual([]);
  });

  it('reports a policy function that throws as one line, not a crash', () => {
    const app: AppDefinition = { ...shop, aws: { policy: () => { throw new Error('no table for this env'); } } };
    expect(problems(app)).toEqual(['apps/shop/src/index.ts aws.policy(test): the policy function threw: no table for this env']);
  });

  it('checks what a policy function returns for each env against the statement schema', () => {
    const app: AppDefinition = { ...shop, aws: { policy: (aws) => [{ Action: ['not an action'], Resource: [aws.arn('sqs', 'jobs')] }] } };
    expect(problems(app)).toEqual([expect.stringMatching(/^apps\/shop\/src\/index\.ts aws\.policy\(test\)\[0\]\.Action\[0\]: /)]);
  });

  it('refuses one secret declared with and without the customer key', () => {
    expect(withSecrets({ A: { secretsManager: 'db', key: 'user' }, B: { secretsManager: 'db', key: 'password', customerKey: true } })).toEqual([
      `${FILE} secrets.B.customerKey: secret db is encrypted with one key; A says customerKey false`,
    ]);
  });
});

describe('the advice the secret-literal check gives', () => {
  it('names the variable, the app file and the `secrets` field, and where the value goes', () => {
    expect(secretDeclarationHint('DB_PASSWORD', 'api')).toBe(
      "declare DB_PASSWORD under `secrets` in apps/api/src/index.ts instead, e.g. secrets: { DB_PASSWORD: { secretsManager: '<name>', key: '<json key>' } } " +
        "or { parameter: '<path>' }, and put the value into AWS Secrets Manager or an SSM SecureString (README, \"App secrets\")",
    );
  });
});
