import { credentialFindings } from '@gitops/argocd';
import { stringify } from 'yaml';

const MASK = (what: string) => `"*** masked: ${what} ***"`;
const KEY_LINE = /^(\s*(?:-\s+)?["']?[^\s"':#][^"':#]*["']?\s*:)(?:\s+(.*))?$/;
const indentOf = (line: string) => line.length - line.trimStart().length;

/** Secret values become a marker before anything is diffed, as helm-diff and kubectl diff do. */
function maskSecret(manifest: Record<string, any>): Record<string, any> {
  const masked = { ...manifest };
  for (const field of ['data', 'stringData'] as const) {
    const values = manifest[field];
    if (values && typeof values === 'object') {
      masked[field] = Object.fromEntries(Object.keys(values).sort().map((key) => [key, '*** masked: Secret value ***']));
    }
  }
  return masked;
}

/**
 * The text of one rendered file as the report may show it: a Secret's values replaced, and every
 * line the project's credential check (packages/argocd `credentialFindings`, the same check synth
 * runs) flags replaced by a marker naming what it found. A flagged key whose value is a block
 * scalar, and a PEM block, are masked down to their last line.
 */
export function maskText(text: string, manifest?: Readonly<Record<string, any>>): string {
  const source = manifest?.kind === 'Secret' ? stringify(maskSecret(manifest as Record<string, any>), { lineWidth: 0 }) : text;
  const findings = credentialFindings(source);
  if (findings.length === 0) return source;
  const lines = source.split('\n');
  for (const finding of findings) {
    const match = /^line (\d+): (.*)$/.exec(finding);
    if (!match) continue;
    const index = Number(match[1]) - 1;
    const what = match[2]!;
    const line = lines[index];
    if (line === undefined) continue;
    const keyed = KEY_LINE.exec(line);
    lines[index] = keyed ? `${keyed[1]} ${MASK(what)}` : `${' '.repeat(indentOf(line))}${MASK(what)}`;
    // A PEM block spans lines: mask through its END line.
    if (/PEM/.test(what) && !/-----END/.test(line)) {
      for (let next = index + 1; next < lines.length; next++) {
        const ended = /-----END/.test(lines[next]!);
        lines[next] = `${' '.repeat(indentOf(lines[next]!))}${MASK(what)}`;
        if (ended) break;
      }
    }
    // `token: |` and its more-indented lines: the value is the lines below.
    if (keyed && /^[|>]/.test(keyed[2] ?? '')) {
      for (let next = index + 1; next < lines.length && (lines[next]!.trim() === '' || indentOf(lines[next]!) > indentOf(line)); next++) {
        if (lines[next]!.trim() !== '') lines[next] = `${' '.repeat(indentOf(lines[next]!))}${MASK(what)}`;
      }
    }
  }
  return lines.join('\n');
}

/** One value (an SSM parameter) as the report may show it: masked whole when it looks like a credential. */
export function maskValue(value: string): string {
  const findings = credentialFindings(value);
  if (findings.length > 0) return `*** masked: ${findings[0]!.replace(/^line \d+: /, '')} ***`;
  return value.length <= 100 ? value : `${value.slice(0, 48)}… (${value.length} characters)`;
}
