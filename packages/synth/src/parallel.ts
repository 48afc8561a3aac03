import type { Worker } from 'node:worker_threads';
import { componentsFor } from './components';
import { afterEnvironment } from './memory';
import { attempt, outcomeFiles, pendingRenders, renderingAgain, renderOrReuse, scopeOf, type Attempt, type PreparedEnvironment, type RenderSettings, type WorkDone } from './incremental';
import { SnapshotSource } from './params/snapshot';
import type { RenderedApplication } from './argocd-names';
import type { Problem } from './problems';
import { RenderCache, type RenderCacheOptions } from './render-cache';
import { resolveParameters } from './resolve';
import { loadWorkspace } from './workspace';

// Envs render on worker threads as well as on this one. Each thread takes the next env from a
// shared counter when it is free, so a worker still loading its code takes none, and every env's
// output, checks and report are those of the single-threaded code, run on another thread: the
// results are put back in env order, so what synth prints and writes does not depend on which
// thread rendered what. A worker loads the launcher's bundles and the workspace on its own
// (~0.2 s at 3 envs × 1000 apps, 2-core benchmark machine), so workers start only when enough
// components are to be rendered (`minRenders`); the render cache makes most runs too small.

/** What a worker thread is asked to do. */
export interface WorkerRequest {
  readonly root: string;
  /** Envs to render, by the index the shared counter gives. */
  readonly envs: readonly string[];
  readonly cache?: RenderCacheOptions;
  /** An Int32Array's buffer: the index of the next env to take. */
  readonly claims: SharedArrayBuffer;
}

type Serialized =
  | { readonly index: number; readonly problems: readonly Problem[] }
  | {
      readonly index: number;
      readonly outcome: {
        env: string;
        objects: number;
        components: number;
        report: readonly string[];
        argocd: string;
        applications: readonly RenderedApplication[];
        expected: [string, string][];
        /** The files it rendered, README.md included; the reused ones are read from the render cache on this thread when needed. */
        files: readonly (readonly [string, string])[];
        reused: readonly (readonly [string, string])[];
        work: WorkDone;
      };
    };

export interface Parallelism {
  /** Threads to render on, this one included. */
  readonly threads: number;
  /** Fewest components to render (not in the cache) for which starting worker threads pays. */
  readonly minRenders: number;
  /** Starts a worker thread that runs `renderWorker(request, post)` (the launcher's worker mode). */
  start(request: WorkerRequest): Worker;
}

function serialize(index: number, result: Attempt): Serialized {
  if ('problems' in result) return { index, problems: result.problems };
  const { outcome } = result;
  const { fresh, reused } = outcome.written();
  return {
    index,
    outcome: {
      env: outcome.env,
      objects: outcome.objects,
      components: outcome.components,
      report: outcome.report,
      argocd: outcome.argocd,
      applications: outcome.applications,
      expected: [...outcome.expected],
      files: [...fresh],
      reused: [...reused],
      work: outcome.work,
    },
  };
}

function deserialize(message: Serialized, settings: RenderSettings, prepared: PreparedEnvironment): Attempt {
  if ('problems' in message) return { problems: message.problems };
  const { outcome } = message;
  const { reused, files, ...rest } = outcome;
  const fresh = new Map(files);
  const readme = fresh.get('README.md')!;
  fresh.delete('README.md');
  const expected = new Map(outcome.expected);
  const pack = settings.cache?.pack(scopeOf(settings.root, prepared.env));
  return { outcome: { ...rest, expected, ...outcomeFiles(fresh, reused, pack, { digest: expected.get('README.md')!, text: () => readme }, renderingAgain(prepared, settings)) } };
}

/** Renders the envs one after the other on this thread; results in env order. */
export async function renderInTurn(prepared: readonly PreparedEnvironment[], settings: RenderSettings): Promise<Attempt[]> {
  const results: Attempt[] = [];
  for (const entry of prepared) {
    const result = await attempt(() => renderOrReuse(entry, settings));
    afterEnvironment(result);
    results.push(result);
  }
  return results;
}

/** Renders the envs on this thread and on worker threads; results in env order. */
export async function renderInParallel(root: string, prepared: readonly PreparedEnvironment[], settings: RenderSettings, parallelism: Parallelism): Promise<Attempt[]> {
  const workers = Math.min(parallelism.threads, prepared.length) - 1;
  if (workers < 1 || pendingRenders(prepared, settings) < parallelism.minRenders) return renderInTurn(prepared, settings);
  const claims = new SharedArrayBuffer(4);
  const counter = new Int32Array(claims);
  const results: Attempt[] = [];
  const request: WorkerRequest = {
    root,
    envs: prepared.map(({ env }) => env.name),
    ...(settings.cache ? { cache: settings.cache.options } : {}),
    claims,
  };
  const finished = Array.from({ length: workers }, () => {
    const worker = parallelism.start(request);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: Serialized | { error: string }) => {
        if ('error' in message) reject(new Error(message.error));
        else results[message.index] = deserialize(message, settings, prepared[message.index]!);
      });
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a synth worker thread exited with code ${code}`))));
    });
  });
  // Rejections are awaited below; until then this thread is busy rendering.
  for (const promise of finished) promise.catch(() => undefined);
  for (let index = Atomics.add(counter, 0, 1); index < prepared.length; index = Atomics.add(counter, 0, 1)) {
    results[index] = await attempt(() => renderOrReuse(prepared[index]!, settings));
    afterEnvironment(results[index]!);
  }
  await Promise.all(finished);
  return results;
}

/** A worker thread's work: load the workspace, then render envs until none is left. */
export async function renderWorker(request: WorkerRequest, post: (message: Serialized | { error: string }) => void): Promise<void> {
  try {
    const workspace = await loadWorkspace(request.root);
    const cache = request.cache ? new RenderCache(request.cache) : undefined;
    const settings: RenderSettings = { root: request.root, ...(cache ? { cache } : {}) };
    const source = new SnapshotSource(request.root);
    const counter = new Int32Array(request.claims);
    for (let index = Atomics.add(counter, 0, 1); index < request.envs.length; index = Atomics.add(counter, 0, 1)) {
      const env = workspace.environments.get(request.envs[index]!)!;
      const components = componentsFor(env, workspace);
      const parameters = await resolveParameters(env, components, source);
      const result = await attempt(() => renderOrReuse({ env, components, parameters }, settings));
      post(serialize(index, result));
      afterEnvironment(result);
    }
  } catch (error) {
    post({ error: (error as Error).stack ?? String(error) });
  }
}
