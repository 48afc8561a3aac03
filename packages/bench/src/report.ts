import { cpus, loadavg, release, totalmem } from 'node:os';
import type { LiveCalls } from './live-calls';
import type { Measurement } from './measure';

/** One measured scenario. */
export interface ScenarioResult {
  /** Stable key for comparing between commits, e.g. `apps-200.synth`. */
  readonly id: string;
  readonly label: string;
  readonly command: string;
  readonly measurement: Measurement;
  /** Something a reader needs to read the figure right (a cache miss, a stale tree). */
  readonly note?: string;
}

export interface Target {
  readonly name: string;
  /** The measured figure, as printed. */
  readonly value: string;
  readonly met: boolean;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  /** 1-minute load averages at the start and the end: other work on the machine slows every figure. */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

export interface BenchReport {
  readonly machine: Machine;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly scenarios: readonly ScenarioResult[];
  readonly ratios: readonly { readonly name: string; readonly value: number }[];
  readonly live?: LiveCalls;
  readonly targets: readonly Target[];
}

export const loadAverageNow = () => Math.round(loadavg()[0]! * 100) / 100;

/** The machine, with its load average now and at `loadAtStart` (from `loadAverageNow()`). */
export function machine(loadAtStart: number): Machine {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAverage: { start: loadAtStart, end: loadAverageNow() },
  };
}

export const formatMs = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);

const formatWall = ({ wallMs }: Measurement) =>
  wallMs.min === wallMs.max ? formatMs(wallMs.median) : `${formatMs(wallMs.median)} (${formatMs(wallMs.min)}–${formatMs(wallMs.max)})`;

const formatRss = ({ peakRssMiB }: Measurement) => (peakRssMiB ? `${peakRssMiB.median.toFixed(0)} MiB` : 'n/a');

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** The report as a person reads it. */
export function formatReport(report: BenchReport): string {
  const { machine: m } = report;
  const lines = [
    `pnpm bench: ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}; load average ${m.loadAverage.start} at the start, ${m.loadAverage.end} at the end`,
    `median of ${String(report.settings.runs)} runs after ${String(report.settings.warmup)} warm-up (min–max); peak RSS is the largest process's (GNU time)`,
    '',
    table([
      ['scenario', 'wall time', 'peak RSS', 'note'],
      ...report.scenarios.map((scenario) => [scenario.label, formatWall(scenario.measurement), formatRss(scenario.measurement), scenario.note ?? '']),
    ]),
    '',
    table([['ratio', 'value'], ...report.ratios.map((ratio) => [ratio.name, ratio.value.toFixed(2)])]),
  ];
  if (report.live) {
    lines.push(
      '',
      `live mode (synth --live --check, local SSM server answering after ${report.live.latencyMs} ms): ${formatMs(report.live.sample.wallMs)}, ` +
        `envs read in parallel: ${report.live.parallel ? 'yes' : 'no'}`,
      table([
        ['env', 'parameters', 'pages (10 each)', 'GetParametersByPath calls'],
        ...report.live.envs.map((env) => [env.env, String(env.parameters), String(env.pages), String(env.calls)]),
      ]),
    );
  }
  lines.push('', 'targets', ...report.targets.map((target) => `  ${target.met ? 'met   ' : 'MISSED'}  ${target.name}: ${target.value}`));
  return `${lines.join('\n')}\n`;
}
