import { stringify } from 'yaml';

// Keys a person looks for first; every other key follows in code-point order, at every depth.
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace'];

function compareKeys(a: string, b: string): number {
  const ia = LEADING_KEYS.indexOf(a);
  const ib = LEADING_KEYS.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? LEADING_KEYS.length : ia) - (ib === -1 ? LEADING_KEYS.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort(compareKeys);
    return Object.fromEntries(keys.map((key) => [key, ordered((value as Record<string, unknown>)[key])]));
  }
  return value;
}

/**
 * One Kubernetes object as a YAML document with a stable key order. The result depends only on
 * the object: no locale-aware sorting, no line folding, no dates.
 */
export function toYaml(object: unknown): string {
  return stringify(ordered(object), { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}
