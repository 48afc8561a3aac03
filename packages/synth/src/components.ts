import { appComponent, appPolicy, resolveIngress, type AppDefinition } from '@gitops/app';
import { argoCdComponents, checkArgoCdTopology } from '@gitops/argocd';
import type { Component, DeliveredFolder, EnvironmentSpec } from '@gitops/core';
import { ingressPlatformComponents, NO_ADDONS, platformComponents } from '@gitops/platform';
import { SynthError } from './problems';
import { cacheable } from './render-cache';
import type { Workspace } from './workspace';

/**
 * The component folders of one env, in the order they render. The Argo CD folders come last:
 * Argo CD's own install (for an env that runs one), then the argocd component, built from the
 * others (one Application per folder and upstream source, the project from what they rendered).
 */
export function componentsFor(env: EnvironmentSpec, workspace: Workspace): Component[] {
  // What each is built from besides the env spec, for the render cache's keys (render-cache.ts).
  const apps = Object.entries(env.apps).map(([name, overrides]) => {
    const app = workspace.apps.get(name)!;
    return cacheable(appComponent(app, overrides), { app: keyedApp(app, env), overrides });
  });
  // Apps exposed through an Ingress bring their ALB groups' classes and ExternalDNS.
  const ingressMembers = apps.flatMap(({ app, overrides }) => {
    const ingress = resolveIngress(app, overrides);
    return ingress ? [{ group: ingress.group, namespace: app.namespace ?? app.name }] : [];
  });
  // Both are built from the env spec (its ingress groups) and these members alone.
  const ingress = ingressPlatformComponents(env, ingressMembers).map((component) => cacheable(component, { members: ingressMembers }));
  // Every ALB group class attaches the env's WAFv2 web ACL, so the controller reconciles WAFv2
  // exactly when the env has such a class; infra attaches the shared ALB's ACL itself.
  const addons = { ...NO_ADDONS, wafv2: ingress.length > 0 };
  const delivered = [...platformComponents(addons).map((component) => cacheable(component, { addons })), ...ingress, ...apps];
  const topology = checkArgoCdTopology(env, workspace.environments);
  if (topology.length > 0) throw new SynthError(topology);
  // Argo CD's own install is the same for every env; the argocd component is built from what
  // it reads of the components it delivers (given only that, so its key covers all it reads) and
  // every env (hub mode).
  const folders = delivered.map(folderOf);
  const argoCd = argoCdComponents(env, folders, workspace.environments);
  return [...delivered, ...argoCd.map((component, index) => cacheable(component, index === argoCd.length - 1 ? { folders, environments: [...workspace.environments.values()] } : {}))];
}

/** A component as the argocd component reads it: its folder name, delivery and upstream sources. */
function folderOf({ name, delivery, upstream }: Component): DeliveredFolder {
  return { name, ...(delivery ? { delivery } : {}), ...(upstream ? { upstream } : {}) };
}

/**
 * The app definition as a cache key sees it: a policy function (`aws.policy`) stands as the
 * statements it returns for this env's account and region, which is all anything reads of it
 * (appPolicy), marked as a function's (the app check checks those statements only then). One
 * that throws stays a function, which no key holds: the app is rendered, and checked, every run.
 */
function keyedApp(app: AppDefinition, env: EnvironmentSpec): unknown {
  if (typeof app.aws?.policy !== 'function') return app;
  try {
    return { ...app, aws: { ...app.aws, policy: { returned: [...appPolicy(app, env)] } } };
  } catch {
    return app;
  }
}
