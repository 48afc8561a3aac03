import { checkParameter, parameterName, type ParameterDefinition } from '@gitops/contract';
import type { Component, EnvironmentSpec } from '@gitops/core';
import type { ParameterSource } from './params/source';
import { SynthError, type Problem } from './problems';

/** Checked parameter values of one env, by full SSM name. */
export type ResolvedParameters = ReadonlyMap<string, unknown>;

/**
 * Collects the parameters every component of the env declares, reads them from the source and
 * checks each against the contract. Every missing or malformed one is reported, not the first.
 */
export async function resolveParameters(
  env: EnvironmentSpec,
  components: readonly Component[],
  source: ParameterSource,
): Promise<ResolvedParameters> {
  const raw = await source.read(env);
  const resolved = new Map<string, unknown>();
  const problems: Problem[] = [];
  for (const component of components) {
    for (const definition of component.parameters) {
      const name = parameterName(definition, env);
      const checked = checkParameter(definition as ParameterDefinition<unknown>, raw.get(name), env);
      if (checked.ok) resolved.set(name, checked.value);
      else problems.push({ env: env.name, component: component.name, file: source.describe(env), parameter: name, message: checked.problem });
    }
  }
  if (problems.length > 0) throw new SynthError(problems);
  return resolved;
}
