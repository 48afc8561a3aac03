import { secretDeclarationHint } from '@gitops/app';
import { ARGOCD_COMPONENT, ARGOCD_NAMESPACE } from './conventions';
import type { RenderedOutput } from './rendered-output';
import { CLUSTER_SECRET_LABEL } from './spoke-cluster-secret';
import type { DeliveryProblem } from './topology';

// What must never reach Git. Each pattern names what it found, never the value itself.
const CREDENTIAL_PATTERNS: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  // IAM user (AKIA) and STS session (ASIA) access key IDs: 20 characters, upper case and digits.
  { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, what: 'an AWS access key ID' },
  { pattern: /aws_secret_access_key|aws_session_token/gi, what: 'an AWS secret key or session token setting' },
  { pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g, what: 'a PEM private key' },
  { pattern: /\bbearer\s+[A-Za-z0-9._~+/-]{8,}/gi, what: 'a bearer token' },
  // A JSON Web Token (a Kubernetes service account token is one): base64url header "{"... and payload.
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./g, what: 'a JSON Web Token' },
  // YAML keys a credential would sit under.
  { pattern: /^\s*(?:-\s+)?["']?(?:password|passwd|token|bearerToken|secretAccessKey|keyData|certData)["']?\s*:/gim, what: 'a password or token field' },
];

// "-----BEGIN" in base64: a PEM file encoded whole, as Secret data or a CA bundle hold it.
const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g;

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Every credential-like value in one file's text, as `line N: what`. */
export function credentialFindings(text: string): string[] {
  const findings: { line: number; what: string }[] = [];
  for (const { pattern, what } of CREDENTIAL_PATTERNS) {
    for (const match of text.matchAll(pattern)) findings.push({ line: lineOf(text, match.index), what });
  }
  for (const match of text.matchAll(BASE64_PEM)) {
    if (/PRIVATE KEY-----/.test(Buffer.from(match[0], 'base64').toString('latin1'))) {
      findings.push({ line: lineOf(text, match.index), what: 'a base64-encoded PEM private key' });
    }
  }
  return findings.sort((a, b) => a.line - b.line).map(({ line, what }) => `line ${line}: ${what}`);
}

/**
 * The variable a line sets when it is the `value:` of a container env entry, as synth writes
 * them (`- name: X` on the line before `value: ...`).
 */
function envVariableAt(text: string, line: number): string | undefined {
  const lines = text.split('\n');
  if (!/^\s*value:/.test(lines[line - 1] ?? '')) return undefined;
  return /^\s*-\s+name:\s*(\S+)\s*$/.exec(lines[line - 2] ?? '')?.[1];
}

const CLUSTER_STRING_DATA = ['config', 'name', 'server'];
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Why a Secret is not a hub cluster Secret as SpokeClusterSecret renders it: in the argocd
 * folder and namespace, labelled as a cluster, with `stringData` name, server and a config that
 * holds only `awsAuthConfig` (cluster name, role ARN) and a verified-TLS `tlsClientConfig` with the
 * CA certificate. Anything else (a token, a password, client key data, `data` that cannot be
 * read) is a finding. Empty when it is one.
 */
export function clusterSecretFindings(component: string, manifest: Readonly<Record<string, any>>): string[] {
  const findings: string[] = [];
  if (component !== ARGOCD_COMPONENT) findings.push(`is outside the ${ARGOCD_COMPONENT} folder`);
  if (manifest.metadata?.namespace !== ARGOCD_NAMESPACE) findings.push(`is not in namespace ${ARGOCD_NAMESPACE}`);
  if (manifest.metadata?.labels?.[CLUSTER_SECRET_LABEL] !== 'cluster') findings.push(`lacks the label ${CLUSTER_SECRET_LABEL}: cluster`);
  if (manifest.type !== undefined && manifest.type !== 'Opaque') findings.push(`has type ${manifest.type}, not Opaque`);
  if (manifest.data !== undefined) findings.push('has base64 `data`; a cluster Secret states everything in readable stringData');
  const stringData: Record<string, unknown> = manifest.stringData ?? {};
  for (const key of Object.keys(stringData).sort()) {
    if (!CLUSTER_STRING_DATA.includes(key)) findings.push(`has stringData.${key}; only ${CLUSTER_STRING_DATA.join(', ')} are allowed`);
  }
  for (const key of CLUSTER_STRING_DATA) {
    if (typeof stringData[key] !== 'string') findings.push(`lacks stringData.${key}`);
  }
  if (typeof stringData.server === 'string' && !stringData.server.startsWith('https://')) findings.push('has a server that is not https://');
  if (typeof stringData.config !== 'string') return findings;
  let config: any;
  try {
    config = JSON.parse(stringData.config);
  } catch {
    return [...findings, 'has a config that is not JSON'];
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return [...findings, 'has a config that is not a JSON object'];
  for (const key of Object.keys(config).sort()) {
    if (key !== 'awsAuthConfig' && key !== 'tlsClientConfig') findings.push(`has config.${key}; only awsAuthConfig and tlsClientConfig are allowed`);
  }
  const aws = config.awsAuthConfig ?? {};
  for (const key of Object.keys(aws).sort()) {
    if (key !== 'clusterName' && key !== 'roleARN') findings.push(`has config.awsAuthConfig.${key}; only clusterName and roleARN are allowed`);
  }
  if (typeof aws.clusterName !== 'string' || aws.clusterName === '') findings.push('lacks config.awsAuthConfig.clusterName');
  if (typeof aws.roleARN !== 'string' || !IAM_ROLE_ARN.test(aws.roleARN)) findings.push('lacks an IAM role ARN in config.awsAuthConfig.roleARN');
  const tls = config.tlsClientConfig ?? {};
  for (const key of Object.keys(tls).sort()) {
    if (key !== 'caData' && key !== 'insecure' && key !== 'serverName') {
      findings.push(`has config.tlsClientConfig.${key}; only caData, insecure (false) and serverName are allowed`);
    }
  }
  if (tls.insecure !== undefined && tls.insecure !== false) findings.push('has config.tlsClientConfig.insecure other than false');
  const ca = typeof tls.caData === 'string' ? Buffer.from(tls.caData, 'base64').toString('latin1') : '';
  if (!ca.startsWith('-----BEGIN CERTIFICATE-----')) findings.push('lacks base64 PEM CA certificate data in config.tlsClientConfig.caData');
  return findings;
}

/**
 * Nothing secret reaches gitops/: the only Secret the generator may render is a hub's cluster
 * Secret (which names a role to assume and holds no credential), and no file holds anything that
 * looks like a credential (AWS access keys, private keys, bearer or service account tokens,
 * password or token fields). Findings name the file and line, never the value.
 */
export function secretSafetyProblems(rendered: RenderedOutput): DeliveryProblem[] {
  const env = rendered.env.name;
  const problems: DeliveryProblem[] = [];
  const checkObject = (component: string, file: string, manifest: Readonly<Record<string, any>>) => {
    if (manifest.kind === 'List' && Array.isArray(manifest.items)) {
      for (const item of manifest.items) checkObject(component, file, item);
      return;
    }
    if (manifest.kind !== 'Secret') return;
    const findings = clusterSecretFindings(component, manifest);
    if (findings.length === 0) return;
    const message = `Secret ${manifest.metadata?.name}: the generator writes no Secret to Git except a hub's cluster Secret, and this one ${findings.join('; ')}`;
    problems.push({ env, component, file: `gitops/${env}/${file}`, message });
  };
  for (const { component, file, manifest } of rendered.objects) checkObject(component, file, manifest);
  for (const [file, text] of rendered.files) {
    const component = file.split('/')[0]!;
    for (const finding of credentialFindings(text)) {
      const variable = envVariableAt(text, Number(/^line (\d+):/.exec(finding)![1]));
      // A container env value: the fix is the app's `secrets`, worded by the app API.
      const hint = variable ? `; ${secretDeclarationHint(variable, component.startsWith('app-') ? component.slice('app-'.length) : undefined)}` : '';
      problems.push({ env, component, file: `gitops/${env}/${file}`, message: `${finding}, which looks like a credential; credentials never go to Git${hint}` });
    }
  }
  return problems;
}
