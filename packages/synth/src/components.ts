import { appComponent, resolveIngress } from '@gitops/app';
import { argoCdComponents, checkArgoCdTopology } from '@gitops/argocd';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { ingressPlatformComponents, NO_ADDONS, platformComponents } from '@gitops/platform';
import { SynthError } from './problems';
import type { Workspace } from './workspace';

/**
 * The component folders of one env, in the order they render. The Argo CD folders come last:
 * Argo CD's own install (for an env that runs one), then the argocd component, built from the
 * others (one Application per folder and upstream source, the project from what they rendered).
 */
export function componentsFor(env: EnvironmentSpec, workspace: Workspace): Component[] {
  const apps = Object.entries(env.apps).map(([name, overrides]) => appComponent(workspace.apps.get(name)!, overrides));
  // Apps exposed through an Ingress bring their ALB groups' classes and ExternalDNS.
  const ingressMembers = apps.flatMap(({ app, overrides }) => {
    const ingress = resolveIngress(app, overrides);
    return ingress ? [{ group: ingress.group, namespace: app.namespace ?? app.name }] : [];
  });
  const ingress = ingressPlatformComponents(env, ingressMembers);
  // Every ALB group class attaches the env's WAFv2 web ACL, so the controller reconciles WAFv2
  // exactly when the env has such a class; infra attaches the shared ALB's ACL itself.
  const delivered = [...platformComponents({ ...NO_ADDONS, wafv2: ingress.length > 0 }), ...ingress, ...apps];
  const topology = checkArgoCdTopology(env, workspace.environments);
  if (topology.length > 0) throw new SynthError(topology);
  return [...delivered, ...argoCdComponents(env, delivered, workspace.environments)];
}
