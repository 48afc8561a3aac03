import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareTrees, type Comparison, type SnapshotValues } from './compare';
import { checkIndex, readCommitFiles, ReportError, resolveCommit, topLevel } from './git';
import type { ReportHeader, SourcesState } from './markdown';
import { parseTree, readWorkingTree } from './tree';

export interface ReportOptions {
  /** Any folder inside the repository's working tree. */
  readonly root: string;
  /** The git ref to compare with (a branch, tag or commit). */
  readonly base: string;
  /** Whether the working tree's gitops/ is what its sources render. @default `synth --check` of the working tree */
  readonly checkSources?: (root: string) => SourcesState;
}

export interface Report extends ReportHeader, Comparison {}

const SYNTH = fileURLToPath(new URL('../../synth/bin/synth.mjs', import.meta.url));

/** Runs this repository's `synth --check` on the working tree and reads its verdict. */
export function synthCheck(root: string): SourcesState {
  if (!existsSync(join(root, 'clusters'))) return { state: 'unchecked', reason: 'no clusters/ folder to render from' };
  const result = spawnSync(process.execPath, [SYNTH, 'synth', '--check', '--root', root], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status === 0) return { state: 'fresh' };
  const lines = `${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  const files = lines.flatMap((line) => /^(?:stale|missing|extra): (\S+)$/.exec(line)?.[1] ?? []);
  if (result.status === 1 && files.length > 0) return { state: 'stale', files };
  return { state: 'unrenderable', lines: lines.filter((line) => !/^\s+at /.test(line)).slice(0, 5) };
}

function snapshotValues(text: string, label: string): SnapshotValues {
  let json: any;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ReportError(`report: ${label} is not valid JSON: ${(error as Error).message}`);
  }
  const parameters: Record<string, { value?: unknown; placeholder?: unknown }> = json?.parameters ?? {};
  const values = new Map<string, string>();
  const placeholders: string[] = [];
  for (const [name, entry] of Object.entries(parameters)) {
    values.set(name, String(entry?.value ?? ''));
    if (entry?.placeholder === true) placeholders.push(name);
  }
  return { values, placeholders: placeholders.sort() };
}

const SNAPSHOT = /^clusters\/([^/]+)\/ssm-snapshot\.json$/;

function workingSnapshots(root: string): Map<string, SnapshotValues> {
  const found = new Map<string, SnapshotValues>();
  const clusters = join(root, 'clusters');
  if (!existsSync(clusters)) return found;
  for (const entry of readdirSync(clusters, { withFileTypes: true })) {
    const path = join(clusters, entry.name, 'ssm-snapshot.json');
    if (entry.isDirectory() && existsSync(path)) found.set(entry.name, snapshotValues(readFileSync(path, 'utf8'), `clusters/${entry.name}/ssm-snapshot.json`));
  }
  return found;
}

/**
 * Compares the base's committed gitops/ (what Argo CD runs once the base is deployed) with the
 * working tree's gitops/, and the two sides' SSM snapshots.
 */
export function buildReport(options: ReportOptions): Report {
  const root = topLevel(options.root);
  const commit = resolveCommit(root, options.base);
  checkIndex(root);
  const baseFiles = readCommitFiles(root, commit, ['gitops', 'clusters']);
  const baseGitops = new Map([...baseFiles].filter(([path]) => path.startsWith('gitops/')));
  if (baseGitops.size === 0) throw new ReportError(`report: base ${options.base} (${commit.slice(0, 12)}) has no committed gitops/ to compare with`);
  const sources = (options.checkSources ?? synthCheck)(root);
  const base = parseTree(baseGitops, `base ${options.base}:`);
  const head = parseTree(readWorkingTree(root), 'working tree', base);
  const baseSnapshots = new Map(
    [...baseFiles].flatMap(([path, text]) => {
      const env = SNAPSHOT.exec(path)?.[1];
      return env ? [[env, snapshotValues(text, `base ${options.base}: ${path}`)] as const] : [];
    }),
  );
  const comparison = compareTrees(base, head, { base: baseSnapshots, head: workingSnapshots(root) });
  return { base: { ref: options.base, commit }, sources, ...comparison };
}
