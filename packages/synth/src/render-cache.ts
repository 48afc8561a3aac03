import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { join, resolve } from 'node:path';
import { parameterName } from '@gitops/contract';
import type { Component, EnvironmentSpec } from '@gitops/core';
import type { RenderedApplication } from './argocd-names';
import type { TreeState } from './output';
import type { ResolvedParameters } from './resolve';

// The render cache: what a component rendered, and what an env's checks and reports gave, kept
// across runs and keyed by the content of everything that can change them. A key is a SHA-1 of
// - the code synth runs (`code`: the launcher's hash of every library source file, the npm
//   packages through the lockfile, and the data files read at run time, such as the CRDs the
//   schema check reads);
// - the env spec, as canonical JSON (key order does not matter, values do);
// - what the component was built from besides the env (`cacheable(component, inputs)`: an app's
//   definition and the env's overrides for it; for the Argo CD component the name, delivery and
//   upstream sources of the components it delivers, all it is given of them, and every env spec);
// - the name and checked value of every SSM parameter the component declares;
// - for a component that reads `ctx.renderedBefore`, the output of every component before it,
//   or, when it declares `viewOfBefore`, its view of each earlier object (all it sees of them).
// A component that was not declared cacheable, or whose inputs hold anything but plain data
// (a function, a class instance), is rendered on every run.
//
// Component entries are kept in packs, one per env folder (`ComponentPack`), env results and
// what synth last saw in each env folder in files of their own; every file is written whole
// (temporary file, then rename), and no entry is trusted for anything its key does not cover:
// deleting the folder, or any file in it, at any time only costs a render.

/** Identity of the code synth runs; two runs with the same value render alike. */
export type CodeIdentity = string;

export interface RenderCacheOptions {
  /** Folder of the cache. */
  readonly dir: string;
  readonly code: CodeIdentity;
}

const inputsOf = new WeakMap<Component, unknown>();

/** Declares what `component` was built from besides the env spec, making it cacheable. */
export function cacheable<T extends Component>(component: T, inputs: unknown): T {
  inputsOf.set(component, inputs);
  return component;
}

export const sha1 = (data: string) => createHash('sha1').update(data).digest('hex');

/**
 * A stable text for plain data (objects with sorted keys, arrays, strings, numbers, booleans,
 * null, undefined), with cacheable components in it replaced by `componentKey(component)`;
 * undefined when the value holds anything else. With `memo`, an object's text is computed once
 * and, when long, stands as its SHA-1: an env spec of 1000 apps is in every key of the env.
 */
export function canonical(
  value: unknown,
  componentKey: (component: Component) => string | undefined = () => undefined,
  memo?: WeakMap<object, string | undefined>,
): string | undefined {
  const seen = new Set<object>();
  /** Whether the text being built names a component: its key depends on the env, so it is not memoized. */
  let namesComponent = false;
  const visit = (item: unknown): string | undefined => {
    if (!memo || typeof item !== 'object' || item === null || inputsOf.has(item as Component)) return structure(item);
    if (memo.has(item)) return memo.get(item);
    const outer = namesComponent;
    namesComponent = false;
    const text = structure(item);
    const short = text === undefined || text.length <= 200 ? text : `h:${sha1(text)}`;
    if (!namesComponent) memo.set(item, short);
    namesComponent ||= outer;
    return short;
  };
  const structure = (item: unknown): string | undefined => {
    if (item === undefined) return 'u';
    if (item === null || typeof item === 'string' || typeof item === 'boolean') return JSON.stringify(item);
    if (typeof item === 'number') return Number.isFinite(item) ? JSON.stringify(item) : `n:${String(item)}`;
    if (typeof item !== 'object') return undefined;
    if (inputsOf.has(item as Component)) {
      namesComponent = true;
      const key = componentKey(item as Component);
      return key === undefined ? undefined : `c:${key}`;
    }
    if (seen.has(item)) return undefined;
    seen.add(item);
    try {
      if (Array.isArray(item)) {
        const parts: string[] = [];
        for (const element of item) {
          const part = visit(element);
          if (part === undefined) return undefined;
          parts.push(part);
        }
        return `[${parts.join(',')}]`;
      }
      const prototype = Object.getPrototypeOf(item);
      if (prototype !== Object.prototype && prototype !== null) return undefined;
      const parts: string[] = [];
      for (const key of Object.keys(item).sort()) {
        const part = visit((item as Record<string, unknown>)[key]);
        if (part === undefined) return undefined;
        parts.push(`${JSON.stringify(key)}:${part}`);
      }
      return `{${parts.join(',')}}`;
    } finally {
      seen.delete(item);
    }
  };
  return visit(value);
}

/** One component's output as cached: its files (path inside `gitops/<env>/`, YAML) and objects. */
export interface CachedComponent {
  readonly files: readonly (readonly [string, string])[];
  readonly manifests: readonly Record<string, unknown>[];
}

/** What an env's checks and reports gave, for components with these keys. */
export interface CachedEnvironment {
  readonly objects: number;
  readonly components: number;
  readonly report: readonly string[];
  /** SHA-1 of every file, by path inside `gitops/<env>/`, in code-point order. */
  readonly files: readonly (readonly [string, string])[];
  /** The keys the components' outputs were stored under, in render order (RenderedEnvironment `outputKeys`). */
  readonly outputKeys: readonly string[];
  /** The env's README.md (written by synth after the checks). */
  readonly readme: string;
  /** Its Argo CD Applications, for the names check across envs. */
  readonly applications: readonly RenderedApplication[];
}

/** A component entry that says: this component reads `renderedBefore`; look under the key with their digest. */
interface ReadsBefore {
  readonly readsBefore: true;
}

/**
 * Folders of the cache: packs of component outputs, env results, the last pack and env results of
 * each env folder (`scope`), observed `gitops/<env>/` folders.
 */
type Kind = 'pack' | 'env' | 'scope' | 'tree';

/** What the cache last stored for one env folder: where to look first, and what to delete when replaced. */
interface Scope {
  /** A full pack, then the deltas stored after it, oldest first. */
  readonly packs?: readonly string[];
  readonly environment?: string;
}

/** Deltas a scope may have before the next save writes one full pack in their place. */
const MAX_DELTAS = 4;

type PackEntry = CachedComponent | ReadsBefore;

/**
 * The component entries one env used in one run, stored as one file: writing a file per
 * component cost ~9 s of a 3 × 1000-app cold render on the benchmark machine's disk (3,000 small
 * files), one file per env a fraction of that. A run reads the packs the env folder's last run
 * left; any entry in them is trusted only under its own key, so an older or foreign pack only
 * costs renders. A run that rendered a few components stores them as a delta beside the full
 * pack (one app changed: a few kB, where a full pack of 1000 apps is ~9 MB); after
 * `MAX_DELTAS` deltas, or when most of the env was rendered, it stores a full pack of every
 * entry it used in their place.
 */
export class ComponentPack {
  private previous: Map<string, PackEntry> | undefined;
  private readonly used = new Map<string, PackEntry>();
  private changed = false;

  constructor(
    private readonly cache: RenderCache,
    private readonly scope: string,
  ) {}

  private entries(): Map<string, PackEntry> {
    if (!this.previous) {
      this.previous = new Map();
      for (const pack of this.cache.scopeOf(this.scope).packs ?? []) {
        for (const [key, entry] of Object.entries(this.cache.read<Record<string, PackEntry>>('pack', pack) ?? {})) this.previous.set(key, entry);
      }
    }
    return this.previous;
  }

  private get(key: string): PackEntry | undefined {
    const entry = this.used.get(key) ?? this.entries().get(key);
    if (entry) this.used.set(key, entry);
    return entry;
  }

  /** Whether a component's entry is there. */
  has(key: string): boolean {
    return this.used.has(key) || this.entries().has(key);
  }

  /**
   * The cached output of a component, given the digest of everything rendered before it; undefined
   * on a miss. `before` is only computed when the entry says the component reads it.
   */
  lookup(key: string, before: () => string): { key: string; entry: CachedComponent } | undefined {
    const entry = this.get(key);
    if (!entry) return undefined;
    if ('readsBefore' in entry) {
      const full = this.outputKey(key, true, before);
      const found = this.get(full) as CachedComponent | undefined;
      return found ? { key: full, entry: found } : undefined;
    }
    return { key, entry };
  }

  /** The key a component's output is stored under: its own, or with `before` when it reads it. */
  outputKey(key: string, readsBefore: boolean, before: () => string): string {
    return readsBefore ? sha1(`${key}\n${before()}`) : key;
  }

  /** Keeps a component's output, to be stored by `save`. */
  store(key: string, readsBefore: boolean, before: () => string, entry: CachedComponent): void {
    this.changed = true;
    if (readsBefore) this.used.set(key, { readsBefore: true });
    this.used.set(this.outputKey(key, readsBefore, before), entry);
  }

  /**
   * Stores the entries this run used, when it rendered anything, in place of the env folder's
   * previous pack; then lets go of them (a later lookup reads the pack again).
   */
  save(): void {
    if (this.changed) {
      const packs = this.cache.scopeOf(this.scope).packs ?? [];
      const added = [...this.used.keys()].filter((key) => !this.entries().has(key)).sort();
      const delta = packs.length > 0 && packs.length <= MAX_DELTAS && added.length * 4 < this.used.size;
      const keys = delta ? added : [...this.used.keys()].sort();
      const pack = sha1(keys.join('\n'));
      this.cache.writeEntries('pack', pack, keys.map((key) => [key, this.used.get(key)]));
      this.cache.replaceScope(this.scope, { packs: delta ? [...packs, pack] : [pack] });
    }
    this.previous = undefined;
    this.used.clear();
    this.changed = false;
  }
}

export class RenderCache {
  private readonly envSpecs = new Map<EnvironmentSpec, string | undefined>();
  private readonly memo = new WeakMap<object, string | undefined>();
  /** Keys by env and component: a platform component is one object shared by every env. */
  private readonly keys = new Map<EnvironmentSpec, Map<Component, string | undefined>>();

  constructor(readonly options: RenderCacheOptions) {}

  private path(kind: Kind, key: string) {
    return join(this.options.dir, kind, `${key}.json`);
  }

  read<T>(kind: Kind, key: string): T | undefined {
    try {
      return JSON.parse(readFileSync(this.path(kind, key), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  write(kind: Kind, key: string, value: unknown): void {
    const file = this.path(kind, key);
    try {
      mkdirSync(join(file, '..'), { recursive: true });
      const temporary = `${file}.${process.pid}.${threadId}.tmp`;
      writeFileSync(temporary, JSON.stringify(value));
      renameSync(temporary, file);
    } catch {
      // A read-only or full cache folder only costs speed.
    }
  }

  /** Writes `{ key: value, ... }` an entry at a time: a pack of 1000 apps is ~9 MB of JSON, not needed as one string. */
  writeEntries(kind: Kind, key: string, entries: readonly (readonly [string, unknown])[]): void {
    const file = this.path(kind, key);
    try {
      mkdirSync(join(file, '..'), { recursive: true });
      const temporary = `${file}.${process.pid}.${threadId}.tmp`;
      const fd = openSync(temporary, 'w');
      try {
        entries.forEach(([name, value], index) => writeSync(fd, `${index === 0 ? '{' : ','}${JSON.stringify(name)}:${JSON.stringify(value)}`));
        writeSync(fd, entries.length === 0 ? '{}' : '}');
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, file);
    } catch {
      // A read-only or full cache folder only costs speed; a half-written pack is not left behind.
      rmSync(`${file}.${process.pid}.${threadId}.tmp`, { force: true });
    }
  }

  /** `scope` names an env folder: `gitops/<env>/` of one repository. */
  scopeOf(scope: string): Scope {
    return this.read<Scope>('scope', sha1(scope)) ?? {};
  }

  /** Records what the cache now holds for `scope`, deleting what it replaces (the cache stays the size of what is in use). */
  replaceScope(scope: string, update: Scope): void {
    const before = this.scopeOf(scope);
    this.write('scope', sha1(scope), { ...before, ...update });
    for (const pack of before.packs ?? []) if (update.packs && !update.packs.includes(pack)) rmSync(this.path('pack', pack), { force: true });
    if (update.environment && before.environment && before.environment !== update.environment) rmSync(this.path('env', before.environment), { force: true });
  }

  private readonly packs = new Map<string, ComponentPack>();

  /** The component entries of the env folder `scope` (one pack per scope and run). */
  pack(scope: string): ComponentPack {
    if (!this.packs.has(scope)) this.packs.set(scope, new ComponentPack(this, scope));
    return this.packs.get(scope)!;
  }

  private envText(env: EnvironmentSpec): string | undefined {
    if (!this.envSpecs.has(env)) this.envSpecs.set(env, canonical(env, undefined, this.memo));
    return this.envSpecs.get(env);
  }

  /** The key of a component of `env`, before what it may read of `renderedBefore`; undefined when it is not cacheable. */
  componentKey(env: EnvironmentSpec, component: Component, parameters: ResolvedParameters): string | undefined {
    let known = this.keys.get(env);
    if (!known) this.keys.set(env, (known = new Map()));
    if (known.has(component)) return known.get(component);
    known.set(component, undefined);
    let key: string | undefined;
    const envText = this.envText(env);
    if (envText !== undefined && inputsOf.has(component)) {
      const inputs = canonical(inputsOf.get(component), (other) => this.componentKey(env, other, parameters), this.memo);
      const declared = [
        ...component.parameters.map((definition) => parameterName(definition, env)),
        ...(component.crossEnvParameters ?? []).flatMap((cross) => cross.parameters.map((definition) => parameterName(definition, cross.env))),
      ].sort();
      const values = canonical(declared.map((name) => [name, parameters.get(name)]));
      if (inputs !== undefined && values !== undefined) {
        key = sha1(JSON.stringify(['component', this.options.code, component.name, envText, inputs, values]));
      }
    }
    known.set(component, key);
    return key;
  }

  /** The key of an env's check and report results, or undefined when some component is not cacheable. */
  environmentKey(env: EnvironmentSpec, componentKeys: readonly (string | undefined)[], checks: string): string | undefined {
    const envText = this.envText(env);
    if (envText === undefined || componentKeys.some((key) => key === undefined)) return undefined;
    return sha1(JSON.stringify(['env', this.options.code, checks, envText, componentKeys]));
  }

  /** The last env results stored for `scope`: an env that passed every check. */
  lastEnvironment(scope: string): CachedEnvironment | undefined {
    const { environment } = this.scopeOf(scope);
    return environment === undefined ? undefined : this.lookupEnvironment(environment);
  }

  hasEnvironment(key: string): boolean {
    return existsSync(this.path('env', key));
  }

  lookupEnvironment(key: string): CachedEnvironment | undefined {
    return this.read<CachedEnvironment>('env', key);
  }

  storeEnvironment(scope: string, key: string, entry: CachedEnvironment): void {
    this.write('env', key, entry);
    this.replaceScope(scope, { environment: key });
  }

  /** What synth saw last time in the folder `dir` (output.ts `observeTree`). */
  lookupTree(dir: string): TreeState | undefined {
    return this.read<TreeState>('tree', sha1(resolve(dir)));
  }

  storeTree(dir: string, state: TreeState): void {
    this.write('tree', sha1(resolve(dir)), state);
  }
}
