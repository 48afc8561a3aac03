import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { duplicateKeyProblems, type SourceDuplicateKey } from './duplicate-keys';
import { withSynthLock } from './lock';
import type { TreeThreadStarter } from './tree-thread';
import type { Parallelism } from './parallel';
import type { LiveSource } from './params/live';
import { SnapshotSource } from './params/snapshot';
import { formatProblem, SynthError, type Problem } from './problems';
import type { RenderCacheOptions } from './render-cache';
import { synth, type SynthResult } from './synth';
import { loadWorkspace, selectEnvironments } from './workspace';

const USAGE = `usage:
  synth [--env <name>]... [--check] [--refuse-placeholders] [--live] [--root <dir>] [--endpoint <url>] [--debug]
  params:pull --env <name>... [--root <dir>] [--endpoint <url>] [--debug]

  --env       environment to render or pull (repeatable; synth defaults to all)
  --check     render in memory and fail, listing files, if the committed gitops/ differs
  --refuse-placeholders
              fail on placeholder parameters in the snapshot of a deployed env (one read from SSM); CI sets it
  --live      read parameters from SSM instead of clusters/<env>/ssm-snapshot.json
  --root      repository root (default: this repository)
  --endpoint  SSM endpoint URL (a local SSM-protocol server; default: the AWS endpoint)
  --debug     print the stack trace of an unexpected error`;

/** What synth prints on stdout for a result, and the trace lines (GITOPS_SYNTH_TRACE) for stderr. */
function summaryOf(result: SynthResult, check: boolean): { lines: string[]; trace: string[] } {
  const lines: string[] = [];
  const trace: string[] = [];
  for (const env of result.environments) {
    const { added, changed, removed } = env.diff;
    const verb = check ? 'differ' : 'written';
    lines.push(
      `${env.env}: ${env.objects} objects in ${env.components} components; ` +
        `${added.length} added, ${changed.length} changed, ${removed.length} removed` +
        (added.length + changed.length + removed.length > 0 ? ` (${verb})` : ''),
    );
    for (const line of env.report) lines.push(`  ${line}`);
    // How each env was rendered, for tests and for finding out why a run was slow.
    if (env.work) {
      const { rendered, reused, reusedResults, reusedWhole, thread } = env.work;
      const results = reusedResults ? ', check results reused' : reusedWhole ? ', whole-env results reused' : '';
      trace.push(`trace: ${env.env}: ${rendered} rendered, ${reused} reused${results}, thread ${thread}`);
    }
  }
  for (const orphan of result.orphans) lines.push(`${orphan}: no env in clusters/; gitops/${orphan}/ ${check ? 'is extra' : 'removed'}`);
  if (check && result.upToDate) lines.push('gitops/ is up to date');
  return { lines, trace };
}

function printSynth(result: SynthResult, check: boolean): void {
  // One write for the summary: a line per workload of 3,000 apps made a write each.
  const { lines, trace } = summaryOf(result, check);
  if (process.env.GITOPS_SYNTH_TRACE && trace.length > 0) console.error(trace.join('\n'));
  if (lines.length > 0) console.log(lines.join('\n'));
  if (!check || result.upToDate) return;
  const differences: string[] = [];
  for (const env of result.environments) {
    for (const [kind, paths] of [['stale', env.diff.changed], ['missing', env.diff.added], ['extra', env.diff.removed]] as const) {
      for (const path of paths) differences.push(`${kind}: gitops/${env.env}/${path}`);
    }
  }
  for (const orphan of result.orphans) differences.push(`extra: gitops/${orphan}/`);
  differences.push('gitops/ is stale: run `pnpm synth` and commit the result');
  console.error(differences.join('\n'));
}

/**
 * A run that left gitops/ as its inputs render it, as the launcher keeps it (`Launch.remember`):
 * each env folder's expected files, and what a run of the same inputs on that tree prints.
 */
export interface RememberedRun {
  readonly envs: readonly { readonly env: string; readonly expected: readonly (readonly [string, string])[] }[];
  readonly stdout: string;
  /** The trace lines (GITOPS_SYNTH_TRACE) of such a run. */
  readonly trace: string;
}

/** What a run of the same inputs prints once `result` is in gitops/: nothing differs, every env's results reused. */
function rememberedRun(result: SynthResult, check: boolean): RememberedRun {
  const none = { added: [], changed: [], removed: [] };
  const settled: SynthResult = {
    environments: result.environments.map((env) => ({
      ...env,
      diff: none,
      ...(env.work ? { work: { rendered: 0, reused: env.components, reusedResults: true, reusedWhole: true, thread: 0 } } : {}),
    })),
    orphans: [],
    upToDate: true,
  };
  const { lines, trace } = summaryOf(settled, check);
  return { envs: result.environments.map(({ env, expected }) => ({ env, expected: [...expected] })), stdout: lines.join('\n'), trace: trace.join('\n') };
}

const FILE_SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EBUSY: 'busy',
  EMFILE: 'too many open files',
};

/**
 * An error that is not a finding about the inputs, as one problem line: a file system error
 * names its path (relative to the repository) and what the system said; anything else its
 * message. The stack trace only with --debug, on stderr before the line.
 */
function unexpectedProblem(error: unknown, root: string, debug: boolean): Problem {
  if (debug) console.error(error instanceof Error ? error.stack : String(error));
  const errno = error as NodeJS.ErrnoException;
  const said = errno.code ? FILE_SYSTEM_ERRORS[errno.code] : undefined;
  if (said && errno.path) {
    const path = relative(root, errno.path) || '.';
    return { file: path.startsWith('..') ? errno.path : path, message: `${said} (${errno.code}${errno.syscall ? `, ${errno.syscall}` : ''}); check the owner and mode of that path` };
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return { message: `unexpected error: ${message}${debug ? '' : ' (run with --debug for the stack trace)'}` };
}

export { renderWorker } from './parallel';

/**
 * What bin/synth.mjs gives synth besides the arguments: what it learned while bundling the
 * sources, the render cache, worker threads, and where to keep a run that passed, so a run of the
 * same inputs on the same tree can answer without loading synth.
 */
export interface Launch {
  readonly duplicateKeys?: readonly SourceDuplicateKey[];
  readonly cache?: RenderCacheOptions;
  readonly parallelism?: Parallelism;
  readonly treeThread?: TreeThreadStarter;
  readonly remember?: (run: RememberedRun) => void;
}

/** Runs one command; returns the process exit code. */
export async function main(argv: readonly string[], launch: Launch = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        env: { type: 'string', multiple: true },
        check: { type: 'boolean', default: false },
        live: { type: 'boolean', default: false },
        'refuse-placeholders': { type: 'boolean', default: false },
        root: { type: 'string' },
        endpoint: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        debug: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'synth' && values.endpoint && !values.live) {
    console.error(`error: --endpoint only applies with --live (synth otherwise reads the snapshots)\n${USAGE}`);
    return 2;
  }
  if (command === 'synth' && values['refuse-placeholders'] && values.live) {
    console.error(`error: --refuse-placeholders only applies to the snapshots, not --live\n${USAGE}`);
    return 2;
  }
  const root = resolve(values.root ?? process.env.GITOPS_ROOT ?? process.cwd());
  // The AWS SDK is loaded only by the commands that read SSM: a snapshot synth never pays for it.
  const live = async (): Promise<LiveSource> => new (await import('./params/live')).LiveSource(values.endpoint ? { endpoint: values.endpoint } : {});
  const sourceProblems = duplicateKeyProblems(launch.duplicateKeys ?? []);
  try {
    if (command === 'synth' && positionals.length === 1) {
      // The default source (the snapshots) is left to synth, which then may render on worker threads.
      const source = values.live ? await live() : values['refuse-placeholders'] ? new SnapshotSource(root, { refusePlaceholders: true }) : undefined;
      const result = await withSynthLock(root, { readOnly: values.check }, async () =>
        synth({
          root,
          envs: values.env ?? [],
          check: values.check,
          sourceProblems,
          ...(launch.cache ? { cache: launch.cache } : {}),
          ...(launch.parallelism ? { parallelism: launch.parallelism } : {}),
          ...(launch.treeThread ? { treeThread: launch.treeThread } : {}),
          ...(source ? { source } : {}),
        }),
      );
      printSynth(result, values.check);
      if (values.check && !result.upToDate) return 1;
      launch.remember?.(rememberedRun(result, values.check));
      return 0;
    }
    if (command === 'params:pull' && positionals.length === 1 && values.env?.length) {
      if (sourceProblems.length > 0) throw new SynthError(sourceProblems);
      const workspace = await loadWorkspace(root);
      const [{ pullSnapshots, formatPull }, source] = await Promise.all([import('./params/pull'), live()]);
      const envs = selectEnvironments(workspace, values.env);
      for (const result of await pullSnapshots(root, envs, source)) {
        for (const line of formatPull(result)) console.log(line);
      }
      return 0;
    }
  } catch (error) {
    const problems = error instanceof SynthError ? error.problems : [unexpectedProblem(error, root, values.debug)];
    for (const problem of problems) console.error(formatProblem(problem));
    const unchanged = command === 'params:pull' ? 'no snapshot was written' : 'gitops/ was not changed';
    console.error(`${problems.length} problem${problems.length === 1 ? '' : 's'}; ${unchanged}`);
    return 1;
  }
  console.error(USAGE);
  return 2;
}
