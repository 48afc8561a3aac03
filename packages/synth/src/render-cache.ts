import { createHash } from 'node:crypto';
import { rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parameterName } from '@gitops/contract';
import type { Component, EnvironmentSpec } from '@gitops/core';
import type { RenderedApplication } from './argocd-names';
import type { TreeState } from './output';
import type { ResolvedParameters } from './resolve';
import { readTreeState, writeTreeState } from './tree-thread';
import { readFirstLine, readText, writeWhole } from './text';

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
// Component entries are kept in packs, one per env folder (`ComponentPack`); an env's results
// (with a summary of each component, so a later run can reuse one without reading it), its
// README and what synth last saw in each env folder in files of their own, and the runs the
// launcher keeps (bin/synth.mjs) in `run/`. Every file is written whole (temporary file, then
// rename), and no entry is trusted for anything its key does not cover: deleting the folder, or
// any file in it, at any time only costs a render.

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
 * JSON with every character beyond ASCII escaped (`\u00d7`): the same value, in a file read back
 * as Latin-1 (text.ts). One `×` in an env README made its results file take UTF-8's slow path.
 */
const asciiJson = (value: unknown) => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

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

/**
 * What a run that passed every check knew of one component's output, enough to reuse it without
 * reading it: what it is stored under, its files' digests, and digests of what the checks of the
 * whole env and any later component read of it.
 */
export interface PartSummary {
  readonly name: string;
  /** The component's key, and the key its output is stored under (another when it read `renderedBefore`). */
  readonly key: string;
  readonly outputKey: string;
  /** SHA-1 of each file, by path inside `gitops/<env>/`, in render order. */
  readonly files: readonly (readonly [string, string])[];
  /** Digest of its outline and objects as the checks of a whole env see them (checks.ts `EnvView`). */
  readonly view: string;
  /** Digest of its objects as each later component reading them through `viewOfBefore` sees them, by that component's name. */
  readonly seen: Readonly<Record<string, string>>;
}

/** What an env's checks and reports gave, for components with these keys. */
export interface CachedEnvironment {
  /** The code that stored it: results of other code are not looked at. */
  readonly code: CodeIdentity;
  readonly objects: number;
  readonly components: number;
  readonly report: readonly string[];
  /** SHA-1 of the env's README.md (written by synth after the checks), kept on its own: most runs need only this. */
  readonly readme: string;
  /** Its Argo CD Applications, for the names check across envs. */
  readonly applications: readonly RenderedApplication[];
  /** Its components, in render order. */
  readonly parts: readonly PartSummary[];
  /** Digest of the env's parameter values, which what the checks read of an object depends on (the README's SSM links). */
  readonly parameters: string;
  /** Digest of everything the checks, reports and README of the whole env were given: they gave the results above for it. */
  readonly reads: string;
}

/** How a pack indexes an entry: a component's output (`o`), or a note that it reads `renderedBefore` (`r`): look under the key with their digest. */
type IndexMark = 'o' | 'r';

/**
 * Folders of the cache: packs of component outputs, env results, the last pack and env results of
 * each env folder (`scope`), observed `gitops/<env>/` folders.
 */
type Kind = 'pack' | 'env' | 'readme' | 'scope' | 'tree';

/** What the cache last stored for one env folder: where to look first, and what to delete when replaced. */
interface Scope {
  /** A full pack, then the deltas stored after it, oldest first. */
  readonly packs?: readonly string[];
  readonly environment?: string;
  /** The file of the README the env results name. */
  readonly readme?: string;
}

/** Deltas a scope may have before the next save writes one full pack in their place. */
const MAX_DELTAS = 16;

/** A pack or one of its entries could not be read: the cache is damaged (rendering without it is the way out). */
export class DamagedCache extends Error {}

/**
 * The component entries one env used in one run, stored as one file: writing a file per
 * component cost ~9 s of a 3 × 1000-app cold render on the benchmark machine's disk (3,000 small
 * files), one file per env a fraction of that. Its first line is an index of its keys, read on
 * its own: a run in which one app changed looks up its keys there and reads no entry (a full
 * pack of 1000 apps is ~9 MB). A run reads the packs the env folder's last run left; any entry
 * in them is trusted only under its own key, so an older or foreign pack only costs renders. A
 * run that rendered a few components stores them as a delta beside the full pack (one app
 * changed: a few kB); after `MAX_DELTAS` deltas, or when most of the env was rendered, it stores
 * a full pack of every entry it used in their place.
 */
export class ComponentPack {
  private index: Map<string, IndexMark> | undefined;
  private previous: Map<string, CachedComponent> | undefined;
  /** Keys this run used (looked up or stored), with what it stored. */
  private readonly used = new Map<string, IndexMark>();
  private readonly stored = new Map<string, CachedComponent>();

  constructor(
    private readonly cache: RenderCache,
    private readonly scope: string,
  ) {}

  private packs(): readonly string[] {
    return this.cache.scopeOf(this.scope).packs ?? [];
  }

  private marks(): Map<string, IndexMark> {
    if (!this.index) {
      this.index = new Map();
      for (const pack of this.packs()) for (const [key, mark] of Object.entries(this.cache.readIndex(pack) ?? {})) this.index.set(key, mark);
    }
    return this.index;
  }

  private entries(): Map<string, CachedComponent> {
    if (!this.previous) {
      this.previous = new Map();
      for (const pack of this.packs()) {
        const entries = this.cache.readEntries(pack);
        if (!entries) throw new DamagedCache(`render cache pack ${pack} could not be read`);
        for (const [key, entry] of Object.entries(entries)) this.previous.set(key, entry);
      }
    }
    return this.previous;
  }

  private markOf(key: string): IndexMark | undefined {
    return this.used.get(key) ?? this.marks().get(key);
  }

  /** Whether a component's entry is there. */
  has(key: string): boolean {
    return this.markOf(key) !== undefined;
  }

  /** Whether the entry under `key` says its component reads `renderedBefore`. */
  readsBefore(key: string): boolean {
    return this.markOf(key) === 'r';
  }

  /** The output stored under `outputKey`, noting `key` (the component's own) as used; undefined on a miss. */
  lookup(key: string, outputKey: string): CachedComponent | undefined {
    if (this.markOf(outputKey) !== 'o') return undefined;
    const entry = this.load(outputKey);
    this.use(key, outputKey);
    return entry;
  }

  /**
   * Notes that this run reuses the output stored under `outputKey` for the component with `key`,
   * without reading it; or, called for what the last passing run used, that the next pack keeps
   * it: while the env fails its checks, a run that finds everything as that run left it reuses it.
   */
  use(key: string, outputKey: string): void {
    if (key !== outputKey) this.used.set(key, 'r');
    this.used.set(outputKey, 'o');
  }

  /** The output stored under `outputKey`, which this run reuses (loaded when first needed). */
  load(outputKey: string): CachedComponent {
    const entry = this.stored.get(outputKey) ?? this.entries().get(outputKey);
    if (!entry) throw new DamagedCache(`render cache entry ${outputKey} is missing`);
    return entry;
  }

  /** Keeps a component's output, to be stored by `save`. */
  store(key: string, outputKey: string, entry: CachedComponent): void {
    this.stored.set(outputKey, entry);
    this.use(key, outputKey);
  }

  /**
   * Stores the entries this run used, when it rendered anything, in place of the env folder's
   * previous packs (reading their entries only to write a full pack); then lets go of them.
   */
  save(): void {
    if (this.stored.size > 0) {
      const packs = this.packs();
      const added = [...this.used.keys()].filter((key) => !this.marks().has(key)).sort();
      const delta = packs.length > 0 && packs.length <= MAX_DELTAS && added.length * 4 < this.used.size;
      const keys = delta ? added : [...this.used.keys()].sort();
      const pack = sha1(keys.join('\n'));
      const index = Object.fromEntries(keys.map((key) => [key, this.used.get(key)!]));
      const outputs = keys.filter((key) => this.used.get(key) === 'o').map((key): [string, CachedComponent] => [key, this.load(key)]);
      this.cache.writePack(pack, index, outputs);
      this.cache.replaceScope(this.scope, { packs: delta ? [...packs, pack] : [pack] });
    }
    this.index = undefined;
    this.previous = undefined;
    this.used.clear();
    this.stored.clear();
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
      return JSON.parse(readText(this.path(kind, key))) as T;
    } catch {
      return undefined;
    }
  }

  write(kind: Kind, key: string, value: unknown): void {
    writeWhole(this.path(kind, key), (fd) => writeSync(fd, asciiJson(value)));
  }

  /**
   * Writes a pack: its index on the first line, then `{ key: entry, ... }` an entry at a time (a
   * pack of 1000 apps is ~9 MB of JSON, not needed as one string).
   */
  writePack(pack: string, index: Readonly<Record<string, IndexMark>>, outputs: readonly (readonly [string, CachedComponent])[]): void {
    writeWhole(this.path('pack', pack), (fd) => {
      writeSync(fd, `${asciiJson(index)}\n`);
      outputs.forEach(([key, entry], at) => writeSync(fd, `${at === 0 ? '{' : ','}${asciiJson(key)}:${asciiJson(entry)}`));
      writeSync(fd, outputs.length === 0 ? '{}' : '}');
    });
  }

  /** A pack's index, read without its entries; undefined when the pack cannot be read. */
  readIndex(pack: string): Record<string, IndexMark> | undefined {
    try {
      return JSON.parse(readFirstLine(this.path('pack', pack))) as Record<string, IndexMark>;
    } catch {
      return undefined;
    }
  }

  /** A pack's entries; undefined when the pack cannot be read. */
  readEntries(pack: string): Record<string, CachedComponent> | undefined {
    try {
      const text = readText(this.path('pack', pack));
      return JSON.parse(text.slice(text.indexOf('\n') + 1)) as Record<string, CachedComponent>;
    } catch {
      return undefined;
    }
  }

  private readonly scopes = new Map<string, Scope>();

  /** `scope` names an env folder: `gitops/<env>/` of one repository. */
  scopeOf(scope: string): Scope {
    let known = this.scopes.get(scope);
    if (!known) this.scopes.set(scope, (known = this.read<Scope>('scope', sha1(scope)) ?? {}));
    return known;
  }

  /** Records what the cache now holds for `scope`, deleting what it replaces (the cache stays the size of what is in use). */
  replaceScope(scope: string, update: Scope): void {
    this.setScope(scope, { ...this.scopeOf(scope), ...update });
  }

  /** Forgets what the cache holds for `scope` (a damaged pack): its next run renders it whole. */
  forgetScope(scope: string): void {
    this.setScope(scope, {});
    this.packs.delete(scope);
  }

  /** Records `after` for `scope` and deletes every file the scope named before and no longer does. */
  private setScope(scope: string, after: Scope): void {
    const before = this.scopeOf(scope);
    this.write('scope', sha1(scope), after);
    this.scopes.set(scope, after);
    for (const pack of before.packs ?? []) if (!after.packs?.includes(pack)) rmSync(this.path('pack', pack), { force: true });
    if (before.environment && before.environment !== after.environment) rmSync(this.path('env', before.environment), { force: true });
    if (before.readme && before.readme !== after.readme) rmSync(this.path('readme', before.readme), { force: true });
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

  /**
   * The key of what the checks of a whole env read (checks.ts `EnvView`): the code, the checks,
   * the env spec, its parameter values and each component's view digest.
   */
  readsKey(env: EnvironmentSpec, checks: string, parameters: string, views: readonly string[]): string | undefined {
    const envText = this.envText(env);
    return envText === undefined ? undefined : sha1(JSON.stringify(['reads', this.options.code, checks, envText, parameters, views]));
  }

  /** The last env results stored for `scope`: an env that passed every check. */
  lastEnvironment(scope: string): CachedEnvironment | undefined {
    const { environment } = this.scopeOf(scope);
    const entry = environment === undefined ? undefined : this.read<CachedEnvironment>('env', environment);
    return entry?.code === this.options.code ? entry : undefined;
  }

  /** Stores an env's results and its README (named by the scope and its digest, `entry.readme`). */
  storeEnvironment(scope: string, key: string, entry: CachedEnvironment, readme: () => string): void {
    const file = sha1(`${scope}\n${entry.readme}`);
    if (this.scopeOf(scope).readme !== file) this.write('readme', file, readme());
    this.write('env', key, entry);
    this.replaceScope(scope, { environment: key, readme: file });
  }

  /** The README the last env results of `scope` name, whose digest is `digest`. */
  readme(scope: string, digest: string): string {
    const text = this.read<string>('readme', sha1(`${scope}\n${digest}`));
    if (typeof text !== 'string') throw new DamagedCache(`render cache README of ${scope.split('\n').pop()} is missing`);
    return text;
  }

  /** What synth saw last time in the folder `dir` (output.ts `observeTree`). */
  lookupTree(dir: string): TreeState | undefined {
    return readTreeState(this.options.dir, dir);
  }

  storeTree(dir: string, state: TreeState): void {
    writeTreeState(this.options.dir, dir, state);
  }
}
