/**
 * Sync waves of the objects in `gitops/<env>/argocd/`, as the root Application applies them.
 * Components and upstream sources choose their own waves (`delivery.syncWave`,
 * `UpstreamSource.syncWave`) strictly between `projects` and `spokeRoots`; synth rejects others.
 *
 * Argo CD applies a wave, waits until everything in it is Healthy, then starts the next
 * (sync-waves.md). Child Applications only report a health once the Application health check
 * (application-health-check.ts) is loaded, so it comes first.
 */
export const argoCdSyncWaves = {
  /** The argocd-cm entry that gives child Applications a health. */
  applicationHealthCheck: -100,
  /** AppProjects and hub cluster Secrets: every Application names one of each. */
  projects: -90,
  /** A hub's spokes, after every Application of the hub's own cluster. */
  spokeRoots: 90,
  /**
   * The root Application itself, last: Argo CD leaves an Application out of its own health, but
   * the root's wave still waits for the root to report Healthy, which it does only when every
   * child is; any earlier wave would wait on children that are not created yet.
   */
  root: 100,
} as const;

/** Whether a component or upstream source may use this wave. */
export function isComponentWave(wave: number): boolean {
  return Number.isInteger(wave) && wave > argoCdSyncWaves.projects && wave < argoCdSyncWaves.spokeRoots;
}
