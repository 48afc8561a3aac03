import type { RawParameter } from '@gitops/contract';
import type { EnvironmentSpec } from '@gitops/core';

/** Where parameter values come from: the committed snapshot, or SSM itself. */
export interface ParameterSource {
  /** Where a value was looked for, for error lines (`clusters/dev/ssm-snapshot.json`, `SSM ...`). */
  describe(env: EnvironmentSpec): string;
  /** Every parameter under the env's prefix, by full name. */
  read(env: EnvironmentSpec): Promise<ReadonlyMap<string, RawParameter>>;
  /** Lines for the env's summary after `read` (placeholder values it served). */
  notes?(env: EnvironmentSpec): string[];
}
