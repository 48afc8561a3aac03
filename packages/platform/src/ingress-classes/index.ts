import type { Component, EnvironmentSpec } from '@gitops/core';
import { externalDnsComponent } from '../external-dns/component';
import { albGroupClassName } from './alb-group-class';
import { ingressClassesComponent, membersByGroup, type IngressGroupMember } from './component';

/**
 * The platform components an env gets when apps of it are exposed through Ingresses: the ALB
 * groups' classes and ExternalDNS. None without such an app.
 */
export function ingressPlatformComponents(env: EnvironmentSpec, members: readonly IngressGroupMember[]): Component[] {
  if (members.length === 0) return [];
  const classes = [...membersByGroup(env, members).keys()].map(albGroupClassName);
  return [ingressClassesComponent(env, members), externalDnsComponent(classes)];
}
