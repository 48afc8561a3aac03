export type {
  Component,
  CrossEnvParameters,
  Delivery,
  IgnoredDifference,
  RenderContext,
  RenderedManifest,
  UpstreamSource,
} from './component';
export {
  defineEnvironment,
  kubernetesMinor,
  type AppOverrides,
  type ArgoCdSettings,
  type EnvironmentSpec,
  type FargateLoggingSpec,
  type FargateProfileSpec,
  type FargateSelector,
  type FluentBitParameters,
  type ResourceQuantities,
} from './environment';
export { externalSecretsController } from './external-secrets';
