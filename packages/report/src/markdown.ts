import type { ApplicationChange, Comparison, EnvSummary, FargateTotals, Flag, FlagKind, ObjectChange } from './compare';
import { maskValue } from './mask';

/** GitHub's limit on one issue or pull-request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** What the report compared, and whether the working tree's gitops/ matches its sources. */
export interface ReportHeader {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly sources: SourcesState;
}

/** `synth --check` of the working tree: fresh, stale (with the files), or not renderable (with synth's first lines). */
export type SourcesState =
  | { readonly state: 'fresh' }
  | { readonly state: 'stale'; readonly files: readonly string[] }
  | { readonly state: 'unrenderable'; readonly lines: readonly string[] }
  | { readonly state: 'unchecked'; readonly reason: string };

// Most severe first: what deletes, then what widens access, then what changes what runs.
const FLAG_ORDER: readonly FlagKind[] = ['delete', 'namespace', 'crd', 'disruption', 'rbac', 'webhook', 'iam', 'ssm', 'placeholder', 'image', 'replicas'];
const FLAG_LABEL: Readonly<Record<FlagKind, string>> = {
  delete: '🗑️ delete',
  namespace: '⛔ namespace',
  crd: '⛔ CRD',
  disruption: '⚠️ availability',
  rbac: '🔐 RBAC',
  webhook: '🪝 webhook',
  iam: '🔑 IAM',
  ssm: '🧾 SSM',
  placeholder: '🚧 placeholder',
  image: '📦 image',
  replicas: '📉 replicas',
};

const amount = (n: number) => String(Number(n.toFixed(2)));
const dollars = (n: number) => `$${n.toFixed(4)}`;

function beforeAfter(before: number | undefined, after: number | undefined, format: (n: number) => string): string {
  if (before === undefined && after === undefined) return '–';
  if (before === undefined) return `(new) → ${format(after!)}`;
  if (after === undefined) return `${format(before)} → (removed)`;
  return before === after ? format(after) : `${format(before)} → ${format(after)}`;
}

function costCell({ before, after }: EnvSummary['fargate']): string {
  if ((before && before.hourly === undefined) || (after && after.hourly === undefined)) return 'cost unknown';
  const cell = beforeAfter(before?.hourly, after?.hourly, dollars);
  if (before?.hourly !== undefined && after?.hourly !== undefined && before.hourly !== after.hourly) {
    const delta = after.hourly - before.hourly;
    return `${cell} (${delta > 0 ? '+' : '−'}${dollars(Math.abs(delta))})`;
  }
  return cell;
}

const counts = (c: Readonly<Record<'added' | 'changed' | 'removed', number>>) => `+${c.added} ~${c.changed} −${c.removed}`;

/** A code fence longer than any backtick run in `text`, so a diff can never close it early. */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function objectBlock(change: ObjectChange): string {
  const body = change.diff.join('\n');
  const f = fence(body);
  const note = change.note ? `_${change.note}_\n\n` : '';
  return `#### ${change.title} (${change.status})\n\n${note}${f}diff\n${body}\n${f}\n`;
}

function collapsedLine(change: ObjectChange): string {
  return `- **${change.title}** (${change.status}, +${change.linesAdded} −${change.linesRemoved} lines): diff left out to fit the comment limit\n`;
}

function applicationSummary(application: ApplicationChange): string {
  const by = (status: string) => application.objects.filter((o) => o.status === status).length;
  const parts = (['added', 'changed', 'removed'] as const).filter((s) => by(s) > 0).map((s) => `${by(s)} ${s}`);
  const added = application.objects.reduce((n, o) => n + o.linesAdded, 0);
  const removed = application.objects.reduce((n, o) => n + o.linesRemoved, 0);
  return `<b>${application.name}</b> (${application.status}): ${parts.join(', ')} · +${added} −${removed} lines`;
}

function flagLines(flags: readonly Flag[]): string[] {
  const ordered = [...flags].sort((a, b) => FLAG_ORDER.indexOf(a.kind) - FLAG_ORDER.indexOf(b.kind) || (a.env < b.env ? -1 : a.env > b.env ? 1 : 0));
  return ordered.map((flag) => `- ${FLAG_LABEL[flag.kind]} · **${flag.env}**: ${flag.text}`);
}

function sourcesBanner(sources: SourcesState): string {
  switch (sources.state) {
    case 'fresh':
      return '';
    case 'stale': {
      const shown = sources.files.slice(0, 10).map((file) => `\`${file}\``).join(', ');
      const more = sources.files.length > 10 ? ` and ${sources.files.length - 10} more` : '';
      return `> [!CAUTION]\n> **gitops/ is stale**: it is not what its sources render (${sources.files.length} file${sources.files.length === 1 ? '' : 's'}: ${shown}${more}). Run \`pnpm synth\` and commit the result; until then this report describes the committed gitops/, not the sources.\n\n`;
    }
    case 'unrenderable':
      return `> [!CAUTION]\n> **The working tree's sources do not render** (\`pnpm synth --check\`): ${sources.lines.slice(0, 3).map((line) => `\`${line.replace(/`/g, "'")}\``).join('; ')}. This report describes the committed gitops/, not the sources.\n\n`;
    case 'unchecked':
      return `> [!NOTE]\n> Not checked whether gitops/ is what its sources render: ${sources.reason}.\n\n`;
  }
}

function fargateNote(envs: readonly EnvSummary[]): string {
  const regions = [...new Set(envs.flatMap((env) => [env.fargate.before?.region, env.fargate.after?.region]).filter((r): r is string => r !== undefined))].sort();
  if (regions.length === 0) return '';
  return `Fargate figures are pods at the size Fargate runs them (requests + 256 MB, rounded up to a Fargate combination; packages/fargate), priced at on-demand ${regions.join(', ')} rates where a sourced price is known (packages/fargate/src/prices.ts): an estimate, not a bill.\n`;
}

/**
 * The report as Markdown for one pull-request comment. Past `maxLength` characters, object diffs
 * collapse to one line each, largest first, until it fits (as argocd-diff-preview truncates
 * whole resources), and a banner says how many were left out.
 */
export function toMarkdown(header: ReportHeader, comparison: Comparison, { maxLength = GITHUB_COMMENT_LIMIT } = {}): string {
  const changes = comparison.applications.flatMap((application) => application.objects);
  const render = (collapsed: ReadonlySet<ObjectChange>, banner: string) => {
    const out: string[] = [];
    out.push(`## Rendered changes: \`${header.base.commit.slice(0, 12)}\` (${header.base.ref}) → working tree\n\n`);
    out.push(sourcesBanner(header.sources));
    out.push(banner);
    const changedEnvs = comparison.envs.filter((env) => env.status !== 'unchanged');
    if (changedEnvs.length === 0) {
      out.push(`No change to any rendered object or SSM snapshot in ${comparison.envs.length} env${comparison.envs.length === 1 ? '' : 's'}.\n`);
      return out.join('');
    }
    out.push('### Needs attention\n\n');
    const flags = flagLines(comparison.flags);
    out.push(flags.length > 0 ? `${flags.join('\n')}\n\n` : 'Nothing flagged: no deletions, RBAC, webhook, IAM, SSM, image or replica changes.\n\n');
    out.push('### Summary\n\n');
    out.push('| env | Applications | objects | Fargate pods | vCPU | GB | est. $/hour |\n|---|---|---|---|---|---|---|\n');
    for (const env of comparison.envs) {
      const { before, after } = env.fargate;
      const status = env.status === 'unchanged' ? ' (no change)' : env.status === 'changed' ? '' : ` (${env.status})`;
      out.push(
        `| ${env.env}${status} | ${counts(env.applications)} | ${counts(env.objects)} | ${beforeAfter(before?.pods, after?.pods, String)} | ` +
          `${beforeAfter(before?.vcpu, after?.vcpu, amount)} | ${beforeAfter(before?.gb, after?.gb, amount)} | ${costCell(env.fargate)} |\n`,
      );
    }
    out.push(`\nCounts are \`+\` added, \`~\` changed, \`−\` removed. ${fargateNote(comparison.envs)}\n`);
    if (comparison.parameters.length > 0) {
      out.push('### SSM snapshot changes\n\n| env | parameter | before | after |\n|---|---|---|---|\n');
      for (const p of comparison.parameters) {
        const cell = (value: string | undefined) => (value === undefined ? '–' : `\`${escapeCell(maskValue(value))}\``);
        out.push(`| ${p.env} | \`${p.name}\` | ${cell(p.before)} | ${cell(p.after)} |\n`);
      }
      out.push('\n');
    }
    for (const env of changedEnvs) {
      const applications = comparison.applications.filter((application) => application.env === env.env);
      if (applications.length === 0) continue;
      out.push(`### ${env.env}\n\n`);
      for (const application of applications) {
        out.push(`<details><summary>${applicationSummary(application)}</summary>\n\n`);
        for (const change of application.objects) out.push(collapsed.has(change) ? collapsedLine(change) : objectBlock(change));
        out.push('\n</details>\n\n');
      }
    }
    return out.join('');
  };

  const full = render(new Set(), '');
  if (full.length <= maxLength) return full;
  const bannerFor = (n: number) =>
    `> [!WARNING]\n> ${n} of ${changes.length} object diffs are left out (one line each below) to stay under the ${String(maxLength).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}-character comment limit. ` +
    `Run \`pnpm report --base ${header.base.ref}\` locally for all of them.\n\n`;
  // Largest first, so the fewest objects lose their diff; among equals the last go first, keeping the top of the report whole.
  const order = changes.map((change, index) => ({ change, index, saved: objectBlock(change).length - collapsedLine(change).length }));
  order.sort((a, b) => b.saved - a.saved || b.index - a.index);
  const collapsed = new Set<ObjectChange>();
  let length = full.length + bannerFor(changes.length).length;
  for (const { change, saved } of order) {
    if (length <= maxLength) break;
    collapsed.add(change);
    length -= saved;
  }
  const fitted = render(collapsed, bannerFor(collapsed.size));
  if (fitted.length <= maxLength) return fitted;
  // Even one line per object is too long: cut at a line, closing what is open.
  const tail = `\n\n</details>\n\n**Report cut here**: ${fitted.length - maxLength} more characters than the limit even with every diff left out. Run \`pnpm report --base ${header.base.ref}\` locally.\n`;
  const cut = fitted.lastIndexOf('\n', maxLength - tail.length);
  return fitted.slice(0, cut) + tail;
}
