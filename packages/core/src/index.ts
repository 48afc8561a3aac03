export type {
  Component,
  ComponentOutline,
  CrossEnvParameters,
  Delivery,
  DeliveredFolder,
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
  INGRESS_SCHEMES,
  ingressGroupName,
  ingressGroupSchema,
  ingressHost,
  ingressSpecSchema,
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
  type IngressGroupSpec,
  type IngressSpec,
  type ResourceQuantities,
} from './environment';
export { outlineOf, SYNC_WAVE_ANNOTATION } from './component';
export { externalSecretsController } from './external-secrets';
export { formatProblem, SynthError, type Problem } from './problems';
export { checkSpec, describeGiven, didYouMean, formatPath, integer, INT32_MAX, objectSchemas, patterned, type DeepReadonly, type ObjectSchema, type SpecIssue, type SpecOf } from './spec';
export { CREDENTIAL_SHAPES, SECRET_HOME, secretNameWord, secretValueFindings, type SecretFinding } from './secrets';
export { mergeReadPaths, projector, type Manifest, type ReadPaths } from './read-paths';
