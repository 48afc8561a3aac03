import { existsSync } from 'node:fs';
import type { EnvironmentSpec } from '@gitops/core';
import { SynthError, type Problem } from '../problems';
import { readSnapshot, snapshotPath, writeSnapshot, type ParameterSnapshot } from './snapshot';
import type { LiveParameter } from './live';

/** Reads every parameter under an env's prefix from live SSM (a `LiveSource`, or a stand-in). */
export interface LiveReader {
  read(env: EnvironmentSpec): Promise<ReadonlyMap<string, LiveParameter>>;
}

export interface PullResult {
  readonly env: string;
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** SecureString (or other non-String) parameters found under the prefix and left out of the snapshot. */
  readonly skipped: readonly string[];
  /** Whether the snapshot file was (re)written; false when SSM holds exactly what it records. */
  readonly written: boolean;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The committed snapshot's parameters, or none when there is no readable one (pull is how it gets fixed). */
function previousParameters(root: string, env: EnvironmentSpec): ParameterSnapshot['parameters'] {
  if (!existsSync(snapshotPath(root, env.name))) return {};
  try {
    return readSnapshot(root, env).parameters;
  } catch (error) {
    if (error instanceof SynthError) return {};
    throw error;
  }
}

/**
 * `pnpm params:pull`: reads every env's prefix from live SSM, and only when all reads succeeded
 * replaces each snapshot atomically. A SecureString's value is never written: it is left out and
 * reported. A snapshot whose parameters did not change is left as it is (no new `readAt`), so a
 * routine pull does not produce a commit.
 */
export async function pullSnapshots(
  root: string,
  envs: readonly EnvironmentSpec[],
  source: LiveReader,
  now: () => Date = () => new Date(),
): Promise<PullResult[]> {
  const reads = await Promise.allSettled(envs.map((env) => source.read(env)));
  const problems: Problem[] = reads.flatMap((read, index) => {
    if (read.status === 'fulfilled') return [];
    if (read.reason instanceof SynthError) return read.reason.problems;
    return [{ env: envs[index]!.name, parameter: envs[index]!.ssmPrefix, message: `reading SSM failed: ${(read.reason as Error).message}` }];
  });
  if (problems.length > 0) throw new SynthError(problems);

  const plans = envs.map((env, index) => {
    const live = (reads[index] as PromiseFulfilledResult<ReadonlyMap<string, LiveParameter>>).value;
    const before = previousParameters(root, env);
    const parameters: ParameterSnapshot['parameters'] = {};
    const skipped: string[] = [];
    for (const [name, parameter] of live) {
      if (parameter.type === 'String' || parameter.type === 'StringList') parameters[name] = { type: parameter.type, value: parameter.value };
      else skipped.push(name);
    }
    // A placeholder replaced by SSM's value counts as changed even when the value is the same.
    const same = (a?: { type: string; value: string; placeholder?: true }, b?: { type: string; value: string }) =>
      a?.type === b?.type && a?.value === b?.value && !a?.placeholder;
    const names = (record: object) => Object.keys(record).sort(byName);
    const added = names(parameters).filter((name) => !(name in before));
    const changed = names(parameters).filter((name) => name in before && !same(before[name], parameters[name]));
    const removed = names(before).filter((name) => !(name in parameters));
    const written = added.length + changed.length + removed.length > 0 || !existsSync(snapshotPath(root, env.name));
    return { env, parameters, result: { env: env.name, added, changed, removed, skipped: skipped.sort(byName), written } };
  });

  const readAt = now().toISOString();
  for (const { env, parameters, result } of plans) {
    if (!result.written) continue;
    writeSnapshot(root, env.name, {
      source: { account: env.account, region: env.region, path: env.ssmPrefix, readAt },
      parameters,
    });
  }
  return plans.map((plan) => plan.result);
}

/** What `params:pull` prints for one env: a summary line, then one line per parameter. */
export function formatPull(result: PullResult): string[] {
  const { env, added, changed, removed, skipped, written } = result;
  return [
    `${env}: ${added.length} added, ${changed.length} changed, ${removed.length} removed` +
      (written ? `; clusters/${env}/ssm-snapshot.json written` : '; snapshot unchanged'),
    ...added.map((name) => `  + ${name}`),
    ...changed.map((name) => `  ~ ${name}`),
    ...removed.map((name) => `  - ${name}`),
    ...skipped.map((name) => `  ! ${name}: SecureString, left out (its value is never written)`),
  ];
}
