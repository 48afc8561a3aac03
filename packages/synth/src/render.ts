import { AppRenderProblems } from '@gitops/app';
import type { Component, EnvironmentSpec, RenderContext, RenderedManifest } from '@gitops/core';
import { App, Chart } from 'cdk8s';
import { parameterName, type AwsEnvironment, type ParameterDefinition } from '@gitops/contract';
import { SynthError, type Problem } from './problems';
import { sha1, type RenderCache } from './render-cache';
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
  /** Each component's render cache key, in render order (undefined: not cacheable); set when rendered with a cache. */
  readonly componentKeys?: readonly (string | undefined)[];
  /**
   * The key each component's output is stored under, in render order: its component key, or for
   * one that read `renderedBefore`, that key with what it read (undefined: not cached).
   */
  readonly outputKeys?: readonly (string | undefined)[];
  /** Components taken from the render cache instead of rendered. */
  readonly reused?: number;
  /** Their names: each one's output is the one stored under its output key. */
  readonly settled?: ReadonlySet<string>;
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
interface Output {
  readonly file: string;
  readonly manifest: Readonly<Record<string, any>>;
  readonly yaml: string;
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
 * folder `scope` is not rendered: its files and objects are the entry's. When every component
 * rendered without a problem, the pack is stored with what this run used.
 */
export function renderEnvironment(
  env: EnvironmentSpec,
  components: readonly Component[],
  parameters: ResolvedParameters,
  cached?: { readonly cache: RenderCache; readonly scope: string },
): RenderedEnvironment {
  const cache = cached?.cache;
  const pack = cached && cached.cache.pack(cached.scope);
  const objects: RenderedObject[] = [];
  const files = new Map<string, string>();
  const problems: Problem[] = [];
  const componentKeys: (string | undefined)[] = [];
  const outputKeys: (string | undefined)[] = [];
  /** Each component's outputs, in render order, and their SHA-1 once a component reading `renderedBefore` whole needed it. */
  const done: Output[][] = [];
  const digests: string[] = [];
  const digestOf = (index: number) => (digests[index] ??= sha1(done[index]!.map(({ file, yaml }) => `${file}\n${yaml}`).join('\0')));
  let reused = 0;
  const settled = new Set<string>();
  for (const component of components) {
    // What the component sees of the objects before it, and what its cached output is keyed on
    // besides its key: their views when it declares one, else every earlier file.
    const { viewOfBefore } = component;
    let views: RenderedManifest[] | undefined;
    const seen = viewOfBefore ? () => (views ??= objects.map((object) => ({ component: object.component, manifest: viewOfBefore(object.manifest) }))) : () => objects;
    const count = done.length;
    const before = viewOfBefore
      ? () => sha1(JSON.stringify(seen().map((view) => [view.component, view.manifest])))
      : () => sha1(Array.from({ length: count }, (_, index) => digestOf(index)).join('\n'));
    const key = cache?.componentKey(env, component, parameters);
    componentKeys.push(key);
    const hit = key === undefined ? undefined : pack!.lookup(key, before);
    let outputs: Output[] = [];
    let readsBefore = false;
    const failed = problems.length;
    if (hit) {
      reused += 1;
      settled.add(component.name);
      outputKeys.push(hit.key);
      outputs = hit.entry.files.map(([file, yaml], index) => ({ file, yaml, manifest: hit.entry.manifests[index]! }));
    } else {
      const app = new App({ outdir: '/nonexistent', recordConstructMetadata: false });
      const chart = new Chart(app, component.name, { disableResourceNameHashes: true });
      try {
        component.render(chart, contextFor(env, component, parameters, seen, () => (readsBefore = true)));
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
          outputs.push({ file: `${component.name}/${fileNameOf(manifest)}`, manifest, yaml: toYaml(manifest) });
        }
      } catch (error) {
        if (error instanceof SynthError || error instanceof AppRenderProblems) problems.push(...error.problems);
        else problems.push({ env: env.name, component: component.name, message: `rendering failed: ${(error as Error).message}` });
        continue;
      }
    }
    for (const { file, manifest, yaml } of outputs) {
      if (files.has(file)) {
        problems.push({ env: env.name, component: component.name, file: `gitops/${env.name}/${file}`, message: 'two objects render to this file (same kind and name)' });
        continue;
      }
      files.set(file, yaml);
      objects.push({ component: component.name, file, manifest });
    }
    if (!hit) {
      const stored = key !== undefined && problems.length === failed;
      if (stored) pack!.store(key, readsBefore, before, { files: outputs.map(({ file, yaml }) => [file, yaml]), manifests: outputs.map(({ manifest }) => manifest) });
      outputKeys.push(stored ? pack!.outputKey(key, readsBefore, before) : undefined);
    }
    if (cache) done.push(outputs);
  }
  if (problems.length > 0) throw new SynthError(problems);
  pack?.save();
  return { env, components, objects, files, ...(cache ? { componentKeys, outputKeys, reused, settled } : {}) };
}
