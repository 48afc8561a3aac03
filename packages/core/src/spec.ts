import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';

// The runtime checks of every spec a person writes (env.ts, shared.ts, an app's index.ts, infra
// settings). esbuild strips types without checking them, so the TypeScript type of each spec is
// inferred from its schema (z.infer) and the same schema is checked when the module loads: the
// type and the check cannot drift. zod 4 rather than valibot: synth already used it for the
// snapshot files, its strict objects refuse unknown keys at every depth, and its issues carry
// the path, the input and the bound that was crossed, which is what a problem line names.

/** The spec as a person writes it: every field, at every depth, read-only. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly unknown[]
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** The type a spec schema describes, as `defineX` takes it. */
export type SpecOf<S extends z.ZodType> = DeepReadonly<z.input<S>>;

/** One thing wrong with a spec: the field (`logging.extraFilters[0].Name`) and what is wrong with it. */
export interface SpecIssue {
  /** Field path inside the spec; empty for the spec itself. */
  readonly path: string;
  /** The same path as keys and indexes. */
  readonly segments: readonly PropertyKey[];
  /** The problem is the last key itself (unknown, or not a valid key), not its value. */
  readonly onKey?: boolean;
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['apps', 'web', 'env', 'LOG_LEVEL']` → `apps.web.env.LOG_LEVEL`; `labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

/** What a value was, for a message: short, and never a whole object. */
export function describeGiven(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (typeof input === 'string') return JSON.stringify(input.length > 80 ? `${input.slice(0, 77)}...` : input);
  if (typeof input === 'number' || typeof input === 'boolean' || typeof input === 'bigint') return String(input);
  if (typeof input === 'function') return 'a function';
  if (Array.isArray(input)) return `a list of ${input.length}`;
  return 'an object';
}

/** The known name a near miss most likely meant (`loging` → `logging`), if any is close enough. */
export function didYouMean(given: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const lower = given.toLowerCase();
  const sameLetters = known.find((name) => name.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  const best = closest(given, [...known]);
  // Two edits for a short name (a swapped pair of letters, `hots` for `host`, is two), a third of
  // the letters for a long one; beyond that a suggestion is more likely wrong than helpful.
  const allowed = given.length <= 3 ? 1 : given.length <= 6 ? 2 : Math.floor(given.length / 3);
  return distance(given, best) <= allowed ? best : undefined;
}

type AnySchema = z.core.$ZodType;

/** The schema inside the wrappers that change no keys (optional, default, pipe, lazy, ...). */
function unwrapped(schema: AnySchema | undefined): AnySchema | undefined {
  const def = schema?._zod.def as any;
  switch (def?.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return unwrapped(def.innerType);
    case 'pipe':
      return unwrapped(def.in);
    case 'lazy':
      return unwrapped(def.getter());
    default:
      return schema;
  }
}

/** The object keys a schema accepts, looking through optional, arrays, records and unions. */
function knownKeys(schema: AnySchema | undefined): string[] {
  const def = unwrapped(schema)?._zod.def as any;
  if (!def) return [];
  switch (def.type) {
    case 'object':
      return Object.keys(def.shape);
    case 'union':
      return [...new Set((def.options as AnySchema[]).flatMap(knownKeys))];
    case 'intersection':
      return [...knownKeys(def.left), ...knownKeys(def.right)];
    default:
      return [];
  }
}

/** The schema of the value at `path` inside a value of `schema`. */
function schemaAt(schema: AnySchema | undefined, path: readonly PropertyKey[]): AnySchema | undefined {
  let current = schema;
  for (const segment of path) {
    current = childSchema(current, segment);
    if (!current) return undefined;
  }
  return current;
}

function childSchema(schema: AnySchema | undefined, segment: PropertyKey): AnySchema | undefined {
  const def = unwrapped(schema)?._zod.def as any;
  if (!def) return undefined;
  switch (def.type) {
    case 'object':
      return def.shape[segment as string] ?? def.catchall;
    case 'array':
      return def.element;
    case 'tuple':
      return def.items[segment as number] ?? def.rest;
    case 'record':
      return def.valueType;
    case 'union':
      for (const option of def.options as AnySchema[]) {
        const found = childSchema(option, segment);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

const DEFAULT_MESSAGE = /^(Invalid input|Invalid option|Invalid key|Invalid element|Invalid value|Too (big|small)|Unrecognized key)/;

/** The message a schema states for a check (`{ error: '...' }`), which says what is expected; else undefined. */
const ownMessage = (issue: z.core.$ZodIssue) => (DEFAULT_MESSAGE.test(issue.message) ? undefined : issue.message);

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  function: 'a function',
  never: 'nothing here',
};

function unit(origin: string, count: number | bigint): string {
  if (origin === 'string') return `${count} character${count === 1 ? '' : 's'}`;
  if (origin === 'array' || origin === 'set') return `${count} item${count === 1 ? '' : 's'}`;
  return String(count);
}

function issuesOf(root: AnySchema, issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], input: unknown): SpecIssue[] {
  const path = [...prefix, ...issue.path];
  const given = describeGiven((issue as { input?: unknown }).input);
  const at = formatPath(path);
  const here = { path: at, segments: path };
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(schemaAt(root, path));
      return issue.keys.map((key) => {
        const suggestion = didYouMean(key, known);
        return {
          path: formatPath([...path, key]),
          segments: [...path, key],
          onKey: true,
          message: `unknown field${suggestion ? `; did you mean "${suggestion}"?` : ''} (expected one of: ${known.join(', ')})`,
        };
      });
    }
    case 'invalid_type': {
      const missing = (issue as { input?: unknown }).input === undefined;
      const expected = ownMessage(issue) ?? TYPE_NAMES[issue.expected] ?? issue.expected;
      return [{ ...here, message: missing ? `missing; expected ${expected}` : `given ${given}; expected ${expected}` }];
    }
    case 'too_big':
      return [{ ...here, message: `given ${given}; expected ${ownMessage(issue) ?? `${issue.inclusive ? 'at most' : 'less than'} ${unit(issue.origin, issue.maximum as number)}`}` }];
    case 'too_small':
      return [{ ...here, message: `given ${given}; expected ${ownMessage(issue) ?? `${issue.inclusive ? 'at least' : 'more than'} ${unit(issue.origin, issue.minimum as number)}`}` }];
    case 'invalid_value':
      return [{ ...here, message: `given ${given}; expected ${ownMessage(issue) ?? `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`}` }];
    case 'invalid_key':
      return issue.issues.flatMap((inner) => issuesOf(root, { ...inner, path: [] } as z.core.$ZodIssue, path, input)).map((found) => ({
        ...found,
        onKey: true,
        message: `key ${found.message.replace(/^given /, '')}`,
      }));
    case 'invalid_element':
      return issue.issues.flatMap((inner) => issuesOf(root, inner, path, input));
    case 'invalid_union': {
      const own = ownMessage(issue);
      if (own || issue.errors.length === 0) return [{ ...here, message: `given ${given}; expected ${own ?? 'another form'}` }];
      // The branch that came closest (fewest issues) says best what is wrong.
      const closestBranch = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
      return closestBranch.flatMap((inner) => issuesOf(root, inner, path, input));
    }
    default:
      return [{ ...here, message: `given ${given}; expected ${issue.message}` }];
  }
}

/**
 * Every problem with `value` against `schema`, one per field, in a stable order: each names the
 * field, what was given and what was expected, and an unknown key the field it most likely meant.
 */
export function checkSpec(schema: z.ZodType, value: unknown): SpecIssue[] {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return [];
  const found = result.error.issues.flatMap((issue) => issuesOf(schema, issue, [], value));
  const seen = new Set<string>();
  return found.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Integers Kubernetes stores as int32 (replicas, ports, seconds): the API refuses anything wider. */
export const INT32_MAX = 2_147_483_647;

/** An integer within `[min, max]`; `what` says what the number is, for the message. */
export function integer(min: number, max: number, what?: string) {
  const expected = `${what ? `${what}: ` : ''}an integer from ${min} to ${max}`;
  return z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
}

/** A string matching `pattern`; `expected` says what form it must have. */
export function patterned(pattern: RegExp, expected: string) {
  return z.string({ error: expected }).regex(pattern, { error: expected });
}

/** An object schema inside a spec schema: where it sits, and its optional fields. */
export interface ObjectSchema {
  /** `(spec).logging.extraFilters[]`: `[]` an element of a list, `{}` a value of a record. */
  readonly path: string;
  readonly schema: z.ZodType;
  readonly optional: readonly string[];
}

/**
 * Every object schema reachable from `schema`, at every depth, for the generated strictness
 * tests: each must refuse an unknown key beside each of its optional fields.
 */
export function objectSchemas(schema: AnySchema, path = '(spec)', found: ObjectSchema[] = [], seen = new Set<AnySchema>()): ObjectSchema[] {
  if (seen.has(schema)) return found;
  seen.add(schema);
  const def = schema._zod.def as any;
  const next = (child: AnySchema, at: string) => objectSchemas(child, at, found, seen);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      found.push({ path, schema: schema as z.ZodType, optional: Object.keys(shape).filter((name) => (shape[name]!._zod as { optin?: string }).optin === 'optional') });
      for (const [name, field] of Object.entries(shape)) next(field, `${path}.${name}`);
      break;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      next(def.innerType, path);
      break;
    case 'pipe':
      next(def.in, path);
      break;
    case 'array':
      next(def.element, `${path}[]`);
      break;
    case 'record':
      next(def.valueType, `${path}{}`);
      break;
    case 'tuple':
      for (const [index, item] of (def.items as AnySchema[]).entries()) next(item, `${path}[${index}]`);
      break;
    case 'union':
      for (const option of def.options as AnySchema[]) next(option, path);
      break;
    default:
      break;
  }
  return found;
}
