import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, EnvironmentSpec } from '@gitops/core';
import type { Check, Report } from './checks';
import { componentsFor as defaultComponents } from './components';
import { renderChecked, type EnvironmentOutcome, type PreparedEnvironment, type RenderSettings, type WorkDone } from './incremental';
import { diffTrees, isUnchanged, observeTree, replaceEnvironmentFolders, unitOf, type FileTree, type TreeDiff } from './output';
import { startTreeThread, type TreeThread, type TreeThreadStarter } from './tree-thread';
import { renderInParallel, renderInTurn, type Parallelism } from './parallel';
import { SnapshotSource } from './params/snapshot';
import type { ParameterSource } from './params/source';
import { SynthError, type Problem } from './problems';
import { wholeOf, type RenderedEnvironment } from './render';
import { RenderCache, type RenderCacheOptions } from './render-cache';
import { resolveParameters } from './resolve';
import { applicationNameProblemsOf, type EnvironmentApplications } from './argocd-names';
import { loadWorkspace, selectEnvironments, type Workspace, type WorkspaceModules } from './workspace';

export interface SynthOptions {
  /** Repository root holding `clusters/`, `apps/` and `gitops/`. */
  readonly root: string;
  /** Environments to render. @default all of `clusters/` */
  readonly envs?: readonly string[];
  /** Compare with the committed `gitops/` instead of writing. @default false */
  readonly check?: boolean;
  /** @default the committed snapshots */
  readonly source?: ParameterSource;
  /** @default the modules found under `root` */
  readonly modules?: WorkspaceModules;
  /** @default the platform, app and Argo CD components */
  readonly components?: (env: EnvironmentSpec, workspace: Workspace) => Component[];
  /** Problems found in the sources before they ran (bin/synth.mjs: duplicate keys), reported with the rest. @default none */
  readonly sourceProblems?: readonly Problem[];
  /** Checks to run instead of synth's own (checks.ts), each given the whole rendered env; their results are never reused. @default synth's own */
  readonly checks?: readonly Check[];
  /** Reports to print instead of synth's own. @default synth's own */
  readonly reports?: readonly Report[];
  /** Reuse renders, check results and what `gitops/` held across runs (render-cache.ts). @default none */
  readonly cache?: RenderCacheOptions;
  /** Render envs on worker threads too (parallel.ts); only with the default source, modules, components, checks and reports. @default none */
  readonly parallelism?: Parallelism;
  /** Look at what `gitops/` holds on a worker thread while rendering (tree-thread.ts). @default on this thread, after rendering */
  readonly treeThread?: TreeThreadStarter;
}

export interface EnvironmentResult {
  readonly env: string;
  readonly objects: number;
  readonly components: number;
  readonly diff: TreeDiff;
  /** SHA-1 of every file `gitops/<env>/` holds once it is up to date, by path inside it. */
  readonly expected: ReadonlyMap<string, string>;
  readonly report: readonly string[];
  /** How the env was rendered (render cache, threads), for GITOPS_SYNTH_TRACE. */
  readonly work?: WorkDone;
}

export interface SynthResult {
  readonly environments: readonly EnvironmentResult[];
  /** Env folders in `gitops/` with no env in `clusters/` (removed, or reported by --check). */
  readonly orphans: readonly string[];
  /** With `check`: false when the committed tree differs from the rendered one. */
  readonly upToDate: boolean;
}

/** An env's components and parameters, or what stopped them. */
type Preparation = PreparedEnvironment | { readonly error: unknown };

/** Loads the workspace, then each selected env's components and parameters, in env order. */
async function prepareAll(options: SynthOptions, source: ParameterSource): Promise<{ workspace: Workspace; prepared: Preparation[] }> {
  const early = options.sourceProblems ?? [];
  const workspace = await loadWorkspace(options.root, options.modules).catch((error: unknown) => {
    throw error instanceof SynthError ? new SynthError([...early, ...error.problems]) : error;
  });
  const envs = selectEnvironments(workspace, options.envs ?? []);
  const select = options.components ?? defaultComponents;
  const prepared = await Promise.all(
    envs.map(async (env): Promise<Preparation> => {
      try {
        const components = select(env, workspace);
        return { env, components, parameters: await resolveParameters(env, components, source) };
      } catch (error) {
        // Collected by the caller, in env order: envs resolve concurrently, and the report must
        // not depend on which one finishes first.
        return { error };
      }
    }),
  );
  return { workspace, prepared };
}

/** Adds a SynthError's problems; anything else is no finding about the inputs and goes on up. */
function collectInto(problems: Problem[]): (error: unknown) => void {
  return (error) => {
    if (error instanceof SynthError) problems.push(...error.problems);
    else throw error;
  };
}

/**
 * Renders every selected env in memory, and validates all of them, before anything is written:
 * the same checks synth runs, with no render cache. Each env's objects and files, its README.md
 * last.
 */
export async function renderAll(options: SynthOptions): Promise<{ workspace: Workspace; rendered: RenderedEnvironment[] }> {
  const { workspace, prepared } = await prepareAll(options, options.source ?? new SnapshotSource(options.root));
  const settings = settingsOf(options, undefined);
  const problems: Problem[] = [...(options.sourceProblems ?? [])];
  const collect = collectInto(problems);
  const rendered: RenderedEnvironment[] = [];
  const applications: EnvironmentApplications[] = [];
  for (const entry of prepared) {
    if ('error' in entry) {
      collect(entry.error);
      continue;
    }
    try {
      const { parts, results } = await renderChecked(entry, settings);
      const whole = wholeOf(entry.env, parts);
      rendered.push({ ...whole, files: new Map([...whole.files, ['README.md', results.readme.text()]]) });
      applications.push({ env: entry.env.name, argocd: entry.env.argocd.managedBy ?? entry.env.name, applications: results.applications });
    } catch (error) {
      collect(error);
    }
  }
  problems.push(...applicationNameProblemsOf(applications));
  if (problems.length > 0) throw new SynthError(problems);
  return { workspace, rendered };
}

/** How envs are rendered and checked for `options`. */
function settingsOf(options: SynthOptions, cache: RenderCache | undefined): RenderSettings {
  const custom = options.checks === undefined && options.reports === undefined ? undefined : { ...(options.checks ? { checks: options.checks } : {}), ...(options.reports ? { reports: options.reports } : {}) };
  return { root: options.root, ...(custom ? { custom } : {}), ...(cache ? { cache } : {}) };
}

/**
 * Per env, what synth compares and writes, with the render cache and worker threads when given.
 * Only synth's own checks and reports have their results reused.
 */
async function outcomesOf(options: SynthOptions, source: ParameterSource): Promise<{ workspace: Workspace; outcomes: EnvironmentOutcome[] }> {
  const { workspace, prepared } = await prepareAll(options, source);
  const settings = settingsOf(options, options.cache ? new RenderCache(options.cache) : undefined);
  const ready = prepared.filter((entry): entry is PreparedEnvironment => !('error' in entry));
  // Worker threads read the committed snapshots themselves: only with the default source.
  const defaults = settings.custom === undefined && !options.source && !options.modules && !options.components;
  const results = options.parallelism && defaults ? await renderInParallel(options.root, ready, settings, options.parallelism) : await renderInTurn(ready, settings);
  const problems: Problem[] = [...(options.sourceProblems ?? [])];
  const collect = collectInto(problems);
  const outcomes: EnvironmentOutcome[] = [];
  let next = 0;
  for (const entry of prepared) {
    if ('error' in entry) {
      collect(entry.error);
      continue;
    }
    const result = results[next++]!;
    if ('problems' in result) problems.push(...result.problems);
    else outcomes.push(result.outcome);
  }
  problems.push(...applicationNameProblemsOf(outcomes));
  if (problems.length > 0) throw new SynthError(problems);
  return { workspace, outcomes };
}

/** The env folders of `gitops/` synth will look at: those of `envs`, or every one there. */
function envFolders(gitopsDir: string, envs: readonly string[] | undefined): string[] {
  if (envs && envs.length > 0) return envs.map((env) => join(gitopsDir, env));
  if (!existsSync(gitopsDir)) return [];
  return readdirSync(gitopsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => join(gitopsDir, entry.name))
    .sort();
}

function orphanFolders(gitopsDir: string, workspace: Workspace): string[] {
  if (!existsSync(gitopsDir)) return [];
  return readdirSync(gitopsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !workspace.environments.has(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/**
 * `pnpm synth`: render, validate, then replace what changed in `gitops/<env>/` (or, with
 * `check`, compare). With a cache, each env folder is compared through what synth saw there last
 * time (output.ts `observeTree`), reading only the files whose stat changed since.
 */
export async function synth(options: SynthOptions): Promise<SynthResult> {
  const gitopsDir = join(options.root, 'gitops');
  const thread = options.treeThread ? startTreeThread(options.treeThread, { dirs: envFolders(gitopsDir, options.envs), ...(options.cache ? { cacheDir: options.cache.dir } : {}) }) : undefined;
  try {
    return await synthWith(options, thread);
  } finally {
    await thread?.stop();
  }
}

async function synthWith(options: SynthOptions, thread: TreeThread | undefined): Promise<SynthResult> {
  const source = options.source ?? new SnapshotSource(options.root);
  const gitopsDir = join(options.root, 'gitops');
  const { workspace, outcomes } = await outcomesOf(options, source);
  const orphans = options.envs && options.envs.length > 0 ? [] : orphanFolders(gitopsDir, workspace);
  const cache = options.cache ? new RenderCache(options.cache) : undefined;

  const trees = new Map<string, FileTree | null>();
  const diffs = new Map<string, TreeDiff>();
  const stale = new Set<string>();
  const observed = new Map<string, ReturnType<typeof observeTree>>();
  const environments: EnvironmentResult[] = [];
  for (const outcome of outcomes) {
    const dir = join(gitopsDir, outcome.env);
    const seen = thread ? await thread.observed(dir) : observeTree(dir, cache?.lookupTree(dir));
    observed.set(outcome.env, seen);
    const diff = diffTrees(seen.digests, outcome.expected);
    if (!isUnchanged(diff)) {
      stale.add(outcome.env);
      // An existing folder has only its changed component folders replaced: only their files are
      // needed, and none for --check.
      if (!options.check) trees.set(outcome.env, await outcome.files(seen.state ? new Set([...diff.added, ...diff.changed, ...diff.removed].map(unitOf)) : undefined));
      diffs.set(outcome.env, diff);
    } else if (cache && seen.state && seen.read > 0) {
      cache.storeTree(dir, seen.state);
    }
    environments.push({
      env: outcome.env,
      objects: outcome.objects,
      components: outcome.components,
      diff,
      expected: outcome.expected,
      // Placeholder parameters are the source's to say, each run: they are no input of a render.
      report: [...(source.notes?.(workspace.environments.get(outcome.env)!) ?? []), ...outcome.report],
      work: outcome.work,
    });
  }
  for (const orphan of orphans) trees.set(orphan, null);

  if (!options.check && trees.size > 0) {
    replaceEnvironmentFolders(gitopsDir, trees, diffs);
    for (const outcome of outcomes) {
      if (!cache || !trees.has(outcome.env)) continue;
      const dir = join(gitopsDir, outcome.env);
      const diff = diffs.get(outcome.env)!;
      const written = new Set([...diff.added, ...diff.changed, ...diff.removed].map(unitOf));
      const state = observeTree(dir, observed.get(outcome.env)!.state, outcome.expected, written).state;
      if (state) cache.storeTree(dir, state);
    }
  } else if (cache) {
    for (const [env, seen] of observed) if (stale.has(env) && seen.state && seen.read > 0) cache.storeTree(join(gitopsDir, env), seen.state);
  }
  return { environments, orphans, upToDate: stale.size + orphans.length === 0 };
}
