import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { ARGOCD_NAMESPACE } from './conventions';
import { argoCdSyncWaves } from './sync-waves';

/** The argocd-cm key of a health check for argoproj.io Applications (health.md). */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

// Lua run by Argo CD on every child Application the root manages. A child is Healthy once it
// has synced its current revision and its own objects are healthy; Degraded is passed on so a
// broken child fails the root's sync with its reason instead of holding it for ever; anything
// else, including a child not yet reconciled, is Progressing, which holds the next wave.
const APPLICATION_HEALTH_LUA = `local hs = {}
if obj.status == nil or obj.status.health == nil or obj.status.sync == nil then
  hs.status = "Progressing"
  hs.message = "waiting for the Application's first reconciliation"
  return hs
end
local health = obj.status.health.status
local sync = obj.status.sync.status
if health == "Degraded" then
  hs.status = "Degraded"
  hs.message = obj.status.health.message or "the Application is Degraded"
  return hs
end
if health == "Healthy" and sync == "Synced" then
  hs.status = "Healthy"
  hs.message = ""
  return hs
end
hs.status = "Progressing"
hs.message = "the Application is " .. tostring(health) .. " and " .. tostring(sync)
return hs
`;

/**
 * Gives Argo CD a health check for Application objects. Argo CD has had none since v1.8, so
 * without it a child Application is Healthy the moment it exists, and the root's sync waves
 * (CRDs, then controllers, then apps) do not wait for one another (health.md, sync-waves.md).
 *
 * Rendered as a partial argocd-cm applied server-side: it sets this one key and leaves every
 * other setting of the installation as it is (sync-options.md, "patch existing resources"). It
 * is never pruned or deleted with the root, which would wipe Argo CD's settings.
 */
export class ApplicationHealthCheck extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new k8s.KubeConfigMap(this, 'argocd-cm', {
      metadata: {
        name: 'argocd-cm',
        namespace: ARGOCD_NAMESPACE,
        // Argo CD watches only ConfigMaps carrying part-of=argocd for its settings.
        labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
        annotations: {
          'argocd.argoproj.io/sync-wave': String(argoCdSyncWaves.applicationHealthCheck),
          'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false',
        },
      },
      data: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA },
    });
  }
}
