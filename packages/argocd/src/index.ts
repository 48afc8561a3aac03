export { APPLICATION_HEALTH_KEY, ApplicationHealthCheck } from './application-health-check';
export { ArgoCdProject, type ArgoCdProjectProps, type ProjectDestination } from './argocd-project';
export { AutoSyncedApplication, type AutoSyncedApplicationProps } from './auto-synced-application';
export { argoCdComponent, SPOKE_PARAMETERS } from './component';
export {
  ARGOCD_COMPONENT,
  ARGOCD_NAMESPACE,
  applicationName,
  BOOTSTRAP_PROJECT,
  IN_CLUSTER,
  RESOURCES_FINALIZER,
  repositoryPath,
  rootApplicationName,
} from './conventions';
export { deliveryProblems, unownedFolderProblems } from './delivery-checks';
export { folderScope, type FolderScope } from './folder-scope';
export type { RenderedOutput } from './rendered-output';
export { groupOf, isClusterScoped, parseGroupKind, type GroupKind } from './scope';
export { clusterSecretFindings, credentialFindings, renderedSecretProblems, secretSafetyProblems } from './secret-safety';
export { CLUSTER_SECRET_LABEL, SpokeClusterSecret, type SpokeClusterConfig, type SpokeClusterSecretProps } from './spoke-cluster-secret';
export { argoCdSyncWaves, isComponentWave } from './sync-waves';
export { argoCdPlacement, checkArgoCdTopology, type ArgoCdPlacement, type DeliveryProblem } from './topology';
