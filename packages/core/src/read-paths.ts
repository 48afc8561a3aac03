// What a check of a whole env reads of each rendered object, declared beside the check as paths.
// Synth gives such checks only the objects cut down to those paths (`projector`), so what they
// report is a function of exactly what the paths keep: an env in which one app changed only where
// no check reads (an image tag, an env value) keeps its checks' results, while every object
// whose kept part changed makes them run again (packages/synth/src/incremental.ts).

/**
 * Paths a check reads, per object kind (`*`: every kind). A path is dotted (`spec.replicas`),
 * with `[]` for every element of an array (`spec.template.spec.containers[].resources`) and `*`
 * for every key of an object (`metadata.labels.*`, the same as `metadata.labels`). A path names
 * a whole subtree: a check reading `spec.selector` may read anything under it.
 */
export type ReadPaths = Readonly<Record<string, readonly string[]>>;

/** Every path of each of `all`, per kind. */
export function mergeReadPaths(...all: readonly ReadPaths[]): ReadPaths {
  const merged: Record<string, string[]> = {};
  for (const paths of all) for (const [kind, list] of Object.entries(paths)) (merged[kind] ??= []).push(...list);
  return merged;
}

/** A trie of paths: `whole` takes the subtree, `each` every array element, `any` every key, `keys` the named ones. */
interface PathNode {
  whole: boolean;
  each?: PathNode;
  any?: PathNode;
  readonly keys: Map<string, PathNode>;
}

const newNode = (): PathNode => ({ whole: false, keys: new Map() });

function compile(paths: readonly string[]): PathNode {
  const root = newNode();
  for (const path of paths) {
    let node = root;
    for (const segment of path.split('.')) {
      const [, name, brackets] = /^([^[]*)((?:\[\])*)$/.exec(segment) ?? [];
      if (name === undefined || name === '') throw new Error(`read path "${path}": empty or malformed segment "${segment}"`);
      if (name === '*') node = node.any ??= newNode();
      else {
        if (!node.keys.has(name)) node.keys.set(name, newNode());
        node = node.keys.get(name)!;
      }
      for (let depth = 0; depth < brackets!.length / 2; depth++) node = node.each ??= newNode();
    }
    node.whole = true;
  }
  return root;
}

function project(value: unknown, node: PathNode): unknown {
  if (node.whole || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return node.each ? value.map((element) => project(element, node.each!)) : [];
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const child = node.keys.get(key) ?? node.any;
    if (child) kept[key] = project((value as Record<string, unknown>)[key], child);
  }
  return kept;
}

/**
 * Adds to `kept` (a projection of `value`) every string of `value`, and every key, that `keep`
 * selects, where it stands in `value`: an array keeps its length, with nothing in the places of
 * the elements that hold none.
 */
function withKept(value: unknown, kept: unknown, keep: (text: string) => boolean): unknown {
  if (typeof value === 'string') return keep(value) ? value : kept;
  if (value === null || typeof value !== 'object' || kept === value) return kept;
  if (Array.isArray(value)) {
    const base = Array.isArray(kept) ? kept : [];
    let result: unknown[] | undefined;
    value.forEach((element, index) => {
      const next = withKept(element, base[index], keep);
      if (next === base[index]) return;
      result ??= Array.from({ length: value.length }, (_, at) => (at < base.length ? base[at] : null));
      result[index] = next;
    });
    return result ?? kept;
  }
  const base = kept !== null && typeof kept === 'object' && !Array.isArray(kept) ? (kept as Record<string, unknown>) : undefined;
  let result: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const before = base?.[key];
    const inside = withKept((value as Record<string, unknown>)[key], before, keep);
    const next = inside === undefined && keep(key) ? null : inside;
    if (next === before) continue;
    result ??= { ...(base ?? {}) };
    result[key] = next;
  }
  return result ?? kept;
}

export type Manifest = Readonly<Record<string, any>>;

/**
 * Cuts manifests down to `paths` (those of its kind and `*`), keeping the objects on the way
 * (an object a path runs through stays, though empty) and the length of arrays a path runs
 * through every element of. With `keep`, every string or key it selects, anywhere in an object
 * of a kind in `keepKinds`, stays too (the env README links an SSM parameter to each object
 * holding its value). The result shares subtrees with the manifest: neither may be changed.
 */
export function projector(paths: ReadPaths, keep?: { readonly kinds: ReadonlySet<string>; readonly text: (text: string) => boolean }): (manifest: Manifest) => Manifest {
  const compiled = new Map<string, PathNode>();
  const every = paths['*'] ?? [];
  const nodeOf = (kind: string) => {
    let node = compiled.get(kind);
    if (!node) compiled.set(kind, (node = compile([...every, ...(paths[kind] ?? [])])));
    return node;
  };
  return (manifest) => {
    const kind = String(manifest.kind);
    const kept = project(manifest, nodeOf(kind)) as Manifest;
    return keep && keep.kinds.has(kind) ? (withKept(manifest, kept, keep.text) as Manifest) : kept;
  };
}
