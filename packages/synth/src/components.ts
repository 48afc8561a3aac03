import { appComponent } from '@gitops/app';
import { argoCdComponents, checkArgoCdTopology } from '@gitops/argocd';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { platformComponents } from '@gitops/platform';
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
    return cacheable(appComponent(app, overrides), { app, overrides });
  });
  const delivered = [...platformComponents().map((component) => cacheable(component, {})), ...apps];
  const topology = checkArgoCdTopology(env, workspace.environments);
  if (topology.length > 0) throw new SynthError(topology);
  // Argo CD's own install is the same for every env; the argocd component is built from the
  // components it delivers and every env (hub mode).
  const argoCd = argoCdComponents(env, delivered, workspace.environments);
  return [...delivered, ...argoCd.map((component, index) => cacheable(component, index === argoCd.length - 1 ? { delivered, environments: [...workspace.environments.values()] } : {}))];
}
