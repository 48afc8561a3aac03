import { appComponent, resolveIngress } from '@gitops/app';
import { argoCdComponent, checkArgoCdTopology } from '@gitops/argocd';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { ingressPlatformComponents, platformComponents } from '@gitops/platform';
import { SynthError } from './problems';
import type { Workspace } from './workspace';

/**
 * The component folders of one env, in the order they render. The Argo CD component comes last:
 * it is built from the others (one Application per folder and upstream source, the project from
 * what they rendered).
 */
export function componentsFor(env: EnvironmentSpec, workspace: Workspace): Component[] {
  const apps = Object.entries(env.apps).map(([name, overrides]) => appComponent(workspace.apps.get(name)!, overrides));
  // Apps exposed through an Ingress bring their ALB groups' classes and ExternalDNS.
  const ingressMembers = apps.flatMap(({ app, overrides }) => {
    const ingress = resolveIngress(app, overrides);
    return ingress ? [{ group: ingress.group, namespace: app.namespace ?? app.name }] : [];
  });
  const delivered = [...platformComponents(), ...ingressPlatformComponents(env, ingressMembers), ...apps];
  const topology = checkArgoCdTopology(env, workspace.environments);
  if (topology.length > 0) throw new SynthError(topology);
  return [...delivered, argoCdComponent(env, delivered, workspace.environments)];
}
