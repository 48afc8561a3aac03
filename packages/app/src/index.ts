export { APP_SYNC_WAVE, appComponent, isAppComponent, POD_SYNC_WAVE, type AppComponent } from './app-component';
export {
  albExposureSchema,
  appAutoscalingSchema,
  appDefinitionSchema,
  appPortSchema,
  appProbeSchema,
  appProbesSchema,
  appShutdownSchema,
  awsAccessSchema,
  defineApp,
  iamPolicyStatementSchema,
  type AlbExposure,
  type AppAutoscaling,
  type AppDefinition,
  type AppExtensionContext,
  type AppPort,
  type AppProbe,
  type AppProbes,
  type AppShutdown,
  type AwsAccess,
  type IamPolicyStatement,
} from './definition';
export { AppDeployment, type AppDeploymentProps } from './deployment';
export { AppHorizontalPodAutoscaler, type AppHorizontalPodAutoscalerProps } from './horizontal-pod-autoscaler';
export { parseImage, type ImageReference } from './image';
export { AppNamespace, type AppNamespaceProps } from './namespace';
export { AppPodDisruptionBudget, type AppPodDisruptionBudgetProps } from './pod-disruption-budget';
export { resolveApp, type ResolvedApp, type ResolvedPort, type ResolvedProbe } from './resolve';
export { AppService, type AppServiceProps } from './service';
export { AppServiceAccount, type AppServiceAccountProps } from './service-account';
export { shutdownTiming, type ShutdownTiming } from './shutdown';
export { AppTargetGroupBinding, type AppTargetGroupBindingProps } from './target-group-binding';
export { appProblems, envReferences, type AppProblem } from './validate';
