import { parameters, type ParameterDefinition } from '@gitops/contract';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { platformSyncWaves } from '../sync-waves';
import { AlbGroupClass } from './alb-group-class';

/** An app namespace whose Ingress joins an ALB group. */
export interface IngressGroupMember {
  readonly group: string;
  readonly namespace: string;
}

/** The component folder `gitops/<env>/ingress-classes/`. */
export const INGRESS_CLASSES_COMPONENT = 'ingress-classes';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Group name → the namespaces of its members, for the groups the env defines. */
export function membersByGroup(env: EnvironmentSpec, members: readonly IngressGroupMember[]): Map<string, string[]> {
  const groups = new Map<string, Set<string>>();
  for (const { group, namespace } of members) {
    if (!env.ingress?.groups?.[group]) continue;
    groups.set(group, (groups.get(group) ?? new Set()).add(namespace));
  }
  return new Map([...groups].sort(([a], [b]) => byText(a, b)).map(([group, namespaces]) => [group, [...namespaces].sort(byText)]));
}

/**
 * One IngressClass `alb-<group>` with its IngressClassParams per ALB group that an app of the env
 * joins. Only groups in use are rendered: a class exists for namespaces that use it and nothing
 * else, so an unused internet-facing class cannot be picked up by anyone.
 */
export function ingressClassesComponent(env: EnvironmentSpec, members: readonly IngressGroupMember[]): Component {
  const groups = membersByGroup(env, members);
  const schemes = new Set([...groups.keys()].map((group) => env.ingress!.groups[group]!.scheme));
  const declared: ParameterDefinition[] = [parameters.ingressCertificateArn, parameters.ingressWebAclArn];
  if (schemes.has('internal')) declared.push(parameters.privateSubnetIds);
  if (schemes.has('internet-facing')) declared.push(parameters.publicSubnetIds);
  return {
    name: INGRESS_CLASSES_COMPONENT,
    parameters: declared,
    delivery: { syncWave: platformSyncWaves.ingress },
    render(chart, ctx) {
      for (const [group, namespaces] of groups) {
        const scheme = ctx.env.ingress!.groups[group]!.scheme;
        new AlbGroupClass(chart, group, {
          env: ctx.env.name,
          group,
          scheme,
          namespaces,
          certificateArn: ctx.param(parameters.ingressCertificateArn),
          webAclArn: ctx.param(parameters.ingressWebAclArn),
          subnetIds: ctx.param(scheme === 'internal' ? parameters.privateSubnetIds : parameters.publicSubnetIds),
        });
      }
    },
  };
}
