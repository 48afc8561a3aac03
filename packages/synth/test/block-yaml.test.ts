import { describe, expect, it } from 'vitest';
import { writeBlockYaml } from '../src/block-yaml';
import { renderAll } from '../src/index';
import { toYaml, toYamlWithLibrary } from '../src/yaml';
import { repoRoot } from './support/scratch';

// The direct writer must give exactly the yaml library's bytes, or step aside (undefined) so the
// library writes the object. Every test compares with toYamlWithLibrary, the reference.

/** A deterministic pseudo-random sequence (a linear congruential generator), so failures replay. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

const STRINGS = [
  'web', 'public.ecr.aws/nginx/nginx-unprivileged:1.27.3', 'arn:aws:iam::111111111111:role/app', 'https://example.com/a', 'a,b', 'x=y', 'on-call',
  '250m', '512Mi', '25%', '1Gi', '0.5Gi', '1E', '3Pi',
  'yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'False', 'null', 'NULL', '~', '', ' ', ' a', 'a ', 'a: b', 'a:', 'a #b', '#a', '-', '- a',
  '--cluster-name=dev', '?', '1', '0', '-1', '1.5', '1.4.2', '1e3', 'E1', 'e+5', '0x1F', '0o17', '0b101', '1_000', '1:20', '2024-01-01',
  '.inf', '.nan', '=', '<<', '100', '[a]', '{a}', "it's", 'say "hi"', 'tab\tx', 'multi\nline', 'multi\nline\n', 'ü', '\u0000', '@a', '%a',
  '!a', '&a', '*a', '|', '>', '---', '...', 'k8s.io/name', 'Infinity', '.5', '+1',
];
const KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'spec', 'data', 'b', 'a', 'Z', 'items', 'a.b/c', 'x-y', '1', '10', 'yes', 'a b', '-k', 'é'];
/** A style that only lets writeBlockYaml say whether it would write the object itself. */
const probe = { compareKeys: () => 0, scalar: () => '' };
const NUMBERS = [0, 1, -1, 42, 1.5, -0, 1e21, 2 ** 53, 0.1, Number.NaN, Number.POSITIVE_INFINITY, -2.5e-7];

function randomObject(rng: ReturnType<typeof random>): Record<string, unknown> {
  const value = (depth: number): unknown => {
    const roll = rng.next();
    if (depth > 3 || roll < 0.45) {
      const kind = rng.next();
      return kind < 0.6 ? rng.pick(STRINGS) : kind < 0.8 ? rng.pick(NUMBERS) : kind < 0.9 ? rng.next() < 0.5 : null;
    }
    const size = Math.floor(rng.next() * 4);
    if (roll < 0.7) return Object.fromEntries(Array.from({ length: size }, () => [rng.pick(KEYS), value(depth + 1)]));
    return Array.from({ length: size }, () => value(depth + 1));
  };
  return { apiVersion: 'v1', kind: 'Example', ...Object.fromEntries(Array.from({ length: 1 + Math.floor(rng.next() * 4) }, () => [rng.pick(KEYS), value(0)])) };
}

describe('toYaml writes objects directly, byte-identical to the yaml library', () => {
  it('for every object the committed repository renders, mostly without the library', async () => {
    const objects = (await renderAll({ root: repoRoot })).rendered.flatMap(({ objects }) => objects.map(({ manifest }) => manifest));
    const direct = objects.filter((manifest) => writeBlockYaml(manifest, probe) !== undefined);

    for (const manifest of objects) expect(toYaml(manifest)).toBe(toYamlWithLibrary(manifest));
    expect(objects.length).toBeGreaterThan(20);
    expect(direct.length / objects.length).toBeGreaterThan(0.8);
  });

  it('for 5,000 random objects of awkward keys, strings and numbers', () => {
    const rng = random(7);
    let direct = 0;
    for (let i = 0; i < 5_000; i++) {
      const object = randomObject(rng);
      const expected = toYamlWithLibrary(object);
      expect(toYaml(object), JSON.stringify(object)).toBe(expected);
      if (writeBlockYaml(object, probe) !== undefined) direct += 1;
    }
    // The comparison means something only if many objects took the direct path.
    expect(direct).toBeGreaterThan(500);
  });

  it('quotes what YAML 1.1 or 1.2 would read as another type, through the library', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'yes', b: '1', c: '1.4.2', d: '0o17', e: 'E1', f: 'on', g: '250m' } };

    expect(toYaml(object)).toBe(toYamlWithLibrary(object));
    expect(toYaml(object)).toContain('a: "yes"\n  b: "1"\n  c: 1.4.2\n  d: "0o17"\n  e: "E1"\n  f: "on"\n  g: 250m\n');
  });

  it('steps aside for a multi-line string, whose block scalar depends on its indentation', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { 'output.conf': '[OUTPUT]\n    Name cloudwatch_logs\n' } };

    expect(writeBlockYaml(object, probe)).toBeUndefined();
    expect(toYaml(object)).toBe(toYamlWithLibrary(object));
    expect(toYaml(object)).toContain('output.conf: |\n');
  });

  it('writes empty and nested collections as the library does', () => {
    const object = { apiVersion: 'v1', kind: 'K', metadata: { name: 'x' }, spec: { a: {}, b: [], c: [[], {}, ['x', ['z']], [{ k: 'v', l: [] }]], d: [{ e: { f: 'g' } }] } };
    const written = writeBlockYaml(object, { compareKeys: (a, b) => (a < b ? -1 : a > b ? 1 : 0), scalar: () => '' });

    expect(written).toBeDefined();
    expect(toYaml(object)).toBe(toYamlWithLibrary(object));
    expect(toYaml(object)).toContain('  c:\n    - []\n    - {}\n    - - x\n      - - z\n    - - k: v\n        l: []\n');
  });
});
