import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { RawParameter } from '@gitops/contract';
import type { EnvironmentSpec } from '@gitops/core';
import { parse as parseJsonTree, type ValueNode } from '@humanwhocodes/momoa';
import { z } from 'zod';
import { listLines, SynthError, type Problem } from '../problems';
import type { ParameterSource } from './source';

const snapshotSchema = z.strictObject({
  source: z.strictObject({
    account: z.string(),
    region: z.string(),
    path: z.string(),
    readAt: z.iso.datetime(),
    /** Never read from SSM: written by `pnpm new:env` before the env's infra exists. */
    placeholder: z.literal(true).optional(),
  }),
  parameters: z.record(
    z.string(),
    z.strictObject({
      type: z.enum(['String', 'StringList'], { message: 'type must be String or StringList (never SecureString)' }),
      value: z.string(),
      /** A value of the right form that infra has not written yet (`pnpm new:env`, `pnpm new:app`); `params:pull` replaces it. */
      placeholder: z.literal(true).optional(),
    }),
  ),
});

/** A key written more than once in one JSON object, with the line of each occurrence (1-based). */
interface DuplicateKey {
  /** The keys leading to the object, e.g. `['parameters']`. */
  readonly path: readonly string[];
  readonly key: string;
  readonly lines: readonly number[];
}

/**
 * Keys that repeat within one object. JSON.parse (and every parser that builds objects) keeps the
 * last value without a word, so the snapshot is also read as a syntax tree (momoa's, which keeps
 * every member of an object, with its line).
 */
function duplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const walk = (node: ValueNode, path: readonly string[]): void => {
    if (node.type === 'Array') node.elements.forEach((element, index) => walk(element.value, [...path, String(index)]));
    if (node.type !== 'Object') return;
    const lines = new Map<string, number[]>();
    for (const member of node.members) {
      const key = member.name.type === 'String' ? member.name.value : member.name.name;
      lines.set(key, [...(lines.get(key) ?? []), member.loc.start.line]);
      walk(member.value, [...path, key]);
    }
    for (const [key, at] of lines) if (at.length > 1) found.push({ path, key, lines: at });
  };
  walk(parseJsonTree(text).body, []);
  return found.sort((a, b) => a.lines[0]! - b.lines[0]!);
}

/**
 * The values last read from SSM for one env, with where and when they were read. Committed as
 * `clusters/<env>/ssm-snapshot.json` so `pnpm synth` needs no AWS access.
 */
export type ParameterSnapshot = z.infer<typeof snapshotSchema>;

export function snapshotPath(root: string, env: string): string {
  return join(root, 'clusters', env, 'ssm-snapshot.json');
}

/** Reads and checks a snapshot file; every problem in it is reported at once. */
export function readSnapshot(root: string, env: EnvironmentSpec): ParameterSnapshot {
  const path = snapshotPath(root, env.name);
  const file = relative(root, path);
  const fail = (messages: string[]): never => {
    throw new SynthError(messages.map((message): Problem => ({ env: env.name, file, message })));
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return fail([`no SSM snapshot; run \`pnpm params:pull --env ${env.name}\` or synth with --live`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail([`not valid JSON: ${(error as Error).message}`]);
  }
  // A text that is the value's own JSON, as params:pull writes it, has no key twice: only another
  // text is read again as a syntax tree (~20 ms a snapshot at 1000 apps).
  const written = `${JSON.stringify(json, null, 2)}\n` === text;
  const duplicates = (written ? [] : duplicateKeys(text)).map(({ path, key, lines }): Problem => {
    const message = `written ${lines.length} times, on lines ${listLines(lines)}; JSON keeps only the last, so remove all but one`;
    // A parameter's name is what a person looks for, like every other parameter error.
    if (path.length === 1 && path[0] === 'parameters') return { env: env.name, file, parameter: key, message };
    return { env: env.name, file, parameter: [...path, key].join('.'), message };
  });
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success || duplicates.length > 0) {
    throw new SynthError([
      ...duplicates,
      ...(parsed.error?.issues ?? []).map((issue): Problem => {
        // An issue inside one parameter names that parameter, like every other parameter error.
        const [section, name, ...field] = issue.path.map(String);
        if (section === 'parameters' && name !== undefined) {
          return { env: env.name, file, parameter: name, message: `${field.length > 0 ? `${field.join('.')}: ` : ''}${issue.message}` };
        }
        return { env: env.name, file, message: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
      }),
    ]);
  }
  const { source } = parsed.data;
  const pull = `; run \`pnpm params:pull --env ${env.name}\``;
  const mismatches: Problem[] = [
    source.account !== env.account && `was read from account ${source.account}, but env ${env.name} is in ${env.account}${pull}`,
    source.region !== env.region && `was read from region ${source.region}, but env ${env.name} is in ${env.region}${pull}`,
    source.path !== env.ssmPrefix && `was read from path ${source.path}, but env ${env.name} uses ${env.ssmPrefix}${pull}`,
  ]
    .filter((message): message is string => typeof message === 'string')
    .map((message) => ({ env: env.name, file, message }));
  for (const name of Object.keys(parsed.data.parameters)) {
    if (!name.startsWith(`${env.ssmPrefix}/`)) {
      mismatches.push({ env: env.name, file, parameter: name, message: `outside the env's prefix ${env.ssmPrefix}` });
    }
  }
  if (mismatches.length > 0) throw new SynthError(mismatches);
  return parsed.data;
}

/** Serializes a snapshot with parameters in name order, so a refresh diffs cleanly. */
export function formatSnapshot(snapshot: ParameterSnapshot): string {
  const names = Object.keys(snapshot.parameters).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parameters = Object.fromEntries(names.map((name) => [name, snapshot.parameters[name]]));
  return `${JSON.stringify({ source: snapshot.source, parameters }, null, 2)}\n`;
}

/** Replaces the snapshot file atomically: a reader sees the old file or the new one, never a mix. */
export function writeSnapshot(root: string, env: string, snapshot: ParameterSnapshot): void {
  const path = snapshotPath(root, env);
  const temporary = join(dirname(path), `.ssm-snapshot.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, formatSnapshot(snapshot));
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

export interface SnapshotSourceOptions {
  /**
   * Refuse placeholder parameters in the snapshot of a deployed env, one whose snapshot was read
   * from SSM (`source.placeholder` unset): merging would sync them (a TargetGroupBinding to a
   * target group that does not exist). A new env's all-placeholder snapshot is still accepted.
   * @default false
   */
  readonly refusePlaceholders?: boolean;
}

export class SnapshotSource implements ParameterSource {
  private readonly placeholders = new Map<string, { names: readonly string[]; whole: boolean }>();

  constructor(
    private readonly root: string,
    private readonly options: SnapshotSourceOptions = {},
  ) {}

  describe(env: EnvironmentSpec): string {
    return relative(this.root, snapshotPath(this.root, env.name));
  }

  async read(env: EnvironmentSpec): Promise<ReadonlyMap<string, RawParameter>> {
    const snapshot = readSnapshot(this.root, env);
    const placeholders = Object.keys(snapshot.parameters)
      .filter((name) => snapshot.parameters[name]!.placeholder)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.placeholders.set(env.name, { names: placeholders, whole: snapshot.source.placeholder === true });
    if (this.options.refusePlaceholders && !snapshot.source.placeholder && placeholders.length > 0) {
      const file = this.describe(env);
      throw new SynthError(
        placeholders.map((parameter): Problem => ({
          env: env.name,
          file,
          parameter,
          message: `is a placeholder, and env ${env.name} is deployed (its snapshot was read from SSM): deploy its infra, then run \`pnpm params:pull --env ${env.name}\``,
        })),
      );
    }
    return new Map(Object.entries(snapshot.parameters).map(([name, { type, value }]) => [name, { type, value }]));
  }

  notes(env: EnvironmentSpec): string[] {
    const { names, whole } = this.placeholders.get(env.name) ?? { names: [], whole: false };
    if (names.length === 0) return [];
    const which = whole ? `${names.length} in ${this.describe(env)}, a snapshot never read from SSM` : `${names.length} in ${this.describe(env)} (${names.map((name) => name.slice(env.ssmPrefix.length + 1)).join(', ')})`;
    return [`placeholder parameters: ${which}; this env renders from them until \`pnpm params:pull --env ${env.name}\` replaces them`];
  }
}
