/** The argocd-cm key of a health check for argoproj.io Applications (health.md). */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

// Argo CD has had no health check for Application objects since v1.8 (health.md), so without
// this one a child Application is Healthy the moment it exists, and the root's sync waves (CRDs,
// then controllers, then apps) would not wait for one another. It ships in the install's own
// argocd-cm (argocd-install.ts).
//
// Lua run by Argo CD on every child Application the root manages. A child is Healthy once it
// has synced its current revision and its own objects are healthy; Degraded is passed on so a
// broken child fails the root's sync with its reason instead of holding it for ever; anything
// else, including a child not yet reconciled, is Progressing, which holds the next wave.
export const APPLICATION_HEALTH_LUA = `local hs = {}
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
