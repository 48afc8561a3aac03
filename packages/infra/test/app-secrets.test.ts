import type { AppDefinition } from '@gitops/app';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInfraApp, planEnvironment, type EnvironmentStack } from '../src/index';
import { fixtureApps, fixtureEnv, fixtureSettings, fixtureWorkspace, referencedId, resourcesOf, trustedServiceAccounts } from './support';

// GIVEN the fixture env with one more app, `ledger`: no `aws` of its own, only secrets, one
// Secrets Manager secret read twice (two keys), and a parameter encrypted with its customer key.
const ledger: AppDefinition = {
  name: 'ledger',
  image: 'public.ecr.aws/example-org/ledger:1.0.0',
  secrets: {
    DB_USER: { secretsManager: 'ledger-db', key: 'username' },
    DB_PASSWORD: { secretsManager: 'ledger-db', key: 'password' },
    SIGNING_KEY: { parameter: 'signing/key', customerKey: true },
  },
};
const env = fixtureEnv({
  apps: { shop: {}, jobs: {}, ledger: {} },
  fargateProfiles: [
    { name: 'platform', selectors: [{ namespace: 'kube-system' }, { namespace: 'cert-manager' }, { namespace: 'argocd' }, { namespace: 'external-secrets' }] },
    { name: 'apps', selectors: [{ namespace: 'shop' }, { namespace: 'jobs' }, { namespace: 'ledger' }] },
  ],
});
const workspace = fixtureWorkspace([env], [...fixtureApps, ledger]);

let stack: EnvironmentStack;
let json: { Resources: Record<string, any> };

beforeAll(() => {
  const infra = buildInfraApp({ workspace, settings: { qa: fixtureSettings() }, nag: false, cloudFormationValidation: false });
  stack = infra.stacks.get('qa')!;
  json = Template.fromStack(stack).toJSON() as typeof json;
});

const policyOf = (roleId: string) => json.Resources[roleId]!.Properties.Policies[0].PolicyDocument.Statement as any[];
const logicalId = (construct: { node: { defaultChild?: unknown } } | { logicalId: string }): string =>
  stack.resolve((('logicalId' in construct ? construct : construct.node.defaultChild) as { logicalId: string }).logicalId);

describe('an app with secrets and no other AWS access', () => {
  it('gets an IRSA role, trusted by exactly its service account', () => {
    expect(planEnvironment(env, workspace, fixtureSettings()).appRoles.map((role) => role.app)).toContain('ledger');
    const roleId = logicalId(stack.appRoles.get('ledger')!.role);
    expect(trustedServiceAccounts(json, roleId)).toEqual({ subjects: ['system:serviceaccount:ledger:ledger'], audiences: ['sts.amazonaws.com'] });
  });

  it('may read exactly its secret (suffix pattern, once for both keys), its parameter, and decrypt with its key through SSM only', () => {
    const roleId = logicalId(stack.appRoles.get('ledger')!.role);
    const keyId = logicalId(stack.appSecrets.get('ledger')!.key!);
    expect(policyOf(roleId)).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:ap-northeast-1:444444444444:secret:fargate-gitops-qa/ledger/ledger-db-??????' },
      { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:ap-northeast-1:444444444444:parameter/fargate-gitops-qa/ledger/signing/key' },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] }, Condition: { StringEquals: { 'kms:ViaService': ['ssm.ap-northeast-1.amazonaws.com'] } } },
    ]);
  });

  it('has its secret created empty, with the AWS managed key (only the parameter uses the customer key)', () => {
    const secrets = resourcesOf(json, 'AWS::SecretsManager::Secret').filter(([, r]) => r.Properties.Name.startsWith('fargate-gitops-qa/ledger/'));
    expect(secrets.map(([, r]) => r.Properties)).toEqual([
      { Name: 'fargate-gitops-qa/ledger/ledger-db', Description: expect.stringContaining('Created empty') },
    ]);
  });

  it('has a rotated customer key with the alias the README tells a person to encrypt with', () => {
    const keyId = logicalId(stack.appSecrets.get('ledger')!.key!);
    expect(json.Resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
    const alias = resourcesOf(json, 'AWS::KMS::Alias').find(([, r]) => referencedId(r.Properties.TargetKeyId) === keyId);
    expect(alias![1].Properties.AliasName).toBe('alias/fargate-gitops-qa/ledger/secrets');
  });

  it('leaves the roles of apps without secrets without any secret, parameter or key grant', () => {
    for (const app of ['shop', 'jobs']) {
      const actions = policyOf(logicalId(stack.appRoles.get(app)!.role)).flatMap((statement) => [statement.Action].flat());
      expect(actions.filter((action: string) => /^(secretsmanager|ssm|kms):/.test(action))).toEqual([]);
    }
    expect(stack.appSecrets.has('shop')).toBe(false);
  });
});
