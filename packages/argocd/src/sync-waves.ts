/**
 * Sync waves of the objects in `gitops/<env>/argocd/`, as the root Application applies them.
 * Components and upstream sources choose their own waves (`delivery.syncWave`,
 * `UpstreamSource.syncWave`) strictly between `argoCdInstall` and `spokeRoots`; synth rejects others.
 *
 * Argo CD applies a wave, waits until everything in it is Healthy, then starts the next
 * (sync-waves.md). Child Applications report a health because the install's argocd-cm carries
 * the Application health check (argocd-install.ts), there from the first `kubectl apply -k`.
 */
export const argoCdSyncWaves = {
  /** AppProjects and hub cluster Secrets: every Application names one of each. */
  projects: -100,
  /** Argo CD's own installation, `<env>-argocd-install`: its project exists by then. */
  argoCdInstall: -90,
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
  return Number.isInteger(wave) && wave > argoCdSyncWaves.argoCdInstall && wave < argoCdSyncWaves.spokeRoots;
}
