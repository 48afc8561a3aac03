import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { secretDeclarationHint } from '@gitops/app';
import { clusterSecretFindings, credentialFindings, renderedSecretProblems, secretSafetyProblems, SpokeClusterSecret, type RenderedOutput } from '../src/index';
import { filesUnder } from './support/argocd-reader';
import { caData, environment } from './support/environments';
import { repoRoot } from './support/hub-fixture';

const ops = environment('ops', '444444444444');

// Credential-shaped values are assembled at run time, so this file holds none literally.
const ACCESS_KEY_ID = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
const SESSION_KEY_ID = ['ASIA', 'Y34FZKBOKMUTVV7A'].join('');
const PRIVATE_KEY = ['-----BEGIN RSA PRIVATE', ' KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE', ' KEY-----\n'].join('');
const GITHUB_TOKEN = ['ghp', '_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join('');
const JWT = ['eyJhbGciOiJSUzI1NiJ9', 'eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6a3ViZS1zeXN0ZW0', 'c2lnbmF0dXJl'].join('.');

function clusterSecret(overrides: Record<string, unknown> = {}): Record<string, any> {
  const chart = new Chart(Testing.app(), 'argocd', { disableResourceNameHashes: true });
  new SpokeClusterSecret(chart, 'blue', {
    clusterName: 'fargate-gitops-blue',
    server: 'https://B1E0B1E0B1E0B1E0B1E0B1E0B1E0B1E0.gr7.ap-northeast-1.eks.amazonaws.com',
    roleArn: 'arn:aws:iam::555555555555:role/fargate-gitops-blue-argocd-deployer',
    caData: caData('blue'),
  });
  return { ...chart.toJson()[0], ...overrides };
}

const withConfig = (edit: (config: any) => void) => {
  const secret = clusterSecret();
  const config = JSON.parse(secret.stringData.config);
  edit(config);
  return { ...secret, stringData: { ...secret.stringData, config: JSON.stringify(config) } };
};

function output(objects: { component: string; file: string; manifest: Record<string, any> }[], files: Record<string, string> = {}): RenderedOutput {
  return { env: ops, components: [], objects, files: new Map(Object.entries(files)) };
}

describe('the only Secret: a hub cluster Secret', () => {
  it('accepts the cluster Secret SpokeClusterSecret renders', () => {
    expect(clusterSecretFindings('argocd', clusterSecret())).toEqual([]);
  });

  it('refuses any other Secret, naming what makes it one', () => {
    // GIVEN an app folder rendering an ordinary Secret
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'web' }, stringData: { url: 'postgres://db' } };

    // WHEN
    const problems = secretSafetyProblems(output([{ component: 'app-web', file: 'app-web/secret-db.yaml', manifest: secret }]));

    // THEN
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ env: 'ops', component: 'app-web', file: 'gitops/ops/app-web/secret-db.yaml' });
    expect(problems[0]!.message).toMatch(/^Secret db: the generator writes no Secret to Git except a hub's cluster Secret, and this one is outside the argocd folder; is not in namespace argocd; lacks the label argocd.argoproj.io\/secret-type: cluster;/);
  });

  it('refuses a cluster Secret carrying a token, a password, client key data, insecure TLS or unreadable data', () => {
    expect(clusterSecretFindings('argocd', withConfig((config) => (config.bearerToken = 'x')))).toEqual([
      'has config.bearerToken; only awsAuthConfig and tlsClientConfig are allowed',
    ]);
    expect(clusterSecretFindings('argocd', withConfig((config) => Object.assign(config.tlsClientConfig, { keyData: 'x', insecure: true })))).toEqual([
      'has config.tlsClientConfig.keyData; only caData, insecure (false) and serverName are allowed',
      'has config.tlsClientConfig.insecure other than false',
    ]);
    expect(clusterSecretFindings('argocd', withConfig((config) => (config.awsAuthConfig.profile = 'admin')))).toEqual([
      'has config.awsAuthConfig.profile; only clusterName and roleARN are allowed',
    ]);
    const secret = clusterSecret();
    expect(clusterSecretFindings('argocd', { ...secret, stringData: { ...secret.stringData, password: 'x' } })).toEqual([
      'has stringData.password; only config, name, server are allowed',
    ]);
    expect(clusterSecretFindings('argocd', { ...secret, data: { config: 'e30=' } })).toEqual([
      'has base64 `data`; a cluster Secret states everything in readable stringData',
    ]);
  });

  it('looks inside a List for Secrets', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hidden', namespace: 'web' } }] };
    expect(secretSafetyProblems(output([{ component: 'app-web', file: 'app-web/list-x.yaml', manifest: list }])).map((problem) => problem.message.split(':')[0])).toEqual([
      'Secret hidden',
    ]);
  });
});

describe('credential-like values in any rendered file', () => {
  it('finds AWS keys, private keys, bearer and service account tokens, and password/token fields, by line, without echoing them', () => {
    // GIVEN a file holding one of each
    const text = [
      'apiVersion: v1', // 1
      'kind: ConfigMap', // 2
      'data:', // 3
      `  AWS_ACCESS_KEY_ID: ${ACCESS_KEY_ID}`, // 4
      `  session: ${SESSION_KEY_ID}`, // 5
      '  credentials: "aws_secret_access_key = x"', // 6
      '  key.pem: |', // 7
      ...PRIVATE_KEY.trimEnd().split('\n').map((line) => `    ${line}`), // 8-10
      `  key.b64: ${Buffer.from(PRIVATE_KEY).toString('base64')}`, // 11
      '  header: "Authorization: Bearer abcdefgh12345678"', // 12
      `  sa: ${JWT}`, // 13
      '  password: hunter2', // 14
      '  token: abc', // 15
    ].join('\n');

    // WHEN
    const findings = credentialFindings(text);
    const problems = secretSafetyProblems(output([], { 'app-web/configmap-leak.yaml': text }));

    // THEN
    expect(findings).toEqual([
      'line 4: an AWS access key ID',
      'line 5: an AWS access key ID',
      'line 6: an AWS secret key or session token setting',
      'line 8: a PEM private key',
      'line 11: a base64-encoded PEM private key',
      'line 12: a bearer token',
      'line 13: a JSON Web Token',
      'line 14: a password or token field',
      'line 15: a password or token field',
    ]);
    expect(problems.map((problem) => problem.file)).toEqual(Array(findings.length).fill('gitops/ops/app-web/configmap-leak.yaml'));
    for (const secretValue of [ACCESS_KEY_ID, SESSION_KEY_ID, 'hunter2', JWT, 'abcdefgh12345678']) {
      expect(problems.map((problem) => problem.message).join('\n')).not.toContain(secretValue);
    }
  });

  it("points a credential in a container's env value to the app's `secrets`, in the app API's words", () => {
    // GIVEN a Deployment of app api whose env holds an access key ID, as synth writes it
    const text = [
      'kind: Deployment', // 1
      'spec:', // 2
      '  template:', // 3
      '    spec:', // 4
      '      containers:', // 5
      '        - name: api', // 6
      '          env:', // 7
      '            - name: UPSTREAM_KEY', // 8
      `              value: ${ACCESS_KEY_ID}`, // 9
    ].join('\n');

    // WHEN
    const problems = secretSafetyProblems(output([], { 'app-api/deployment-api.yaml': text }));

    // THEN one line, naming the variable, the app's file and the `secrets` field, never the value
    expect(problems.map((problem) => problem.message)).toEqual([
      `line 9: an AWS access key ID, which looks like a credential; credentials never go to Git; ${secretDeclarationHint('UPSTREAM_KEY', 'api')}`,
    ]);
    expect(problems[0]!.message).toContain('under `secrets` in apps/api/src/index.ts');
    expect(problems[0]!.message).not.toContain(ACCESS_KEY_ID);
  });

  it("points a literal under a credential's name in a container env to the app's `secrets`; other fields keep the general advice", async () => {
    // GIVEN app api's Deployment with a password in its env, and a ConfigMap with a token
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'api' },
      spec: { template: { spec: { containers: [{ name: 'api', env: [{ name: 'DB_PASSWORD', value: 'not-in-git' }] }] } } },
    };
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'api' }, data: { SESSION_TOKEN: 'abc' } };

    // WHEN
    const problems = await renderedSecretProblems(
      output([
        { component: 'app-api', file: 'app-api/deployment-api.yaml', manifest: deployment },
        { component: 'app-api', file: 'app-api/configmap-cfg.yaml', manifest: configMap },
      ]),
    );

    // THEN
    expect(problems.map((problem) => problem.message)).toEqual([
      `containers[0] env DB_PASSWORD holds a literal value under a credential's name ("PASSWORD"); a credential never goes to Git: ${secretDeclarationHint('DB_PASSWORD', 'api')}`,
      expect.stringMatching(/^data SESSION_TOKEN holds a literal value under a credential's name \("TOKEN"\); a credential never goes to Git: keep it in AWS Secrets Manager/),
    ]);
  });

  it('does not mistake a CA certificate, a role ARN or a service account token mount for a credential', () => {
    const text = [
      `caData: ${caData('blue')}`,
      'roleARN: arn:aws:iam::555555555555:role/deployer',
      'automountServiceAccountToken: false',
      'serviceAccountToken:',
      '  path: token',
    ].join('\n');
    expect(credentialFindings(text)).toEqual([]);
  });

  it('finds nothing in the committed gitops/ tree', () => {
    const findings = filesUnder(repoRoot, 'gitops').flatMap((file) => credentialFindings(readFileSync(join(repoRoot, file), 'utf8')).map((finding) => `${file}: ${finding}`));
    expect(findings).toEqual([]);
  });
});

describe('every rendered string, by a credential\'s name and by value', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', annotations: { 'example.com/api-key': 'k-123', 'eks.amazonaws.com/token-expiration': '86400' } },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'web',
              env: [
                { name: 'DB_PASSWORD', value: 'hunter2hunter2' },
                { name: 'DB_PASSWORD_SECRET_ARN', value: 'arn:aws:secretsmanager:ap-northeast-1:444444444444:secret:db' },
                { name: 'SESSION_TOKEN', valueFrom: { secretKeyRef: { name: 'session', key: 'token' } } },
              ],
              args: ['--token=abc', '--log-level=debug'],
            },
          ],
        },
      },
    },
  };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { 'client-secret': 'shh', upstream: GITHUB_TOKEN } };

  it('names the file and the field of each literal under a credential\'s name, and each value secretlint recognises, never the value', async () => {
    const problems = await renderedSecretProblems(
      output(
        [
          { component: 'app-web', file: 'app-web/deployment-web.yaml', manifest: deployment },
          { component: 'app-web', file: 'app-web/configmap-settings.yaml', manifest: configMap },
        ],
        { 'app-web/configmap-settings.yaml': `apiVersion: v1\nkind: ConfigMap\ndata:\n  upstream: ${GITHUB_TOKEN}\n` },
      ),
    );
    const lines = problems.map((problem) => `${problem.file}: ${problem.message.split(';')[0]}`);
    expect(lines).toEqual([
      'gitops/ops/app-web/deployment-web.yaml: containers[0] env DB_PASSWORD holds a literal value under a credential\'s name ("PASSWORD")',
      'gitops/ops/app-web/deployment-web.yaml: containers[0] args --token holds a literal value under a credential\'s name ("token")',
      'gitops/ops/app-web/deployment-web.yaml: annotations example.com/api-key holds a literal value under a credential\'s name ("api-key")',
      'gitops/ops/app-web/configmap-settings.yaml: data client-secret holds a literal value under a credential\'s name ("client-secret")',
      'gitops/ops/app-web/configmap-settings.yaml: line 4: GITHUB_TOKEN (secretlint github)',
    ]);
    expect(problems.every((problem) => problem.message.includes('AWS Secrets Manager or an SSM SecureString'))).toBe(true);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
    expect(JSON.stringify(problems)).not.toContain(GITHUB_TOKEN);
  });

  it('finds nothing in the committed gitops/ tree', async () => {
    const files = new Map(filesUnder(repoRoot, 'gitops').map((file) => [file, readFileSync(join(repoRoot, file), 'utf8')]));
    expect(await renderedSecretProblems(output([], Object.fromEntries(files)))).toEqual([]);
  });
});
