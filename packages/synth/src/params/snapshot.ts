import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { RawParameter } from '@gitops/contract';
import type { EnvironmentSpec } from '@gitops/core';
import { z } from 'zod';
import { SynthError, type Problem } from '../problems';
import type { ParameterSource } from './source';

const snapshotSchema = z.strictObject({
  source: z.strictObject({
    account: z.string(),
    region: z.string(),
    path: z.string(),
    readAt: z.iso.datetime(),
  }),
  parameters: z.record(
    z.string(),
    z.strictObject({
      type: z.enum(['String', 'StringList'], { message: 'type must be String or StringList (never SecureString)' }),
      value: z.string(),
    }),
  ),
});

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
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    return fail(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  const { source } = parsed.data;
  const mismatches = [
    source.account !== env.account && `was read from account ${source.account}, but env ${env.name} is in ${env.account}`,
    source.region !== env.region && `was read from region ${source.region}, but env ${env.name} is in ${env.region}`,
    source.path !== env.ssmPrefix && `was read from path ${source.path}, but env ${env.name} uses ${env.ssmPrefix}`,
    ...Object.keys(parsed.data.parameters)
      .filter((name) => !name.startsWith(`${env.ssmPrefix}/`))
      .map((name) => `parameter ${name} is outside the env's prefix ${env.ssmPrefix}`),
  ].filter((m): m is string => typeof m === 'string');
  if (mismatches.length > 0) fail(mismatches);
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
  writeFileSync(temporary, formatSnapshot(snapshot));
  renameSync(temporary, path);
}

export class SnapshotSource implements ParameterSource {
  constructor(private readonly root: string) {}

  describe(env: EnvironmentSpec): string {
    return relative(this.root, snapshotPath(this.root, env.name));
  }

  async read(env: EnvironmentSpec): Promise<ReadonlyMap<string, RawParameter>> {
    return new Map(Object.entries(readSnapshot(this.root, env).parameters));
  }
}
