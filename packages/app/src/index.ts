export {
  APP_SYNC_WAVE,
  appComponent,
  EXTERNAL_SECRET_SYNC_WAVE,
  isAppComponent,
  POD_SYNC_WAVE,
  SECRET_POD_SYNC_WAVE,
  SECRET_STORE_SYNC_WAVE,
  type AppComponent,
} from './app-component';
export {
  albExposureSchema,
  appAutoscalingSchema,
  appDefinitionSchema,
  appPortSchema,
  appProbeSchema,
  appProbesSchema,
  appSecretSourceSchema,
  appSecretsSchema,
  appShutdownSchema,
  awsAccessSchema,
  defineApp,
  iamPolicyStatementSchema,
  ingressExposureSchema,
  type AlbExposure,
  type AppAutoscaling,
  type AppDefinition,
  type AppExtensionContext,
  type AppPort,
  type AppProbe,
  type AppProbes,
  type AppSecretSource,
  type AppShutdown,
  type AwsAccess,
  type AwsArns,
  type AwsPolicyFunction,
  type IamPolicyStatement,
  type IngressExposure,
} from './definition';
export { AppDeployment, type AppDeploymentProps } from './deployment';
export { AppExternalSecret, type AppExternalSecretProps } from './external-secret';
export { AppHorizontalPodAutoscaler, type AppHorizontalPodAutoscalerProps } from './horizontal-pod-autoscaler';
export { parseImage, type ImageReference } from './image';
export {
  AppIngress,
  DEFAULT_INGRESS_GROUP,
  hostInZone,
  ingressClassName,
  isIngressExposure,
  resolveIngress,
  type AppIngressProps,
  type ResolvedIngress,
} from './ingress';
export { ingressProblems } from './ingress-checks';
export { INGRESS_REFERENCE_READS, ingressReferenceProblems, type RenderedObjectRef } from './ingress-references';
export { AppNamespace, type AppNamespaceProps } from './namespace';
export { AppPodDisruptionBudget, type AppPodDisruptionBudgetProps } from './pod-disruption-budget';
export { AppRenderProblems } from './render-problems';
export { resolveApp, type ResolvedApp, type ResolvedPort, type ResolvedProbe } from './resolve';
export { AppService, type AppServiceProps } from './service';
export { AppSecretStore, secretStoreName, SecretStoreTokenAccess, type AppSecretStoreProps, type SecretStoreTokenAccessProps } from './secret-store';
export {
  appPolicy,
  appSecretName,
  awsArns,
  hasSecrets,
  needsRole,
  SECRET_REFRESH_INTERVAL,
  secretDeclarationHint,
  secretParameterName,
  secretReferences,
  secretsManagerName,
  type SecretReference,
  type SecretService,
  type SecretsEnvironment,
} from './secrets';
export { AppServiceAccount, type AppServiceAccountProps } from './service-account';
export { shutdownTiming, type ShutdownTiming } from './shutdown';
export { AppTargetGroupBinding, type AppTargetGroupBindingProps } from './target-group-binding';
export { secretOverrideProblems, secretsProblems } from './secrets-checks';
export { appDefinitionProblems, appProblems, appSetProblems, envReferences, type AppProblem } from './validate';
