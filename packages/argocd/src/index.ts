export { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from './application-health-check';
export {
  ARGO_CD_CLUSTER_RESOURCES,
  ARGO_CD_INSTALL_BASE,
  ARGO_CD_NAMESPACED_KINDS,
  ARGO_CD_VERSION,
  ARGO_CD_WORKLOADS,
  ARGOCD_CM_DATA,
  ARGOCD_CMD_PARAMS_DATA,
  argoCdInstallComponent,
  SYNC_TIMEOUT_SECONDS,
  type ArgoCdWorkload,
} from './argocd-install';
export { ArgoCdProject, type ArgoCdProjectProps, type ProjectDestination } from './argocd-project';
export { AutoSyncedApplication, SYNC_RETRY, type AutoSyncedApplicationProps } from './auto-synced-application';
export { argoCdComponent, argoCdComponents, SPOKE_PARAMETERS } from './component';
export {
  ARGOCD_COMPONENT,
  ARGOCD_INSTALL_COMPONENT,
  ARGOCD_NAMESPACE,
  applicationName,
  BOOTSTRAP_PROJECT,
  IN_CLUSTER,
  RESOURCES_FINALIZER,
  repositoryPath,
  rootApplicationName,
} from './conventions';
export { CONVERGENCE_READS, convergenceProblems } from './convergence';
export { DELIVERY_READS, deliveryProblems, unownedFolderProblems } from './delivery-checks';
export { folderScope, type FolderScope } from './folder-scope';
export type { RenderedObject, RenderedOutline, RenderedOutput } from './rendered-output';
export { groupOf, isClusterScoped, parseGroupKind, type GroupKind } from './scope';
export { clusterSecretFindings, credentialFindings, renderedSecretProblems, secretSafetyProblems } from './secret-safety';
export { CLUSTER_SECRET_LABEL, SpokeClusterSecret, type SpokeClusterConfig, type SpokeClusterSecretProps } from './spoke-cluster-secret';
export { argoCdSyncWaves, isComponentWave } from './sync-waves';
export { argoCdPlacement, checkArgoCdTopology, type ArgoCdPlacement, type DeliveryProblem } from './topology';
