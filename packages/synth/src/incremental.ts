import { threadId } from 'node:worker_threads';
import type { Component, EnvironmentSpec } from '@gitops/core';
import type { Check, Report } from './checks';
import { digestOf, type FileTree } from './output';
import { SynthError, type Problem } from './problems';
import { renderEnvironment } from './render';
import type { RenderCache } from './render-cache';
import type { ResolvedParameters } from './resolve';

/** An env ready to render: its components and their checked parameters. */
export interface PreparedEnvironment {
  readonly env: EnvironmentSpec;
  readonly components: readonly Component[];
  readonly parameters: ResolvedParameters;
}

/** What synth needs of a rendered (or reused) env to compare and write it. */
export interface EnvironmentOutcome {
  readonly env: string;
  readonly objects: number;
  readonly components: number;
  readonly report: readonly string[];
  /** SHA-1 of every file, by path inside `gitops/<env>/`. */
  readonly expected: ReadonlyMap<string, string>;
  /** The files themselves: from memory, or from the render cache when the env's results were reused. */
  files(): FileTree;
  /** Components rendered and taken from the render cache, and the thread that did it (0: the main one). */
  readonly work: WorkDone;
}

export interface WorkDone {
  readonly rendered: number;
  readonly reused: number;
  /** Whether the env's check and report results were reused (then nothing was rendered or checked). */
  readonly reusedResults: boolean;
  readonly thread: number;
}

export interface RenderSettings {
  readonly checks: readonly Check[];
  readonly reports: readonly Report[];
  readonly cache?: RenderCache;
  /**
   * Names what `checks` and `reports` are when they are synth's own (their code is part of the
   * cache's code identity); undefined for others, whose results are never reused.
   */
  readonly checksId?: string;
}

/**
 * Renders, checks and reports one env, or reuses all of that from the render cache when every
 * component's key is the one the env's results were stored under: those results passed every
 * check for exactly these inputs and this code. Throws a SynthError with every problem.
 */
export function renderOrReuse(prepared: PreparedEnvironment, settings: RenderSettings): EnvironmentOutcome {
  const { env, components, parameters } = prepared;
  const { cache, checksId } = settings;
  let environmentKey: string | undefined;
  if (cache && checksId) {
    const keys = components.map((component) => cache.componentKey(env, component, parameters));
    environmentKey = cache.environmentKey(env, keys, checksId);
    const reused = environmentKey === undefined ? undefined : cache.lookupEnvironment(environmentKey);
    if (reused) {
      let files: FileTree | undefined;
      return {
        env: env.name,
        objects: reused.objects,
        components: reused.components,
        report: reused.report,
        expected: new Map(reused.files),
        files: () => (files ??= renderEnvironment(env, components, parameters, cache).files),
        work: { rendered: 0, reused: components.length, reusedResults: true, thread: threadId },
      };
    }
  }
  const rendered = renderEnvironment(env, components, parameters, cache);
  const problems: Problem[] = settings.checks.flatMap((check) => check(rendered));
  if (problems.length > 0) throw new SynthError(problems);
  const report = settings.reports.flatMap((produce) => produce(rendered));
  const expected = new Map([...rendered.files].map(([path, content]) => [path, digestOf(content)] as const));
  if (cache && environmentKey !== undefined) {
    cache.storeEnvironment(environmentKey, {
      objects: rendered.objects.length,
      components: components.length,
      report,
      files: [...expected],
      componentKeys: rendered.componentKeys!.map((key) => key!),
    });
  }
  const reused = rendered.reused ?? 0;
  return {
    env: env.name,
    objects: rendered.objects.length,
    components: components.length,
    report,
    expected,
    files: () => rendered.files,
    work: { rendered: components.length - reused, reused, reusedResults: false, thread: threadId },
  };
}

/** One env's outcome, or the problems that stopped it. */
export type Attempt = { readonly outcome: EnvironmentOutcome } | { readonly problems: readonly Problem[] };

export function attempt(run: () => EnvironmentOutcome): Attempt {
  try {
    return { outcome: run() };
  } catch (error) {
    if (error instanceof SynthError) return { problems: error.problems };
    throw error;
  }
}

/** How many components of these envs have no cache entry: the rendering a worker thread could take. */
export function pendingRenders(envs: readonly PreparedEnvironment[], cache: RenderCache | undefined): number {
  let pending = 0;
  for (const { env, components, parameters } of envs) {
    for (const component of components) {
      const key = cache?.componentKey(env, component, parameters);
      if (key === undefined || !cache!.hasComponent(key)) pending += 1;
    }
  }
  return pending;
}
