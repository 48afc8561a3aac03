import { appComponent } from '@gitops/app';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { platformComponents } from '@gitops/platform';
import type { Workspace } from './workspace';

/** The component folders of one env, in the order they render. */
export function componentsFor(env: EnvironmentSpec, workspace: Workspace): Component[] {
  const apps = Object.entries(env.apps).map(([name, overrides]) => appComponent(workspace.apps.get(name)!, overrides));
  return [...platformComponents(), ...apps];
}
