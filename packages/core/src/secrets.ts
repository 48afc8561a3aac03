import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';

// Credentials never go to Git (gitops/ is public to everyone who can read the repository, and
// to every Argo CD that syncs it). Two ways to find one:
// - by value: secretlint's recommended preset (AWS, GCP, GitHub, GitLab, Slack, npm, OpenAI,
//   Anthropic, SendGrid, Shopify, Linear, 1Password, basic auth in URLs, database connection
//   strings, private keys, ...), maintained upstream, plus the few shapes it leaves to other
//   rules: AWS key IDs (it skips AWS's documented example key), PEM private key headers inside
//   a one-line value, JSON Web Tokens and bearer tokens;
// - by name: a variable, key or flag whose name ends in a credential's word holds a literal.

/** Where a credential belongs instead, for every message. */
export const SECRET_HOME =
  'keep it in AWS Secrets Manager or an SSM SecureString and have the app read it at run time with its IRSA role; only its name or ARN belongs here';

// The name ends in the credential's word: DB_PASSWORD, GITHUB_TOKEN, stripe-api-key, SESSION_SECRET.
// A name ending in ARN, NAME, ID, FILE, PATH, URL, ... points at a credential instead of holding it.
const SECRET_NAME = /(^|[-_./])(pass(word)?|passwd|pwd|passphrase|secret|token|api[-_]?key|apikey|private[-_]?key|credentials?|client[-_]?secret|access[-_]?key|secret[-_]?key|auth[-_]?key)$/i;

/** The credential word a name ends in (`DB_PASSWORD` → `PASSWORD`), or undefined. */
export function secretNameWord(name: string): string | undefined {
  const match = SECRET_NAME.exec(name);
  return match ? match[2] : undefined;
}

/** Credential shapes secretlint's preset leaves to other rules; each names what it found, never the value. */
export const CREDENTIAL_SHAPES: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  // IAM user (AKIA) and STS session (ASIA) access key IDs: 20 characters, upper case and digits.
  { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, what: 'an AWS access key ID' },
  { pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/, what: 'a PEM private key' },
  { pattern: /\bbearer\s+[A-Za-z0-9._~+/-]{8,}/i, what: 'a bearer token' },
  // A JSON Web Token (a Kubernetes service account token is one): base64url header "{"... and payload.
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./, what: 'a JSON Web Token' },
];

/** A credential found in a text: its 1-based line and what it looks like (never the value). */
export interface SecretFinding {
  readonly line: number;
  readonly what: string;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Every credential-shaped value in `text`, by line, in line order. */
export async function secretValueFindings(text: string, file = 'value.txt'): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  const result = await lintSource({
    source: { filePath: file, content: text, ext: file.slice(file.lastIndexOf('.')), contentType: 'text' },
    options: { config: { rules: [{ id: recommended.meta.id, rule: recommended }] }, maskSecrets: true },
  });
  for (const message of result.messages) {
    findings.push({ line: message.loc.start.line, what: `${message.messageId} (secretlint ${message.ruleId.replace('@secretlint/secretlint-rule-', '')})` });
  }
  for (const { pattern, what } of CREDENTIAL_SHAPES) {
    for (const match of text.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))) {
      const line = lineOf(text, match.index);
      if (!findings.some((finding) => finding.line === line)) findings.push({ line, what });
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}
