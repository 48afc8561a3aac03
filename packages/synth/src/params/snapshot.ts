import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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
    throw new SynthError(
      parsed.error.issues.map((issue): Problem => {
        // An issue inside one parameter names that parameter, like every other parameter error.
        const [section, name, ...field] = issue.path.map(String);
        if (section === 'parameters' && name !== undefined) {
          return { env: env.name, file, parameter: name, message: `${field.length > 0 ? `${field.join('.')}: ` : ''}${issue.message}` };
        }
        return { env: env.name, file, message: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
      }),
    );
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

export class SnapshotSource implements ParameterSource {
  constructor(private readonly root: string) {}

  describe(env: EnvironmentSpec): string {
    return relative(this.root, snapshotPath(this.root, env.name));
  }

  async read(env: EnvironmentSpec): Promise<ReadonlyMap<string, RawParameter>> {
    return new Map(Object.entries(readSnapshot(this.root, env).parameters));
  }
}
