import { AppRenderProblems } from '@gitops/app';
import type { Component, EnvironmentSpec, RenderContext, RenderedManifest } from '@gitops/core';
import { App, Chart } from 'cdk8s';
import { parameterName, type AwsEnvironment, type ParameterDefinition } from '@gitops/contract';
import { SynthError, type Problem } from './problems';
import { digestOf } from './output';
import { DamagedCache, sha1, type CachedComponent, type PartSummary, type RenderCache } from './render-cache';
import type { ResolvedParameters } from './resolve';
import { toYaml } from './yaml';

/** A Kubernetes object as rendered, with the component and file it belongs to. */
export interface RenderedObject {
  readonly component: string;
  /** Path inside `gitops/<env>/`, e.g. `app-web/deployment-web.yaml`. */
  readonly file: string;
  readonly manifest: Readonly<Record<string, any>>;
}

/** One environment's output, before anything is written. */
export interface RenderedEnvironment {
  readonly env: EnvironmentSpec;
  readonly components: readonly Component[];
  readonly objects: readonly RenderedObject[];
  /** File contents by path inside `gitops/<env>/`. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * `Deployment` + `web` → `deployment-web.yaml`: the kind and name a reviewer looks for. A
 * Kustomization is `kustomization.yaml`, the one name Kustomize and Argo CD look for.
 */
export function fileNameOf(manifest: Readonly<Record<string, any>>): string {
  if (String(manifest.apiVersion).startsWith('kustomize.config.k8s.io/') && manifest.kind === 'Kustomization') return 'kustomization.yaml';
  return `${String(manifest.kind).toLowerCase()}-${manifest.metadata?.name}.yaml`;
}

function contextFor(
  env: EnvironmentSpec,
  component: Component,
  parameters: ResolvedParameters,
  renderedBefore: () => readonly RenderedManifest[],
  onReadBefore: () => void,
): RenderContext {
  const declared = new Set([
    ...component.parameters.map((definition) => parameterName(definition, env)),
    ...(component.crossEnvParameters ?? []).flatMap((cross) => cross.parameters.map((definition) => parameterName(definition, cross.env))),
  ]);
  return {
    env,
    get renderedBefore() {
      onReadBefore();
      return renderedBefore();
    },
    param<T>(definition: ParameterDefinition<T>, from: AwsEnvironment = env): T {
      const name = parameterName(definition, from);
      if (!declared.has(name)) {
        throw new SynthError([
          {
            env: env.name,
            component: component.name,
            parameter: name,
            message: 'read without being declared in the component\'s parameters (declare it, so synth checks it before rendering)',
          },
        ]);
      }
      return parameters.get(name) as T;
    },
  };
}

/** One object of a component, as rendered or as cached. */
export interface Output {
  readonly file: string;
  readonly manifest: Readonly<Record<string, any>>;
  readonly yaml: string;
}

/** How a run has a component: rendered now, taken from the render cache, or known from the summary of the last run that passed (read from the cache only if needed). */
export type PartSource = 'rendered' | 'cached' | 'known';

/** One component of an env as this run has it. */
export class RenderedPart {
  private loaded: readonly Output[] | undefined;
  private digests: readonly (readonly [string, string])[] | undefined;

  constructor(
    readonly component: Component,
    readonly source: PartSource,
    /** Its render cache key, and the key its output is stored under (undefined: not cached). */
    readonly key: string | undefined,
    readonly outputKey: string | undefined,
    outputs: readonly Output[] | (() => readonly Output[]),
    /** For a known part: what the last passing run knew of it. */
    readonly summary?: PartSummary,
  ) {
    if (typeof outputs === 'function') this.load = outputs;
    else this.loaded = outputs;
  }

  private readonly load?: () => readonly Output[];

  /** Its objects and files, in render order. */
  outputs(): readonly Output[] {
    return (this.loaded ??= this.load!());
  }

  /** SHA-1 of each of its files, by path inside `gitops/<env>/`, in render order. */
  fileDigests(): readonly (readonly [string, string])[] {
    return (this.digests ??= this.summary?.files ?? this.outputs().map(({ file, yaml }) => [file, digestOf(yaml)] as const));
  }

  /** Digest of its objects as `reader` (a later component reading them through its `viewOfBefore`) sees them. */
  seenBy(reader: Component): string {
    const known = this.summary?.seen[reader.name];
    if (known !== undefined) return known;
    const view = reader.viewOfBefore!;
    return sha1(JSON.stringify(this.outputs().map(({ manifest }) => view(manifest))));
  }
}

/**
 * What a component reading `renderedBefore` is keyed on besides its own key: of each component
 * before it, how it sees them (its `viewOfBefore`), or else their files.
 */
function beforeDigest(reader: Component, before: readonly RenderedPart[]): string {
  const seen = reader.viewOfBefore
    ? before.map((part) => [part.component.name, part.seenBy(reader)])
    : before.map((part) => [part.component.name, sha1(JSON.stringify(part.fileDigests()))]);
  return sha1(JSON.stringify(seen));
}

/** The key a component's output is stored under: its own, or with what it read of the components before it. */
const outputKeyOf = (key: string, readsBefore: boolean, before: () => string) => (readsBefore ? sha1(`${key}\n${before()}`) : key);

/** The render cache and what it holds for one env folder, as `renderParts` uses them. */
export interface CachedScope {
  readonly cache: RenderCache;
  /** The env folder's name in the cache (incremental.ts `scopeOf`). */
  readonly scope: string;
  /** What the last run that passed knew of each component, by component key. @default none */
  readonly known?: ReadonlyMap<string, PartSummary>;
}

/**
 * Renders every component of an env in memory, each as one chart in a cdk8s App of its own:
 * cdk8s's `chart.toJson()` resolves and validates the chart's whole App, so charts sharing one
 * App made rendering quadratic in the number of components (chart synthesis took 1.2 s at 3 envs ×
 * 200 apps, 0.4 s with an App per component).
 * Components share nothing through constructs; a later one sees earlier ones' objects through
 * `renderedBefore`.
 *
 * With a cache, a component whose key (render-cache.ts) has an entry in the pack of the env
 * folder `scope` is not rendered: it is the last passing run's (`known`, whose output is read only
 * when asked for) or the pack's. When every component rendered without a problem, the pack is
 * stored with what this run used.
 */
export function renderParts(env: EnvironmentSpec, components: readonly Component[], parameters: ResolvedParameters, cached?: CachedScope): RenderedPart[] {
  const cache = cached?.cache;
  const pack = cached && cached.cache.pack(cached.scope);
  const problems: Problem[] = [];
  const parts: RenderedPart[] = [];
  for (const summary of cached?.known?.values() ?? []) if (pack!.has(summary.outputKey)) pack!.use(summary.key, summary.outputKey);
  for (const component of components) {
    // The parts before this one, taken only when it needs them (a copy per component was
    // quadratic in the components of an env).
    const count = parts.length;
    const earlier = () => parts.slice(0, count);
    const before = () => beforeDigest(component, earlier());
    const key = cache?.componentKey(env, component, parameters);
    const known = key === undefined ? undefined : cached!.known?.get(key);
    if (known && pack!.has(known.outputKey) && outputKeyOf(key!, known.outputKey !== key, before) === known.outputKey) {
      pack!.use(key!, known.outputKey);
      parts.push(new RenderedPart(component, 'known', key, known.outputKey, () => outputsOf(pack!.load(known.outputKey)), known));
      continue;
    }
    const outputKey = key !== undefined && pack!.has(key) ? outputKeyOf(key, pack!.readsBefore(key), before) : undefined;
    const hit = outputKey === undefined ? undefined : pack!.lookup(key!, outputKey);
    if (hit) {
      parts.push(new RenderedPart(component, 'cached', key, outputKey, outputsOf(hit)));
      continue;
    }
    let readsBefore = false;
    // What it sees of the objects before it: their views when it declares one, else the objects.
    const view = component.viewOfBefore ?? ((manifest: Readonly<Record<string, any>>) => manifest);
    let seen: RenderedManifest[] | undefined;
    const renderedBefore = () => (seen ??= earlier().flatMap((part) => part.outputs().map(({ manifest }) => ({ component: part.component.name, manifest: view(manifest) }))));
    const failed = problems.length;
    const outputs = renderOne(env, component, parameters, renderedBefore, () => (readsBefore = true), problems);
    if (problems.length > failed) continue;
    const stored = key === undefined ? undefined : outputKeyOf(key, readsBefore, before);
    if (stored !== undefined) pack!.store(key!, stored, { files: outputs.map(({ file, yaml }) => [file, yaml]), manifests: outputs.map(({ manifest }) => manifest) });
    parts.push(new RenderedPart(component, 'rendered', key, stored, outputs));
  }
  if (problems.length > 0) throw new SynthError(problems);
  pack?.save();
  return parts;
}

const outputsOf = (entry: CachedComponent): Output[] => entry.files.map(([file, yaml], index) => ({ file, yaml, manifest: entry.manifests[index]! }));

/** One component rendered into a chart of its own; its problems go to `problems`. */
function renderOne(
  env: EnvironmentSpec,
  component: Component,
  parameters: ResolvedParameters,
  renderedBefore: () => readonly RenderedManifest[],
  onReadBefore: () => void,
  problems: Problem[],
): Output[] {
  const app = new App({ outdir: '/nonexistent', recordConstructMetadata: false });
  const chart = new Chart(app, component.name, { disableResourceNameHashes: true });
  const outputs: Output[] = [];
  try {
    component.render(chart, contextFor(env, component, parameters, renderedBefore, onReadBefore));
    const files = new Set<string>();
    for (const manifest of chart.toJson()) {
      if (typeof manifest.metadata?.name !== 'string' || manifest.metadata.name === '') {
        problems.push({
          env: env.name,
          component: component.name,
          file: `gitops/${env.name}/${component.name}/`,
          parameter: String(manifest.kind),
          message: 'an object without metadata.name (file names are <kind>-<name>.yaml)',
        });
        continue;
      }
      const file = `${component.name}/${fileNameOf(manifest)}`;
      if (files.has(file)) {
        problems.push({ env: env.name, component: component.name, file: `gitops/${env.name}/${file}`, message: 'two objects render to this file (same kind and name)' });
        continue;
      }
      files.add(file);
      outputs.push({ file, manifest, yaml: toYaml(manifest) });
    }
  } catch (error) {
    // A damaged cache is no problem of the component's: the env is rendered again without it.
    if (error instanceof DamagedCache) throw error;
    if (error instanceof SynthError || error instanceof AppRenderProblems) problems.push(...error.problems);
    else problems.push({ env: env.name, component: component.name, message: `rendering failed: ${(error as Error).message}` });
  }
  return outputs;
}

/** An env's parts as one rendered env: every object and file, read from the cache where needed. */
export function wholeOf(env: EnvironmentSpec, parts: readonly RenderedPart[]): RenderedEnvironment {
  const objects: RenderedObject[] = [];
  const files = new Map<string, string>();
  for (const part of parts) {
    for (const { file, manifest, yaml } of part.outputs()) {
      objects.push({ component: part.component.name, file, manifest });
      files.set(file, yaml);
    }
  }
  return { env, components: parts.map(({ component }) => component), objects, files };
}

/** Renders every component of an env, without a cache: its objects and files. */
export function renderEnvironment(env: EnvironmentSpec, components: readonly Component[], parameters: ResolvedParameters): RenderedEnvironment {
  return wholeOf(env, renderParts(env, components, parameters));
}
