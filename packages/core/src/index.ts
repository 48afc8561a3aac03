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
  appOverridesSchema,
  argoCdSettingsSchema,
  defineEnvironment,
  dnsLabel,
  ENV_VAR_NAME,
  environmentSpecSchema,
  environmentVariablesSchema,
  fargateLoggingSchema,
  fargateProfileSchema,
  fargateSelectorSchema,
  fluentBitParametersSchema,
  kubernetesMinor,
  MAX_FARGATE_PROFILES,
  MAX_SELECTORS_PER_PROFILE,
  replicaCount,
  resourceQuantitiesSchema,
  SUPPORTED_KUBERNETES_VERSIONS,
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
export { formatProblem, SynthError, type Problem } from './problems';
export { checkSpec, describeGiven, didYouMean, formatPath, integer, INT32_MAX, objectSchemas, patterned, type DeepReadonly, type ObjectSchema, type SpecIssue, type SpecOf } from './spec';
export { CREDENTIAL_SHAPES, SECRET_HOME, secretNameWord, secretValueFindings, type SecretFinding } from './secrets';
