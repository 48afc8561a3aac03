import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One run of a command as a whole process. */
export interface Sample {
  readonly wallMs: number;
  /** Peak resident set size of the process tree's largest process, from GNU time. */
  readonly peakRssMiB?: number;
}

export interface Command {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes that count as success. @default [0] */
  readonly okCodes?: readonly number[];
}

// GNU time's %M is the maximum resident set size (KiB) that wait4() reports for the child,
// which covers the descendants it waited for: pnpm → node, or turbo → node, count as the
// largest of them. BSD/macOS time has no -f, so there the benchmark reports wall time only.
const GNU_TIME = '/usr/bin/time';
const hasGnuTime = (() => {
  if (!existsSync(GNU_TIME)) return false;
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  try {
    return new Promise<boolean>((resolve) => {
      const child = spawn(GNU_TIME, ['-f', '%M', '-o', join(dir, 'out'), 'true'], { stdio: 'ignore' });
      child.on('error', () => resolve(false));
      child.on('close', (code) => {
        resolve(code === 0 && /^\d+\s*$/.test(readFileSync(join(dir, 'out'), 'utf8')));
        rmSync(dir, { recursive: true, force: true });
      });
    });
  } catch {
    return false;
  }
})();

export class CommandFailed extends Error {}

/** Runs the command once; throws with its output when it exits with an unexpected code. */
export async function runOnce(command: Command): Promise<Sample & { readonly output: string }> {
  const gnuTime = await hasGnuTime;
  const dir = mkdtempSync(join(tmpdir(), 'bench-run-'));
  const rssFile = join(dir, 'rss');
  const [program, args] = gnuTime ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command.command, ...command.args]] : [command.command, [...command.args]];
  const started = process.hrtime.bigint();
  try {
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve, reject) => {
      const child = spawn(program, args, { cwd: command.cwd, env: { ...process.env, ...command.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit ?? 1, output: Buffer.concat(chunks).toString('utf8') }));
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (!(command.okCodes ?? [0]).includes(code)) {
      throw new CommandFailed(`${command.command} ${command.args.join(' ')} (in ${command.cwd}) exited ${code}:\n${output.slice(-3000)}`);
    }
    const rss = gnuTime && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) : Number.NaN;
    return Number.isFinite(rss) ? { wallMs, peakRssMiB: rss / 1024, output } : { wallMs, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median, minimum and maximum of some numbers. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function spreadOf(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

export interface Measurement {
  readonly runs: number;
  readonly wallMs: Spread;
  readonly peakRssMiB?: Spread;
  readonly samples: readonly Sample[];
}

export interface RepeatOptions {
  readonly warmup: number;
  readonly runs: number;
  /** Runs before every run (warm-up ones too), outside the timed part: restores the state the run needs. */
  readonly before?: (run: number) => void | Promise<void>;
  /** Sees every run's output (stdout and stderr). */
  readonly after?: (output: string) => void;
}

/**
 * Commands compared with each other, run in turns (A, B, A, B...) so that whatever else the
 * machine does at the time slows them alike: `warmup` untimed rounds, then `runs` timed ones.
 */
export async function repeatInterleaved(
  commands: readonly Command[],
  options: {
    readonly warmup: number;
    readonly runs: number;
    /** Runs before each command, outside the timed part. */
    readonly before?: (index: number) => void;
    readonly after?: (index: number, output: string) => void;
  },
): Promise<Measurement[]> {
  const samples: Sample[][] = commands.map(() => []);
  for (let round = 0; round < options.warmup + options.runs; round++) {
    for (const [index, command] of commands.entries()) {
      options.before?.(index);
      const { wallMs, peakRssMiB, output } = await runOnce(command);
      options.after?.(index, output);
      if (round >= options.warmup) samples[index]!.push(peakRssMiB === undefined ? { wallMs } : { wallMs, peakRssMiB });
    }
  }
  return samples.map(measurementOf);
}

function measurementOf(samples: readonly Sample[]): Measurement {
  const rss = samples.flatMap((sample) => (sample.peakRssMiB === undefined ? [] : [sample.peakRssMiB]));
  const peakRssMiB = spreadOf(rss);
  return { runs: samples.length, wallMs: spreadOf(samples.map((sample) => sample.wallMs))!, ...(peakRssMiB ? { peakRssMiB } : {}), samples };
}

/** `warmup` untimed runs, then `runs` timed ones. */
export async function repeat(command: Command | ((run: number) => Command), options: RepeatOptions): Promise<Measurement> {
  const commandOf = typeof command === 'function' ? command : () => command;
  const samples: Sample[] = [];
  for (let run = 0; run < options.warmup + options.runs; run++) {
    await options.before?.(run);
    const { wallMs, peakRssMiB, output } = await runOnce(commandOf(run));
    options.after?.(output);
    if (run >= options.warmup) samples.push(peakRssMiB === undefined ? { wallMs } : { wallMs, peakRssMiB });
  }
  return measurementOf(samples);
}
