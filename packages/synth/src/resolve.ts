import { checkParameter, parameterName, type ParameterDefinition, type RawParameter } from '@gitops/contract';
import type { Component, EnvironmentSpec } from '@gitops/core';
import type { ParameterSource } from './params/source';
import { SynthError, type Problem } from './problems';

/** Checked parameter values of one env (and those it reads of other envs), by full SSM name. */
export type ResolvedParameters = ReadonlyMap<string, unknown>;

/**
 * Collects the parameters every component of the env declares, reads them from the source and
 * checks each against the contract. Every missing or malformed one is reported, not the first.
 * A component's `crossEnvParameters` are read from the other env's source and checked against
 * that env's account and region; their problems still count against this env.
 */
export async function resolveParameters(
  env: EnvironmentSpec,
  components: readonly Component[],
  source: ParameterSource,
): Promise<ResolvedParameters> {
  const reads = new Map<string, Promise<ReadonlyMap<string, RawParameter>>>();
  const rawOf = (of: EnvironmentSpec) => {
    if (!reads.has(of.name)) reads.set(of.name, source.read(of));
    return reads.get(of.name)!;
  };
  const resolved = new Map<string, unknown>();
  const problems: Problem[] = [];
  const check = async (component: Component, of: EnvironmentSpec, definitions: readonly ParameterDefinition[]) => {
    const raw = await rawOf(of);
    for (const definition of definitions) {
      const name = parameterName(definition, of);
      const checked = checkParameter(definition as ParameterDefinition<unknown>, raw.get(name), of);
      if (checked.ok) resolved.set(name, checked.value);
      else {
        const message = of === env ? checked.problem : `${checked.problem} (a parameter of env ${of.name}, read for ${env.name})`;
        problems.push({ env: env.name, component: component.name, file: source.describe(of), parameter: name, message });
      }
    }
  };
  for (const component of components) {
    await check(component, env, component.parameters);
    for (const cross of component.crossEnvParameters ?? []) await check(component, cross.env, cross.parameters);
  }
  if (problems.length > 0) throw new SynthError(problems);
  return resolved;
}
