import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { envReadme } from '@gitops/report/env-readme';
import { checks as defaultChecks, reports as defaultReports, type Check, type Report } from './checks';
import { componentsFor as defaultComponents } from './components';
import { diffTrees, isUnchanged, readTree, replaceEnvironmentFolders, type FileTree, type TreeDiff } from './output';
import { SnapshotSource } from './params/snapshot';
import type { ParameterSource } from './params/source';
import { SynthError, type Problem } from './problems';
import { renderEnvironment, type RenderedEnvironment } from './render';
import { resolveParameters, type ResolvedParameters } from './resolve';
import { toSourceProblem } from './source-map';
import { applicationNameProblems } from './argocd-names';
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
  /** @default every check in checks.ts */
  readonly checks?: readonly Check[];
  readonly reports?: readonly Report[];
}

export interface EnvironmentResult {
  readonly env: string;
  readonly objects: number;
  readonly components: number;
  readonly diff: TreeDiff;
  readonly report: readonly string[];
}

export interface SynthResult {
  readonly environments: readonly EnvironmentResult[];
  /** Env folders in `gitops/` with no env in `clusters/` (removed, or reported by --check). */
  readonly orphans: readonly string[];
  /** With `check`: false when the committed tree differs from the rendered one. */
  readonly upToDate: boolean;
}

/** Renders every selected env in memory, and validates all of them, before anything is written. */
export async function renderAll(options: SynthOptions): Promise<{ workspace: Workspace; rendered: RenderedEnvironment[] }> {
  const early = options.sourceProblems ?? [];
  const workspace = await loadWorkspace(options.root, options.modules).catch((error: unknown) => {
    throw error instanceof SynthError ? new SynthError([...early, ...error.problems]) : error;
  });
  const envs = selectEnvironments(workspace, options.envs ?? []);
  const source = options.source ?? new SnapshotSource(options.root);
  const select = options.components ?? defaultComponents;
  const checks = options.checks ?? defaultChecks;

  const problems: Problem[] = [...early];
  const collect = (error: unknown) => {
    if (error instanceof SynthError) problems.push(...error.problems);
    else throw error;
  };
  const prepared = await Promise.all(
    envs.map(async (env) => {
      try {
        const components = select(env, workspace);
        return { env, components, parameters: await resolveParameters(env, components, source) };
      } catch (error) {
        // Collected below, in env order: envs resolve concurrently, and the report must not
        // depend on which one finishes first.
        return { error };
      }
    }),
  );
  const rendered: RenderedEnvironment[] = [];
  for (const entry of prepared) {
    if ('error' in entry) {
      collect(entry.error);
      continue;
    }
    try {
      const result = renderEnvironment(entry.env, entry.components, entry.parameters);
      for (const check of checks) problems.push(...(await check(result)).map((problem) => toSourceProblem(problem, result)));
      // One more file, added after the checks because it is no Argo CD folder's: gitops/<env>/README.md,
      // documentation Argo CD never reads (no Application's path is the env folder itself).
      const readme = envReadme({ ...result, parameters: valuesOf(entry.parameters) });
      rendered.push({ ...result, files: new Map([...result.files, ['README.md', readme]]) });
    } catch (error) {
      collect(error);
    }
  }
  problems.push(...applicationNameProblems(rendered));
  if (problems.length > 0) throw new SynthError(problems);
  return { workspace, rendered };
}

/** Parameter values as text, as the env README matches them against rendered objects (a StringList joined as SSM stores it). */
function valuesOf(parameters: ResolvedParameters): Map<string, string> {
  return new Map([...parameters].map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]));
}

function orphanFolders(gitopsDir: string, workspace: Workspace): string[] {
  if (!existsSync(gitopsDir)) return [];
  return readdirSync(gitopsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !workspace.environments.has(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** `pnpm synth`: render, validate, then replace `gitops/<env>/` (or, with `check`, compare). */
export async function synth(options: SynthOptions): Promise<SynthResult> {
  const source = options.source ?? new SnapshotSource(options.root);
  const { workspace, rendered } = await renderAll({ ...options, source });
  const gitopsDir = join(options.root, 'gitops');
  const reports = options.reports ?? defaultReports;
  const orphans = options.envs && options.envs.length > 0 ? [] : orphanFolders(gitopsDir, workspace);

  const trees = new Map<string, FileTree | null>();
  const unchanged = new Map<string, Set<string>>();
  const environments = rendered.map((result): EnvironmentResult => {
    const diff = diffTrees(readTree(join(gitopsDir, result.env.name)), result.files);
    if (!isUnchanged(diff)) {
      trees.set(result.env.name, result.files);
      const differs = new Set([...diff.added, ...diff.changed]);
      unchanged.set(result.env.name, new Set([...result.files.keys()].filter((path) => !differs.has(path))));
    }
    return {
      env: result.env.name,
      objects: result.objects.length,
      components: result.components.length,
      diff,
      report: [...(source.notes?.(result.env) ?? []), ...reports.flatMap((report) => report(result))],
    };
  });
  for (const orphan of orphans) trees.set(orphan, null);

  if (!options.check && trees.size > 0) replaceEnvironmentFolders(gitopsDir, trees, unchanged);
  return { environments, orphans, upToDate: trees.size === 0 };
}
