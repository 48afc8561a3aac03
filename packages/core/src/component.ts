import type { ParameterDefinition } from '@gitops/contract';
import type { Chart } from 'cdk8s';
import type { EnvironmentSpec } from './environment';

/** What a component sees while it renders. */
export interface RenderContext {
  readonly env: EnvironmentSpec;
  /**
   * The checked value of a parameter the component declared in `parameters`. Reading one it
   * did not declare throws: declarations are what lets synth report every missing parameter
   * before anything renders.
   */
  param<T>(definition: ParameterDefinition<T>): T;
}

/**
 * One folder of `gitops/<env>/`, and one Argo CD Application. A component declares the SSM
 * parameters it needs, then renders its objects into the chart synth gives it.
 */
export interface Component {
  /** Folder name under `gitops/<env>/` and the Argo CD Application's name (a DNS label). */
  readonly name: string;
  /** Every SSM parameter `render` reads. */
  readonly parameters: readonly ParameterDefinition[];
  render(chart: Chart, ctx: RenderContext): void;
}
