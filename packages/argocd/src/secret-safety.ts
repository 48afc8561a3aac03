import { secretDeclarationHint } from '@gitops/app';
import { CREDENTIAL_SHAPES, SECRET_HOME, secretNameWord, secretValueFindings } from '@gitops/core';
import { ARGOCD_COMPONENT, ARGOCD_NAMESPACE } from './conventions';
import type { RenderedOutput } from './rendered-output';
import { CLUSTER_SECRET_LABEL } from './spoke-cluster-secret';
import type { DeliveryProblem } from './topology';

// What must never reach Git. Each pattern names what it found, never the value itself: the
// credential shapes of packages/core (AWS key IDs, PEM private keys, bearer tokens, JWTs) with
// the `g` flag, and the settings and YAML keys a credential would sit under.
const CREDENTIAL_PATTERNS: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  ...CREDENTIAL_SHAPES.map(({ pattern, what }) => ({ pattern: new RegExp(pattern.source, `${pattern.flags}g`), what })),
  { pattern: /aws_secret_access_key|aws_session_token/gi, what: 'an AWS secret key or session token setting' },
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
      const hint = variable ? `; ${secretDeclarationHint(variable, appOf(component))}` : '';
      problems.push({ env, component, file: `gitops/${env}/${file}`, message: `${finding}, which looks like a credential; credentials never go to Git${hint}` });
    }
  }
  return problems;
}

/** The app a component folder renders (`app-api` → `api`). */
const appOf = (component: string) => (component.startsWith('app-') ? component.slice('app-'.length) : undefined);

/**
 * The variable a line sets when it is the `value:` of a container env entry, as synth writes
 * them (`- name: X` on the line before `value: ...`): its fix is the app's `secrets`.
 */
function envVariableAt(text: string, line: number): string | undefined {
  const lines = text.split('\n');
  if (!/^\s*value:/.test(lines[line - 1] ?? '')) return undefined;
  return /^\s*-\s+name:\s*(\S+)\s*$/.exec(lines[line - 2] ?? '')?.[1];
}

// `--password=x`, `--api-key x` as one argument: the flag names what follows.
const FLAG = /^--?([A-Za-z][A-Za-z0-9_.-]*)[= ](.+)$/;

/** Literal strings under a credential's name in one object: container env values and flags, ConfigMap data, annotations and labels. */
function namedCredentials(manifest: Readonly<Record<string, any>>): { finding: string; variable?: string }[] {
  const found: { finding: string; variable?: string }[] = [];
  const named = (name: string, value: unknown, where: string, variable?: string) => {
    const word = secretNameWord(name);
    if (word && typeof value === 'string' && value.trim() !== '') {
      found.push({ finding: `${where} holds a literal value under a credential's name ("${word}")`, ...(variable ? { variable } : {}) });
    }
  };
  const pod = manifest.spec?.template?.spec ?? (manifest.kind === 'Pod' ? manifest.spec : undefined);
  for (const [group, containers] of [['containers', pod?.containers], ['initContainers', pod?.initContainers]] as const) {
    (Array.isArray(containers) ? containers : []).forEach((container: any, index: number) => {
      for (const variable of Array.isArray(container.env) ? container.env : []) {
        named(String(variable.name), variable.value, `${group}[${index}] env ${variable.name}`, String(variable.name));
      }
      for (const field of ['args', 'command'] as const) {
        for (const argument of Array.isArray(container[field]) ? container[field] : []) {
          const flag = FLAG.exec(String(argument));
          if (flag) named(flag[1]!, flag[2], `${group}[${index}] ${field} --${flag[1]}`);
        }
      }
    });
  }
  if (manifest.kind === 'ConfigMap') for (const [key, value] of Object.entries(manifest.data ?? {})) named(key, value, `data ${key}`);
  for (const field of ['annotations', 'labels'] as const) {
    for (const [key, value] of Object.entries(manifest.metadata?.[field] ?? {})) named(key.slice(key.lastIndexOf('/') + 1), value, `${field} ${key}`);
  }
  return found;
}

/**
 * Every rendered string scanned for credentials, by name (a container env variable, a flag, a
 * ConfigMap key, an annotation or label whose name ends in password, secret, token, API key,
 * private key, credentials, ...) and by value (secretlint's recommended preset over each file:
 * AWS, GitHub, GitLab, Slack, npm and other tokens, private keys, basic auth and database URLs).
 * Findings name the file and the field or line, never the value. Secret objects are checked by
 * `secretSafetyProblems`.
 */
export async function renderedSecretProblems(rendered: RenderedOutput): Promise<DeliveryProblem[]> {
  const env = rendered.env.name;
  const problems: DeliveryProblem[] = [];
  const credential = `a credential never goes to Git: ${SECRET_HOME}`;
  for (const { component, file, manifest } of rendered.objects) {
    if (manifest.kind === 'Secret') continue;
    for (const { finding, variable } of namedCredentials(manifest)) {
      // A container's env variable: the app declares it under `secrets` instead.
      const advice = variable ? `a credential never goes to Git: ${secretDeclarationHint(variable, appOf(component))}` : credential;
      problems.push({ env, component, file: `gitops/${env}/${file}`, message: `${finding}; ${advice}` });
    }
  }
  const patterned = new Set<string>();
  for (const [file, text] of rendered.files) for (const finding of credentialFindings(text)) patterned.add(`${file} ${finding.split(':')[0]}`);
  // One secretlint pass over all of the env's files (one call costs ~1 ms of set-up, the scan
  // itself ~3 ms for 100 kB), each finding's line mapped back to its file.
  const starts: { file: string; first: number }[] = [];
  let line = 1;
  for (const [file, text] of rendered.files) {
    starts.push({ file, first: line });
    line += text.split('\n').length;
  }
  const all = [...rendered.files.values()].join('\n');
  for (const finding of await secretValueFindings(all, 'gitops.yaml')) {
    const at = starts.findLast((start) => start.first <= finding.line)!;
    const lineInFile = finding.line - at.first + 1;
    if (patterned.has(`${at.file} line ${lineInFile}`)) continue;
    const component = at.file.split('/')[0]!;
    const variable = envVariableAt(rendered.files.get(at.file)!, lineInFile);
    const advice = variable ? `a credential never goes to Git: ${secretDeclarationHint(variable, appOf(component))}` : credential;
    problems.push({ env, component, file: `gitops/${env}/${at.file}`, message: `line ${lineInFile}: ${finding.what}; ${advice}` });
  }
  return problems;
}
