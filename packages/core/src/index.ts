export type { Component, Delivery, IgnoredDifference, RenderContext, UpstreamSource } from './component';
export {
  defineEnvironment,
  kubernetesMinor,
  type AppOverrides,
  type ArgoCdSettings,
  type EnvironmentSpec,
  type FargateProfileSpec,
  type FargateSelector,
  type ResourceQuantities,
} from './environment';
