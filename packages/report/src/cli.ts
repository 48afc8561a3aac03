import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ReportError } from './git';
import { GITHUB_COMMENT_LIMIT, toMarkdown } from './markdown';
import { buildReport } from './report';

const USAGE = `usage: report --base <git-ref> [--out <file>] [--format markdown|json] [--max-length <n>] [--detailed-exitcode] [--root <dir>]

  --base               the ref to compare with: its committed gitops/ is what Argo CD runs once it is deployed
  --out                write the report to this file instead of stdout
  --format             markdown (default: one pull-request comment) or json (everything, never shortened)
  --max-length         markdown only: collapse object diffs past this many characters (default ${GITHUB_COMMENT_LIMIT}, GitHub's comment limit)
  --detailed-exitcode  exit 2 when anything changed, 0 when nothing did (as helm-diff's flag)
  --root               any folder of the repository (default: the current one)`;

/** Runs `pnpm report`; returns the exit code. */
export function main(argv: readonly string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        base: { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string', default: 'markdown' },
        'max-length': { type: 'string' },
        'detailed-exitcode': { type: 'boolean', default: false },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    console.error(`report: ${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.base) {
    console.error(`report: --base <git-ref> is required\n${USAGE}`);
    return 1;
  }
  if (values.format !== 'markdown' && values.format !== 'json') {
    console.error(`report: --format must be markdown or json, not "${values.format}"`);
    return 1;
  }
  const maxLength = values['max-length'] === undefined ? GITHUB_COMMENT_LIMIT : Number(values['max-length']);
  if (!Number.isInteger(maxLength) || maxLength < 1000) {
    console.error(`report: --max-length must be a whole number of at least 1000, not "${values['max-length']}"`);
    return 1;
  }
  try {
    const report = buildReport({ root: resolve(values.root ?? process.cwd()), base: values.base });
    const text = values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : toMarkdown(report, report, { maxLength });
    if (values.out) writeFileSync(values.out, text);
    else process.stdout.write(text);
    const changed = report.envs.some((env) => env.status !== 'unchanged');
    return values['detailed-exitcode'] && changed ? 2 : 0;
  } catch (error) {
    if (error instanceof ReportError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = main(process.argv.slice(2));
}
