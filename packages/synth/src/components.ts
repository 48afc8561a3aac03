import { appComponent } from '@gitops/app';
import { argoCdComponents, checkArgoCdTopology } from '@gitops/argocd';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { platformComponents } from '@gitops/platform';
import { SynthError } from './problems';
import type { Workspace } from './workspace';

/**
 * The component folders of one env, in the order they render. The Argo CD folders come last:
 * Argo CD's own install (for an env that runs one), then the argocd component, built from the
 * others (one Application per folder and upstream source, the project from what they rendered).
 */
export function componentsFor(env: EnvironmentSpec, workspace: Workspace): Component[] {
  const apps = Object.entries(env.apps).map(([name, overrides]) => appComponent(workspace.apps.get(name)!, overrides));
  const delivered = [...platformComponents(), ...apps];
  const topology = checkArgoCdTopology(env, workspace.environments);
  if (topology.length > 0) throw new SynthError(topology);
  return [...delivered, ...argoCdComponents(env, delivered, workspace.environments)];
}
