import { resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { envReadme } from '@gitops/report/env-readme';
import { applicationsOf, type RenderedApplication } from './argocd-names';
import { renderedSecretCheck, schemaCheck, secretSafetyCheck, type Check, type Report } from './checks';
import { digestOf, unitOf, type FileTree } from './output';
import { SynthError, type Problem } from './problems';
import { renderEnvironment, type RenderedEnvironment } from './render';
import type { CachedEnvironment, RenderCache } from './render-cache';
import type { ResolvedParameters } from './resolve';
import { toSourceProblem } from './source-map';

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
  /** The Argo CD that manages the env (its own, or its hub's), and the Applications it renders, for the names check across envs. */
  readonly argocd: string;
  readonly applications: readonly RenderedApplication[];
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
  /** The repository root: with the env's name, it names the env folder whose last pack is read first. */
  readonly root: string;
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
/** The key of an env's check and report results, when they can be reused at all. */
function environmentKeyOf(prepared: PreparedEnvironment, settings: RenderSettings): string | undefined {
  const { cache, checksId } = settings;
  if (!cache || !checksId) return undefined;
  const { env, components, parameters } = prepared;
  return cache.environmentKey(env, components.map((component) => cache.componentKey(env, component, parameters)), checksId);
}

export async function renderOrReuse(prepared: PreparedEnvironment, settings: RenderSettings): Promise<EnvironmentOutcome> {
  const { env, components, parameters } = prepared;
  const argocd = env.argocd.managedBy ?? env.name;
  const { cache } = settings;
  const cached = cache && { cache, scope: scopeOf(settings.root, env) };
  const environmentKey = environmentKeyOf(prepared, settings);
  if (cache && environmentKey !== undefined) {
    const reused = cache.lookupEnvironment(environmentKey);
    if (reused) {
      let files: FileTree | undefined;
      return {
        env: env.name,
        objects: reused.objects,
        components: reused.components,
        report: reused.report,
        argocd,
        applications: reused.applications,
        expected: new Map(reused.files),
        files: () => (files ??= withReadme(renderEnvironment(env, components, parameters, cached).files, reused.readme)),
        work: { rendered: 0, reused: components.length, reusedResults: true, thread: threadId },
      };
    }
  }
  const rendered = renderEnvironment(env, components, parameters, cached);
  const passed = cached && settings.checksId ? cached.cache.lastEnvironment(cached.scope) : undefined;
  const vouched = vouchedFor(rendered, passed);
  const fresh = vouched.size === 0 ? rendered : without(rendered, vouched);
  const problems: Problem[] = [];
  for (const check of settings.checks) problems.push(...(await check(LOCAL_CHECKS.has(check) ? fresh : rendered)).map((problem) => toSourceProblem(problem, rendered)));
  if (problems.length > 0) throw new SynthError(problems);
  const report = settings.reports.flatMap((produce) => produce(rendered));
  // One more file, added after the checks because it is no Argo CD folder's: gitops/<env>/README.md,
  // documentation Argo CD never reads. It is built from the rendered env and its parameters, which
  // the env key covers, so a reused env writes the stored text.
  const readme = envReadme({ ...rendered, parameters: valuesOf(parameters) });
  const files = withReadme(rendered.files, readme);
  // A vouched component's files are the ones those results hashed.
  const hashed = vouched.size > 0 ? new Map(passed!.files) : undefined;
  const expected = new Map([...files].map(([path, content]) => [path, (vouched.has(unitOf(path)) ? hashed!.get(path) : undefined) ?? digestOf(content)] as const));
  const applications = applicationsOf(rendered);
  if (cache && environmentKey !== undefined) {
    cache.storeEnvironment(cached!.scope, environmentKey, {
      objects: rendered.objects.length,
      components: components.length,
      report,
      files: [...expected],
      outputKeys: rendered.outputKeys!.map((key) => key!),
      readme,
      applications,
    });
  }
  const reused = rendered.reused ?? 0;
  // Only the files outlive this call: the objects (most of an env's memory) can go.
  return {
    env: env.name,
    objects: rendered.objects.length,
    components: components.length,
    report,
    argocd,
    applications,
    expected,
    files: constant(files),
    work: { rendered: components.length - reused, reused, reusedResults: false, thread: threadId },
  };
}

/**
 * A function returning `value`, made outside renderOrReuse: a closure made there would share its
 * scope with the ones that read the rendered env, and keep every env's objects alive until synth ends.
 */
const constant =
  <T>(value: T): (() => T) =>
  () =>
    value;

/** One env's outcome, or the problems that stopped it. */
export type Attempt = { readonly outcome: EnvironmentOutcome } | { readonly problems: readonly Problem[] };

export async function attempt(run: () => Promise<EnvironmentOutcome>): Promise<Attempt> {
  try {
    return { outcome: await run() };
  } catch (error) {
    if (error instanceof SynthError) return { problems: error.problems };
    throw error;
  }
}

/**
 * Checks whose problems for an object or a file depend on that object or file alone: the
 * schemas (one object against its kind's schema), secret safety (a Secret object, a
 * credential-like string in a file) and the rendered secret scan (each object's credential
 * names, secretlint's findings mapped back to their file). Every other check reads the env as a whole.
 */
const LOCAL_CHECKS: ReadonlySet<Check> = new Set([schemaCheck, secretSafetyCheck, renderedSecretCheck]);

/** The env's files with its README.md last, as renderAll adds it. */
function withReadme(files: FileTree, readme: string): FileTree {
  return new Map([...files, ['README.md', readme]]);
}

/** Parameter values as text, as the env README matches them against rendered objects (a StringList joined as SSM stores it). */
export function valuesOf(parameters: ResolvedParameters): Map<string, string> {
  return new Map([...parameters].map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]));
}

/**
 * The components taken from the cache under an output key the env's last passing results list:
 * same key, same objects and files, same code, so the same local problems (none) and the same
 * file digests as those results recorded.
 */
function vouchedFor(rendered: RenderedEnvironment, passed: CachedEnvironment | undefined): ReadonlySet<string> {
  if (!passed?.outputKeys || !rendered.settled || rendered.settled.size === 0) return new Set();
  const keys = new Set(passed.outputKeys);
  return new Set(rendered.components.filter((component, index) => rendered.settled!.has(component.name) && keys.has(rendered.outputKeys![index]!)).map(({ name }) => name));
}

/** What local checks must still look at: the rendered env without the vouched components. */
function without(rendered: RenderedEnvironment, vouched: ReadonlySet<string>): RenderedEnvironment {
  return {
    ...rendered,
    objects: rendered.objects.filter(({ component }) => !vouched.has(component)),
    files: new Map([...rendered.files].filter(([path]) => !vouched.has(unitOf(path)))),
  };
}

/** The render cache's name for the folder `gitops/<env>/` of `root`. */
const scopeOf = (root: string, env: EnvironmentSpec) => `${resolve(root)}\n${env.name}`;

/** How many components of these envs have no cache entry: the rendering a worker thread could take. */
export function pendingRenders(envs: readonly PreparedEnvironment[], settings: RenderSettings): number {
  const { cache } = settings;
  let pending = 0;
  for (const prepared of envs) {
    const { env, components, parameters } = prepared;
    const key = environmentKeyOf(prepared, settings);
    // An env whose results are reused renders nothing.
    if (cache && key !== undefined && cache.hasEnvironment(key)) continue;
    const pack = cache?.pack(scopeOf(settings.root, env));
    for (const component of components) {
      const key = cache?.componentKey(env, component, parameters);
      if (key === undefined || !pack!.has(key)) pending += 1;
    }
  }
  return pending;
}
