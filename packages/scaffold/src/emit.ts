/** A value the printer writes as an identifier (an import from clusters/shared.ts) instead of a literal. */
export class Reference {
  constructor(readonly name: string) {}
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
export const key = (name: string) => (IDENTIFIER.test(name) ? name : quote(name));

/**
 * TypeScript source for a JSON-like value in the project's style (single quotes, unquoted keys,
 * trailing commas on multi-line literals); short literals stay on one line, like the hand-written env files.
 */
export function emit(value: unknown, indent = 0, width = 100): string {
  if (value instanceof Reference) return value.name;
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'undefined';
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inline = `[${value.map((item) => emit(item, indent, Number.POSITIVE_INFINITY)).join(', ')}]`;
    if (inline.length + indent <= width && !inline.includes('\n')) return inline;
    return `[\n${value.map((item) => `${pad}${emit(item, indent + 2, width)},`).join('\n')}\n${' '.repeat(indent)}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const inline = `{ ${entries.map(([k, v]) => `${key(k)}: ${emit(v, indent, Number.POSITIVE_INFINITY)}`).join(', ')} }`;
  if (inline.length + indent <= width && !inline.includes('\n')) return inline;
  return `{\n${entries.map(([k, v]) => `${pad}${key(k)}: ${emit(v, indent + 2, width)},`).join('\n')}\n${' '.repeat(indent)}}`;
}

/** Structural equality of JSON-like values (key order ignored). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((k) => (a as any)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as any)[k] !== undefined);
  return keysA.length === keysB.length && keysA.every((k) => same((a as any)[k], (b as any)[k]));
}
