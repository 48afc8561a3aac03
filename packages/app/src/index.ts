export { appComponent } from './app-component';
export {
  defineApp,
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
export { shutdownTiming, type ShutdownTiming } from './shutdown';
