import type { Component, EnvironmentSpec } from '@gitops/core';
import { isAppComponent } from './app-component';
import { isIngressExposure, resolveIngress } from './ingress';
import { resolveApp } from './resolve';
import type { AppProblem } from './validate';

// IngressGroup names: lower-case alphanumerics, "-" and ".", alphanumeric at both ends, at most 63
// characters (aws-load-balancer-controller docs, annotations.md, group.name).
const GROUP_NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;
// A host of the Ingress rule and of its DNS record: lower-case DNS labels, no wildcard (ExternalDNS
// would write a wildcard record for the whole zone).
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
// A Prefix path: "/" and segments of URL path characters; the controller turns it into ALB path
// patterns, which allow A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & (ELBv2 path-pattern condition), and
// "*" or "?" would be literal in a Prefix path but wildcards to the ALB.
const PREFIX_PATH = /^\/[A-Za-z0-9_\-.$/~"'@:+&]{0,126}$/;

const INGRESS_FIELDS = new Set(['via', 'host', 'paths', 'port', 'group', 'scheme']);
const TARGET_GROUP_FIELDS = new Set(['via', 'port', 'host', 'paths', 'healthCheckPath']);
const INGRESS_SETTINGS_FIELDS = new Set(['groups', 'dnsPolicy']);
const SCHEMES = ['internal', 'internet-facing'];
const DNS_POLICIES = ['upsert-only', 'sync'];

/**
 * Every problem with the env's Ingress settings and its apps' Ingress exposure: the two ways mixed
 * in one `expose`, a host, path or group that is malformed or unknown, a scheme the group does not
 * have, a readiness probe the ALB cannot health-check, and two apps claiming the same host and
 * path on one ALB (or one host on two ALBs: one DNS name points at one ALB).
 */
export function ingressProblems(env: EnvironmentSpec, components: readonly Component[]): AppProblem[] {
  const problems: AppProblem[] = [];
  const envFile = `clusters/${env.name}/env.ts`;
  const groups = env.ingress?.groups ?? {};

  if (env.ingress) {
    const report = (parameter: string, message: string) => problems.push({ env: env.name, component: 'ingress-classes', file: envFile, parameter, message });
    for (const key of Object.keys(env.ingress)) if (!INGRESS_SETTINGS_FIELDS.has(key)) report(`ingress.${key}`, `unknown field; ingress accepts ${[...INGRESS_SETTINGS_FIELDS].join(', ')}`);
    if (env.ingress.groups === null || typeof env.ingress.groups !== 'object') report('ingress.groups', 'is missing; name the ALB groups, e.g. { internal: { scheme: \'internal\' } }');
    for (const [name, group] of Object.entries(groups)) {
      if (!GROUP_NAME.test(name)) report(`ingress.groups.${name}`, `"${name}" is not an ALB group name (lower-case letters, digits, "-" and ".", a letter or digit at both ends, at most 63)`);
      if (!SCHEMES.includes(group?.scheme)) report(`ingress.groups.${name}.scheme`, `"${group?.scheme}" is not a scheme; use ${SCHEMES.join(' or ')}`);
    }
    if (env.ingress.dnsPolicy !== undefined && !DNS_POLICIES.includes(env.ingress.dnsPolicy)) {
      report('ingress.dnsPolicy', `"${env.ingress.dnsPolicy}" is not an ExternalDNS policy; use ${DNS_POLICIES.join(' or ')}`);
    }
  }

  /** `<group> <host> <path>` → app, and host → group, over the env's Ingress apps. */
  const routes = new Map<string, string>();
  const hostGroups = new Map<string, { group: string; app: string }>();
  for (const component of components) {
    if (!isAppComponent(component)) continue;
    const { app, overrides } = component;
    const appFile = `apps/${app.name}/src/index.ts`;
    const report = (parameter: string, message: string, file = appFile) => problems.push({ env: env.name, component: component.name, file, parameter, message });
    const expose = app.expose as Record<string, unknown> | undefined;

    if (overrides.expose !== undefined) {
      for (const key of Object.keys(overrides.expose)) if (key !== 'host') report(`apps.${app.name}.expose.${key}`, 'unknown field; an env may set expose.host only', envFile);
      if (!isIngressExposure(app.expose)) {
        report(
          `apps.${app.name}.expose`,
          `app ${app.name} is not exposed through an Ingress; a shared-ALB app's host per env is appHosts.${app.name} in packages/infra/src/environments/${env.name}.ts`,
          envFile,
        );
      }
    }
    if (!expose) continue;

    const via = expose.via;
    if (via !== undefined && via !== 'target-group' && via !== 'ingress') {
      report('expose.via', `"${String(via)}" is not a way to expose an app; use 'target-group' (the default) or 'ingress'`);
      continue;
    }
    if (via !== 'ingress') {
      const ingressOnly = Object.keys(expose).filter((key) => INGRESS_FIELDS.has(key) && !TARGET_GROUP_FIELDS.has(key));
      if (ingressOnly.length > 0) {
        report('expose', `sets ${ingressOnly.join(', ')} of the Ingress way on a target-group exposure; an app is exposed one way per env: add via: 'ingress' or remove ${ingressOnly.join(', ')}`);
      }
      continue;
    }
    if ('healthCheckPath' in expose) {
      report(
        'expose.healthCheckPath',
        "belongs to the target-group way, and this app asks for an Ingress; an app is exposed one way per env, and through an Ingress the ALB health-checks the readiness probe's path (probes.readiness.httpGet)",
      );
    }
    for (const key of Object.keys(expose)) if (!INGRESS_FIELDS.has(key) && key !== 'healthCheckPath') report(`expose.${key}`, `unknown field; an Ingress exposure accepts ${[...INGRESS_FIELDS].join(', ')}`);

    const ingress = resolveIngress(app, overrides)!;
    const hostFile = ingress.hostFrom === 'env' ? envFile : appFile;
    const hostField = ingress.hostFrom === 'env' ? `apps.${app.name}.expose.host` : 'expose.host';
    const hostOk = typeof ingress.host === 'string' && HOST.test(ingress.host);
    if (!hostOk) report(hostField, `"${ingress.host}" is not a host name (lower-case DNS labels, at least two, no wildcard)`, hostFile);

    const paths = ingress.paths;
    if (paths.length === 0) report('expose.paths', 'is empty: the Ingress would route nothing to the app');
    const seen = new Set<string>();
    paths.forEach((path, i) => {
      if (!PREFIX_PATH.test(path)) report(`expose.paths[${i}]`, `"${path}" is not a path prefix (starts with "/", at most 127 of A-Z a-z 0-9 _ - . $ / ~ " ' @ : + &; no wildcards)`);
      else if (seen.has(path)) report(`expose.paths[${i}]`, `"${path}" is listed twice`);
      seen.add(path);
    });

    if (!GROUP_NAME.test(ingress.group)) {
      report('expose.group', `"${ingress.group}" is not an ALB group name (lower-case letters, digits, "-" and ".", a letter or digit at both ends, at most 63)`);
    } else if (!env.ingress) {
      report('ingress', `app ${app.name} is exposed through an Ingress in ALB group "${ingress.group}", but env ${env.name} defines no ingress.groups`, envFile);
    } else if (!(ingress.group in groups)) {
      const known = Object.keys(groups).sort();
      report('expose.group', `"${ingress.group}" is not an ALB group of env ${env.name}; ${envFile} ingress.groups defines ${known.length > 0 ? known.join(', ') : 'none'}`);
    } else if (ingress.scheme !== undefined && groups[ingress.group]!.scheme !== ingress.scheme) {
      report('expose.scheme', `the app needs an ${ingress.scheme} ALB, but group "${ingress.group}" of env ${env.name} is ${groups[ingress.group]!.scheme}`);
    }
    if (ingress.scheme !== undefined && !SCHEMES.includes(ingress.scheme)) report('expose.scheme', `"${ingress.scheme}" is not a scheme; use ${SCHEMES.join(' or ')}`);

    const readiness = resolveApp(app, overrides).probes.readiness;
    if (readiness && readiness.httpGet === undefined) {
      report('probes.readiness', 'an Ingress app needs an httpGet readiness probe: the ALB health-checks its path, and an ALB health check is HTTP');
    }

    if (!hostOk) continue;
    const other = hostGroups.get(ingress.host);
    if (other && other.group !== ingress.group) {
      report(hostField, `host ${ingress.host} is also app ${other.app}'s, on ALB group "${other.group}"; one DNS name points at one ALB: use group "${other.group}" or another host`, hostFile);
    } else if (!other) hostGroups.set(ingress.host, { group: ingress.group, app: app.name });
    paths.forEach((path, i) => {
      const route = `${ingress.group} ${ingress.host} ${path}`;
      const owner = routes.get(route);
      if (owner !== undefined && owner !== app.name) {
        report(`expose.paths[${i}]`, `host ${ingress.host} path ${path} on ALB group "${ingress.group}" is also claimed by app ${owner}; the ALB would send it to only one of them`);
      } else routes.set(route, app.name);
    });
  }
  return problems;
}
