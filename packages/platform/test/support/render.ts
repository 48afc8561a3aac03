import devEnv from '@gitops/clusters/dev/env';
import prodEnv from '@gitops/clusters/prod/env';
import stgEnv from '@gitops/clusters/stg/env';
import devSnapshot from '@gitops/clusters/dev/ssm-snapshot.json' with { type: 'json' };
import prodSnapshot from '@gitops/clusters/prod/ssm-snapshot.json' with { type: 'json' };
import stgSnapshot from '@gitops/clusters/stg/ssm-snapshot.json' with { type: 'json' };
import { checkParameter, parameterName, type ParameterDefinition, type RawParameter } from '@gitops/contract';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { App, Chart } from 'cdk8s';

export type Manifest = Record<string, any>;

/** The committed environments with the SSM values of their committed snapshots. */
export const environments = {
  dev: { env: devEnv, parameters: devSnapshot.parameters as Record<string, RawParameter> },
  stg: { env: stgEnv, parameters: stgSnapshot.parameters as Record<string, RawParameter> },
  prod: { env: prodEnv, parameters: prodSnapshot.parameters as Record<string, RawParameter> },
} satisfies Record<string, { env: EnvironmentSpec; parameters: Record<string, RawParameter> }>;

export type EnvName = keyof typeof environments;

/**
 * Renders one component the way synth does (one chart, no hashed names), reading its declared
 * parameters from `parameters` through the contract's checks. A parameter the component did not
 * declare, or one the contract rejects, throws.
 */
export function renderComponent(
  component: Component,
  env: EnvironmentSpec,
  parameters: Readonly<Record<string, RawParameter>>,
): Manifest[] {
  const declared = new Set(component.parameters.map((definition) => parameterName(definition, env)));
  const app = new App({ outdir: '/nonexistent', recordConstructMetadata: false });
  const chart = new Chart(app, component.name, { disableResourceNameHashes: true });
  component.render(chart, {
    env,
    param<T>(definition: ParameterDefinition<T>): T {
      const name = parameterName(definition, env);
      if (!declared.has(name)) throw new Error(`${component.name} reads undeclared ${name}`);
      const checked = checkParameter(definition, parameters[name], env);
      if (!checked.ok) throw new Error(`${name}: ${checked.problem}`);
      return checked.value;
    },
  });
  return chart.toJson() as Manifest[];
}

/** Renders a component for a committed environment. */
export const renderFor = (component: Component, name: EnvName): Manifest[] =>
  renderComponent(component, environments[name].env, environments[name].parameters);

/** The one object of a kind and name; fails the test when there is none or more than one. */
export function find(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.filter((manifest) => manifest.kind === kind && manifest.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0]!;
}
