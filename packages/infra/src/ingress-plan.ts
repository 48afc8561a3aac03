import { hostInZone, resolveIngress } from '@gitops/app';
import type { EnvironmentSpec } from '@gitops/core';
import type { Problem } from '@gitops/core';
import type { Workspace } from '@gitops/workspace';
import { certificateCovers } from './plan';
import type { InfraSettings } from './settings';

/** What infra makes for an env whose apps are exposed through Ingresses. */
export interface IngressPlan {
  /** The hosted zone ExternalDNS may change, and only it. */
  readonly hostedZoneId: string;
  readonly zoneName: string;
  /** The Ingress hosts of the env, sorted. */
  readonly hosts: readonly string[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Plans the AWS side of the env's Ingress apps (none: undefined): the zone ExternalDNS writes
 * to, which must hold every Ingress host, and the certificate, which must cover them when infra
 * issues it. An app on both ways at once (an Ingress app in `appHosts`), and a host on both the
 * shared ALB and an Ingress ALB, are refused.
 */
export function planIngress(
  env: EnvironmentSpec,
  workspace: Workspace,
  settings: InfraSettings,
  sharedAlbHosts: ReadonlySet<string>,
  problems: Problem[],
): IngressPlan | undefined {
  const file = `packages/infra/src/environments/${env.name}.ts`;
  const add = (parameter: string, message: string) => problems.push({ env: env.name, component: 'infra', file, parameter, message });
  const hosts = new Set<string>();
  for (const name of Object.keys(env.apps).sort(byText)) {
    const app = workspace.apps.get(name);
    const ingress = app && resolveIngress(app, env.apps[name]);
    if (!ingress) continue;
    if (settings.appHosts?.[name] !== undefined) {
      add(
        `appHosts.${name}`,
        `app ${name} is exposed through an Ingress, not the shared ALB; an app is exposed one way per env: set its host in clusters/${env.name}/env.ts apps.${name}.expose.host`,
      );
    }
    // One name, one ALB: infra's alias record and ExternalDNS's would fight over it.
    if (sharedAlbHosts.has(ingress.host)) {
      problems.push({
        env: env.name,
        component: `app-${name}`,
        file: ingress.hostFrom === 'env' ? `clusters/${env.name}/env.ts` : `apps/${name}/src/index.ts`,
        parameter: ingress.hostFrom === 'env' ? `apps.${name}.expose.host` : 'expose.host',
        message: `host ${ingress.host} is also served by the shared ALB (a target-group app's host); one DNS name points at one ALB`,
      });
    }
    hosts.add(ingress.host);
  }
  if (hosts.size === 0) return undefined;
  const sorted = [...hosts].sort(byText);
  if (!settings.dns) {
    add('dns', `apps of env ${env.name} are exposed through Ingresses (${sorted.join(', ')}): ExternalDNS writes their records into the hosted zone; set dns`);
    return undefined;
  }
  const { hostedZoneId, zoneName } = settings.dns;
  for (const host of sorted.filter((host) => !hostInZone(host, zoneName))) add('dns', `Ingress host ${host} is outside the hosted zone ${zoneName}`);
  if (!('arn' in settings.certificate)) {
    const names = [settings.certificate.domainName, ...(settings.certificate.alternativeNames ?? [])];
    for (const host of sorted.filter((host) => !names.some((name) => certificateCovers(name, host)))) {
      add('certificate', `Ingress host ${host} is not covered by the certificate (${names.join(', ')}), which the Ingress ALBs share: add it`);
    }
  }
  return { hostedZoneId, zoneName, hosts: sorted };
}
