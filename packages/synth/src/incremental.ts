import { resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { outlineOf, type Component, type ComponentOutline, type EnvironmentSpec } from '@gitops/core';
import type { RenderedApplication } from './argocd-names';
import { envProjector, synthChecks, wholeResultsOf, type Check, type EnvView, type Report, type WholeResults } from './checks';
import { digestOf, unitOf, type FileTree } from './output';
import { SynthError, type Problem } from './problems';
import { renderParts, wholeOf, type RenderedObject, type RenderedPart } from './render';
import { canonical, DamagedCache, sha1, type CachedEnvironment, type ComponentPack, type PartSummary, type RenderCache } from './render-cache';
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
  /**
   * The files of the top-level entries `units` of `gitops/<env>/` (every file without it): from
   * memory for what this run rendered, from the render cache for what it reused.
   */
  files(units?: ReadonlySet<string>): Promise<FileTree>;
  /** What `files` is made of: the files rendered now (README.md included), and each reused component's name and output key. */
  written(): { readonly fresh: ReadonlyMap<string, string>; readonly reused: readonly (readonly [string, string])[] };
  /** Components rendered and taken from the render cache, and the thread that did it (0: the main one). */
  readonly work: WorkDone;
}

export interface WorkDone {
  readonly rendered: number;
  readonly reused: number;
  /** Whether the env's check and report results were reused whole (then nothing was rendered or checked). */
  readonly reusedResults: boolean;
  /** Whether the results of the checks of the whole env, its reports and README were reused (what they read was unchanged). */
  readonly reusedWhole: boolean;
  readonly thread: number;
}

export interface RenderSettings {
  /** Checks or reports given instead of synth's own: run on the whole rendered env, the env's results never reused. @default synth's own */
  readonly custom?: { readonly checks?: readonly Check[]; readonly reports?: readonly Report[] };
  readonly cache?: RenderCache;
  /** The repository root: with the env's name, it names the env folder whose last results are read first. */
  readonly root: string;
}

/** Names synth's own checks in the cache keys of their results (their code is part of the cache's code identity). */
const CHECKS_ID = 'synth';

/**
 * Renders, checks and reports one env, reusing what the render cache vouches for: every
 * component whose key is unchanged (render.ts), every check result of a component the last
 * passing run checked under the same output key, the results of the checks of the whole env,
 * its reports and README while what they read is unchanged (checks.ts `EnvView`), and everything
 * when every component's key is the one the env's last results were stored under. Throws a
 * SynthError with every problem.
 */
export async function renderOrReuse(prepared: PreparedEnvironment, settings: RenderSettings): Promise<EnvironmentOutcome> {
  try {
    return await renderAndCheck(prepared, settings);
  } catch (error) {
    if (!(error instanceof DamagedCache) || !settings.cache) throw error;
    // A pack went missing or unreadable under a run: forget what the cache held for the env folder and render it whole.
    settings.cache.forgetScope(scopeOf(settings.root, prepared.env));
    return renderAndCheck(prepared, settings);
  }
}

async function renderAndCheck(prepared: PreparedEnvironment, settings: RenderSettings): Promise<EnvironmentOutcome> {
  const { env, components, parameters } = prepared;
  const { cache } = settings;
  const argocd = env.argocd.managedBy ?? env.name;
  const own = settings.custom === undefined && cache !== undefined;
  const scope = scopeOf(settings.root, env);
  const keys = cache ? components.map((component) => cache.componentKey(env, component, parameters)) : [];
  const environmentKey = own ? cache.environmentKey(env, keys, CHECKS_ID) : undefined;
  const passed = own ? cache.lastEnvironment(scope) : undefined;
  const pack = cache?.pack(scope);
  if (passed && environmentKey !== undefined && cache!.scopeOf(scope).environment === environmentKey) {
    return {
      env: env.name,
      objects: passed.objects,
      components: passed.components,
      report: passed.report,
      argocd,
      applications: passed.applications,
      expected: expectedOf(passed.parts.map(({ files }) => files), passed.readme),
      ...outcomeFiles(new Map(), passed.parts.map(({ name, outputKey }) => [name, outputKey]), pack, cachedReadme(cache!, scope, passed.readme), renderingAgain(prepared, settings)),
      work: { rendered: 0, reused: components.length, reusedResults: true, reusedWhole: true, thread: threadId },
    };
  }
  const { parts, results } = await renderChecked(prepared, settings, passed);
  const { report, readme, applications } = results;
  const rendered = parts.filter((part) => part.source === 'rendered').length;
  // One object per file.
  const objects = parts.reduce((sum, part) => sum + part.fileDigests().length, 0);
  if (environmentKey !== undefined && results.summaries) {
    cache!.storeEnvironment(scope, environmentKey, {
      code: cache!.options.code,
      objects,
      components: components.length,
      report,
      readme: readme.digest,
      applications,
      parts: results.summaries,
      parameters: results.parameters,
      reads: results.reads,
    }, readme.text);
  }
  const fresh = new Map(parts.filter((part) => part.source !== 'known').flatMap((part) => part.outputs().map(({ file, yaml }) => [file, yaml] as const)));
  return {
    env: env.name,
    objects,
    components: components.length,
    report,
    argocd,
    applications,
    expected: expectedOf(
      parts.map((part) => part.fileDigests()),
      readme.digest,
    ),
    ...outcomeFiles(fresh, parts.filter((part) => part.source === 'known').map((part) => [part.component.name, part.outputKey!]), pack, readme, renderingAgain(prepared, settings)),
    work: { rendered, reused: components.length - rendered, reusedResults: false, reusedWhole: results.reusedWhole, thread: threadId },
  };
}

/**
 * Renders an env (reusing from the cache what it can, and what `passed`, the last run that
 * passed, vouches for) and checks it: its components, and what its checks and reports gave.
 * Throws a SynthError with every problem.
 */
export async function renderChecked(prepared: PreparedEnvironment, settings: RenderSettings, passed?: CachedEnvironment): Promise<{ parts: RenderedPart[]; results: Results }> {
  const { env, components, parameters } = prepared;
  const { cache } = settings;
  const known = passed && new Map(passed.parts.map((part) => [part.key, part]));
  const parts = renderParts(env, components, parameters, cache && { cache, scope: scopeOf(settings.root, env), ...(known ? { known } : {}) });
  return { parts, results: await checkParts(env, parts, valuesOf(parameters), settings, passed) };
}

/** An env's README.md: its digest, and its text, read from the render cache when reused and first needed. */
export interface Readme {
  readonly digest: string;
  text(): string;
}

const readmeOf = (text: string): Readme => ({ digest: digestOf(text), text: () => text });

/** The README the last results of the env folder `scope` name, read when first needed. */
function cachedReadme(cache: RenderCache, scope: string, digest: string): Readme {
  let text: string | undefined;
  return { digest, text: () => (text ??= cache.readme(scope, digest)) };
}

/** What an env's checks gave, and what to store so a later run can reuse it. */
interface Results extends Omit<WholeResults, 'readme'> {
  readonly readme: Readme;
  readonly reusedWhole: boolean;
  /** Undefined when some component is not cacheable, or with custom checks: then nothing is stored. */
  readonly summaries?: readonly PartSummary[];
  readonly parameters: string;
  readonly reads: string;
}

/**
 * Runs synth's own checks in their order: the local ones on the components no passing run has
 * checked, the definition ones on every app, and the ones of the whole env on its view, unless
 * the view is the one the last passing run had (then its README, reports and Application names
 * are that run's too). Custom checks and reports (tests) run on the whole rendered env instead.
 * Throws a SynthError with every problem.
 */
async function checkParts(env: EnvironmentSpec, parts: readonly RenderedPart[], values: ReadonlyMap<string, string>, settings: RenderSettings, passed: CachedEnvironment | undefined): Promise<Results> {
  const { custom } = settings;
  const cache = custom ? undefined : settings.cache;
  const components = parts.map(({ component }) => component);
  const project = envProjector(values.values());
  const parameters = sha1(JSON.stringify([...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  // A view digest kept by the last passing run holds for the same parameter values (the README's
  // links are part of the view).
  const keptViews = passed?.parameters === parameters;
  const outlines = components.map(outlineOf);
  // Each part's objects cut down once, for its digest and for the checks.
  const cut = new Map<RenderedPart, RenderedObject[]>();
  const objectsOf = (part: RenderedPart) => {
    let objects = cut.get(part);
    if (!objects) cut.set(part, (objects = part.outputs().map(({ file, manifest }) => ({ component: part.component.name, file, manifest: project(manifest) }))));
    return objects;
  };
  const viewDigests = cache ? parts.map((part, index) => (part.source === 'known' && keptViews ? part.summary!.view : viewDigestOf(outlines[index]!, objectsOf(part)))) : [];
  const reads = cache && !viewDigests.includes(undefined) ? cache.readsKey(env, CHECKS_ID, parameters, viewDigests as string[]) : undefined;
  const reusedWhole = passed !== undefined && reads !== undefined && passed.reads === reads;
  let view: EnvView | undefined;
  const viewOf = () => (view ??= { env, components: outlines, objects: parts.flatMap(objectsOf), parameters: values });

  const problems: Problem[] = [];
  if (custom?.checks) {
    const rendered = wholeOf(env, parts);
    for (const check of custom.checks) problems.push(...(await check(rendered)).map((problem) => toSourceProblem(problem, rendered)));
  } else {
    const whole = { env, components };
    const fresh = wholeOf(env, parts.filter((part) => part.source !== 'known'));
    for (const check of synthChecks) {
      const found = 'local' in check ? await check.local(fresh) : 'definitions' in check ? check.definitions(env, components) : reusedWhole ? [] : check.whole(viewOf());
      problems.push(...found.map((problem) => toSourceProblem(problem, whole)));
    }
  }
  if (problems.length > 0) throw new SynthError(problems);
  let results: Omit<WholeResults, 'readme'> & { readonly readme: Readme };
  if (reusedWhole) results = { report: passed!.report, readme: cachedReadme(cache!, scopeOf(settings.root, env), passed!.readme), applications: passed!.applications };
  else {
    const computed = wholeResultsOf(viewOf());
    results = { ...computed, readme: readmeOf(computed.readme) };
  }
  const report = custom?.reports ? custom.reports.flatMap((produce) => produce(wholeOf(env, parts))) : results.report;
  const readers = components.map((component, index) => [component, index] as const).filter(([component]) => component.viewOfBefore !== undefined);
  const summaries =
    reads === undefined || parts.some((part) => part.key === undefined || part.outputKey === undefined)
      ? undefined
      : parts.map(
          (part, index): PartSummary => ({
            name: part.component.name,
            key: part.key!,
            outputKey: part.outputKey!,
            files: part.fileDigests(),
            view: viewDigests[index]!,
            seen: Object.fromEntries(readers.filter(([, at]) => at > index).map(([reader]) => [reader.name, part.seenBy(reader)])),
          }),
        );
  return { ...results, report, reusedWhole, ...(summaries ? { summaries } : {}), parameters, reads: reads ?? '' };
}

/**
 * Digest of a component's outline and objects as the checks of a whole env see them (a
 * parameter by its path: the rest of a definition is code); undefined when the outline is not
 * plain data.
 */
function viewDigestOf(outline: ComponentOutline, objects: readonly RenderedObject[]): string | undefined {
  const text = canonical({ ...outline, parameters: outline.parameters.map(({ path }) => path) });
  if (text === undefined) return undefined;
  return sha1(`${text}\n${JSON.stringify(objects.map(({ file, manifest }) => [file, manifest]))}`);
}

/** Every file's digest, by path inside `gitops/<env>/`: the components' files in render order, then README.md. */
function expectedOf(parts: readonly (readonly (readonly [string, string])[])[], readme: string): Map<string, string> {
  const expected = new Map<string, string>();
  for (const files of parts) for (const [path, digest] of files) expected.set(path, digest);
  expected.set('README.md', readme);
  return expected;
}

/**
 * An outcome's files: those rendered now, from `fresh`; those of reused components, from their
 * pack entries, read only when one of their folders is asked for (a folder changed by hand, or an
 * env folder written whole). Made outside renderOrReuse: a closure made there would share its
 * scope with the rendered objects and keep every env's alive until synth ends.
 */
export function outcomeFiles(
  fresh: ReadonlyMap<string, string>,
  reused: readonly (readonly [string, string])[],
  pack: ComponentPack | undefined,
  readme: Readme,
  renderAgain: () => Promise<FileTree>,
): Pick<EnvironmentOutcome, 'files' | 'written'> {
  const wanted = (units: ReadonlySet<string> | undefined, path: string) => units === undefined || units.has(unitOf(path));
  return {
    async files(units) {
      const files = new Map<string, string>();
      try {
        for (const [name, outputKey] of reused) {
          if (units !== undefined && !units.has(name)) continue;
          for (const [path, yaml] of pack!.load(outputKey).files) files.set(path, yaml);
        }
        if (wanted(units, 'README.md')) files.set('README.md', readme.text());
      } catch (error) {
        if (!(error instanceof DamagedCache)) throw error;
        for (const [path, content] of await renderAgain()) if (wanted(units, path)) files.set(path, content);
      }
      for (const [path, content] of fresh) if (wanted(units, path)) files.set(path, content);
      return files;
    },
    written: () => ({ fresh: new Map([...fresh, ['README.md', readme.text()]]), reused }),
  };
}

/**
 * An env's files, README.md included, rendered again without the cache, for when a pack or README
 * its outcome reuses turned out damaged after the env was checked (the same inputs render the
 * same files); the cache then forgets the env folder, so its next run renders and stores it anew.
 */
export function renderingAgain(prepared: PreparedEnvironment, settings: Pick<RenderSettings, 'cache' | 'root'>): () => Promise<FileTree> {
  return async () => {
    settings.cache?.forgetScope(scopeOf(settings.root, prepared.env));
    const { parts, results } = await renderChecked(prepared, { root: settings.root });
    return new Map([...wholeOf(prepared.env, parts).files, ['README.md', results.readme.text()]]);
  };
}

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

/** Parameter values as text, as the env README matches them against rendered objects (a StringList joined as SSM stores it). */
export function valuesOf(parameters: ResolvedParameters): Map<string, string> {
  return new Map([...parameters].map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]));
}

/** The render cache's name for the folder `gitops/<env>/` of `root`. */
export const scopeOf = (root: string, env: EnvironmentSpec) => `${resolve(root)}\n${env.name}`;

/** How many components of these envs have no cache entry: the rendering a worker thread could take. */
export function pendingRenders(envs: readonly PreparedEnvironment[], settings: RenderSettings): number {
  const { cache } = settings;
  let pending = 0;
  for (const { env, components, parameters } of envs) {
    const scope = scopeOf(settings.root, env);
    const keys = cache ? components.map((component) => cache.componentKey(env, component, parameters)) : [];
    // An env whose results are reused renders nothing.
    const environmentKey = cache && settings.custom === undefined ? cache.environmentKey(env, keys, CHECKS_ID) : undefined;
    if (environmentKey !== undefined && environmentKey === cache!.scopeOf(scope).environment) continue;
    const pack = cache?.pack(scope);
    for (const key of keys.length > 0 ? keys : components.map(() => undefined)) if (key === undefined || !pack!.has(key)) pending += 1;
  }
  return pending;
}
