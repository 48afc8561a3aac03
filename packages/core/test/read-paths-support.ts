import { outlineOf, projector, type ComponentOutline, type Manifest, type ReadPaths } from '../src/index';

// For the tests of each check of a whole env that declares what it reads (a `ReadPaths`): what
// synth hands the check, the declared paths one by one, and the changes an app makes most often.

/** Anything holding rendered objects and, maybe, components, as a check of a whole env takes them. */
interface WithObjects {
  readonly objects: readonly { readonly manifest: Manifest }[];
  readonly components?: readonly ComponentOutline[];
}

/** The same input as synth hands it to a check declaring `reads`: every manifest cut down to them (and what `keep` keeps), every component to its outline. */
export function projected<T extends WithObjects>(rendered: T, reads: ReadPaths, keep?: Parameters<typeof projector>[1]): T {
  const project = projector(reads, keep);
  return {
    ...rendered,
    ...(rendered.components ? { components: rendered.components.map(outlineOf) } : {}),
    objects: rendered.objects.map((object) => ({ ...object, manifest: project(object.manifest) })),
  };
}

/**
 * Every declared path with its kind, but a kind's path that `*` declares too: removing it from
 * the kind alone keeps it.
 */
export function declaredPaths(reads: ReadPaths): { readonly kind: string; readonly path: string }[] {
  const every = new Set(reads['*'] ?? []);
  return Object.entries(reads).flatMap(([kind, paths]) => paths.filter((path) => kind === '*' || !every.has(path)).map((path) => ({ kind, path })));
}

/** `reads` less one path of one kind. */
export function without(reads: ReadPaths, kind: string, path: string): ReadPaths {
  return { ...reads, [kind]: reads[kind]!.filter((read) => read !== path) };
}

/** A copy of `manifest` with `change` applied to every container of every pod template in it, wherever the kind keeps it. */
export function withContainers(manifest: Manifest, change: (container: Record<string, any>) => Record<string, any>): Manifest {
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) {
      return key === 'containers' || key === 'initContainers' ? value.map((container) => change(structuredClone(container))) : value.map((element) => walk(element));
    }
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, walk(inner, name)]));
  };
  return walk(manifest) as Manifest;
}

/** What an app changes most often and no check of a whole env reads: its image, command, env values, probes and resources. */
export function releaseChange(container: Record<string, any>): Record<string, any> {
  return {
    ...container,
    image: `${container.image ?? 'example/image'}-next`,
    command: ['/bin/next'],
    ...(container.env ? { env: container.env.map((variable: Record<string, any>) => (variable.value === undefined ? variable : { ...variable, value: `${variable.value}-next` })) } : {}),
    livenessProbe: { httpGet: { path: '/next', port: 1 } },
    readinessProbe: { httpGet: { path: '/next', port: 1 } },
    resources: { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '4', memory: '8Gi' } },
  };
}
