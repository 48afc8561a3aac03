import { existsSync } from 'node:fs';
import type { EnvironmentSpec } from '@gitops/core';
import { LiveSource } from './live';
import { readSnapshot, snapshotPath, writeSnapshot, type ParameterSnapshot } from './snapshot';

export interface PullResult {
  readonly env: string;
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** SecureString parameters found under the prefix and left out of the snapshot. */
  readonly skipped: readonly string[];
}

/**
 * `pnpm params:pull`: reads the env's prefix from live SSM and replaces its snapshot atomically.
 * A SecureString's value is never written: it is left out and reported.
 */
export async function pullSnapshot(
  root: string,
  env: EnvironmentSpec,
  source: LiveSource,
  now: () => Date = () => new Date(),
): Promise<PullResult> {
  const live = await source.read(env);
  const before = existsSync(snapshotPath(root, env.name)) ? readSnapshot(root, env).parameters : {};
  const parameters: ParameterSnapshot['parameters'] = {};
  const skipped: string[] = [];
  for (const [name, parameter] of live) {
    if (parameter.type === 'String' || parameter.type === 'StringList') {
      parameters[name] = { type: parameter.type, value: parameter.value };
    } else {
      skipped.push(name);
    }
  }
  const same = (a?: { type: string; value: string }, b?: { type: string; value: string }) =>
    a?.type === b?.type && a?.value === b?.value;
  const names = (record: object) => Object.keys(record).sort();
  const result: PullResult = {
    env: env.name,
    added: names(parameters).filter((name) => !(name in before)),
    changed: names(parameters).filter((name) => name in before && !same(before[name], parameters[name])),
    removed: names(before).filter((name) => !(name in parameters)),
    skipped: skipped.sort(),
  };
  writeSnapshot(root, env.name, {
    source: { account: env.account, region: env.region, path: env.ssmPrefix, readAt: now().toISOString() },
    parameters,
  });
  return result;
}
