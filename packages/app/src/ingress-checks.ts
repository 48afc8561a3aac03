import type { Component, EnvironmentSpec } from '@gitops/core';
import { isAppComponent } from './app-component';
import { isIngressExposure, resolveIngress } from './ingress';
import { resolveApp } from './resolve';
import type { AppProblem } from './validate';

/**
 * The Ingress checks across fields, apps and the env (each field's own form, and a field of the
 * other way in one `expose`, are the schemas' in definition.ts and packages/core): a host
 * override for an app that is not an Ingress app, a group the env does not define, a scheme the
 * group does not have, a readiness probe the ALB cannot health-check, and two apps claiming the
 * same host and path on one ALB (or one host on two ALBs: one DNS name points at one ALB).
 */
export function ingressProblems(env: EnvironmentSpec, components: readonly Component[]): AppProblem[] {
  const problems: AppProblem[] = [];
  const envFile = `clusters/${env.name}/env.ts`;
  const groups = env.ingress?.groups ?? {};

  /** `<group> <host> <path>` → app, and host → group, over the env's Ingress apps. */
  const routes = new Map<string, string>();
  const hostGroups = new Map<string, { group: string; app: string }>();
  for (const component of components) {
    if (!isAppComponent(component)) continue;
    const { app, overrides } = component;
    const appFile = `apps/${app.name}/src/index.ts`;
    const report = (parameter: string, message: string, file = appFile) => problems.push({ env: env.name, component: component.name, file, parameter, message });

    if (overrides.expose !== undefined && !isIngressExposure(app.expose)) {
      report(
        `apps.${app.name}.expose`,
        `app ${app.name} is not exposed through an Ingress; a shared-ALB app's host per env is appHosts.${app.name} in packages/infra/src/environments/${env.name}.ts`,
        envFile,
      );
    }
    const ingress = resolveIngress(app, overrides);
    if (!ingress) continue;

    if (!env.ingress) {
      report('ingress', `app ${app.name} is exposed through an Ingress in ALB group "${ingress.group}", but env ${env.name} defines no ingress.groups`, envFile);
    } else if (!(ingress.group in groups)) {
      const known = Object.keys(groups).sort();
      report('expose.group', `"${ingress.group}" is not an ALB group of env ${env.name}; ${envFile} ingress.groups defines ${known.length > 0 ? known.join(', ') : 'none'}`);
    } else if (ingress.scheme !== undefined && groups[ingress.group]!.scheme !== ingress.scheme) {
      report('expose.scheme', `the app needs an ${ingress.scheme} ALB, but group "${ingress.group}" of env ${env.name} is ${groups[ingress.group]!.scheme}`);
    }

    const readiness = resolveApp(app, overrides).probes.readiness;
    if (readiness && readiness.httpGet === undefined) {
      report('probes.readiness', 'an Ingress app needs an httpGet readiness probe: the ALB health-checks its path, and an ALB health check is HTTP');
    }

    const hostFile = ingress.hostFrom === 'env' ? envFile : appFile;
    const hostField = ingress.hostFrom === 'env' ? `apps.${app.name}.expose.host` : 'expose.host';
    const other = hostGroups.get(ingress.host);
    if (other && other.group !== ingress.group) {
      report(hostField, `host ${ingress.host} is also app ${other.app}'s, on ALB group "${other.group}"; one DNS name points at one ALB: use group "${other.group}" or another host`, hostFile);
    } else if (!other) hostGroups.set(ingress.host, { group: ingress.group, app: app.name });
    ingress.paths.forEach((path, i) => {
      const route = `${ingress.group} ${ingress.host} ${path}`;
      const owner = routes.get(route);
      if (owner !== undefined && owner !== app.name) {
        report(`expose.paths[${i}]`, `host ${ingress.host} path ${path} on ALB group "${ingress.group}" is also claimed by app ${owner}; the ALB would send it to only one of them`);
      } else routes.set(route, app.name);
    });
  }
  return problems;
}
