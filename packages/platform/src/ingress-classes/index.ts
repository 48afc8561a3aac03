import type { Component, EnvironmentSpec } from '@gitops/core';
import { externalDnsComponent } from '../external-dns/component';
import { albGroupClassName } from './alb-group-class';
import { ingressClassesComponent, membersByGroup, type IngressGroupMember } from './component';

/**
 * The platform components an env gets when apps of it are exposed through Ingresses: the ALB
 * groups' classes and ExternalDNS. None without such an app in a group the env defines.
 */
export function ingressPlatformComponents(env: EnvironmentSpec, members: readonly IngressGroupMember[]): Component[] {
  const classes = [...membersByGroup(env, members).keys()].map(albGroupClassName);
  // No group of the env in use (none asked for, or only ones the app check refuses): no class, and
  // no ExternalDNS, which without an --ingress-class filter would write records for any Ingress.
  if (classes.length === 0) return [];
  return [ingressClassesComponent(env, members), externalDnsComponent(classes)];
}
