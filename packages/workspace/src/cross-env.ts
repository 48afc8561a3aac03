import type { AppDefinition } from '@gitops/app';
import type { EnvironmentSpec, Problem } from '@gitops/core';

interface CheckedEnv {
  readonly spec: EnvironmentSpec;
  readonly file: string;
}

/** Whether SSM prefix `inner` lies at or below `outer`: GetParametersByPath on `outer` would read its parameters. */
const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}/`);

/**
 * What must hold across envs and across the apps of one env, before anything renders:
 * - no two envs aim at the same cluster (account, region, cluster name): a copied env folder
 *   with only its name changed would render a second env onto another's cluster;
 * - no env's SSM prefix equals or lies below another's: each would read the other's parameters;
 * - within an env, no two apps claim the same host and path on the shared ALB: a listener rule
 *   forwards to one target group.
 * Each problem is reported on the later env (name order), naming the earlier one's file.
 */
export function crossEnvironmentProblems(
  envs: ReadonlyMap<string, CheckedEnv>,
  apps: ReadonlyMap<string, AppDefinition>,
  appFiles: ReadonlyMap<string, string>,
): Problem[] {
  const problems: Problem[] = [];
  const clusters = new Map<string, CheckedEnv>();
  const prefixes: CheckedEnv[] = [];
  for (const [name, checked] of envs) {
    const { spec, file } = checked;
    const identity = `${spec.account}/${spec.region}/${spec.cluster.name}`;
    const other = clusters.get(identity);
    if (other) {
      problems.push({
        env: name,
        file,
        parameter: 'cluster.name',
        message: `given account ${spec.account}, region ${spec.region}, cluster "${spec.cluster.name}"; expected a cluster of its own, but env ${other.spec.name} (${other.file}) already renders for that cluster`,
      });
    } else clusters.set(identity, checked);
    const overlapping = prefixes.find((earlier) => within(spec.ssmPrefix, earlier.spec.ssmPrefix) || within(earlier.spec.ssmPrefix, spec.ssmPrefix));
    if (overlapping) {
      problems.push({
        env: name,
        file,
        parameter: 'ssmPrefix',
        message: `given "${spec.ssmPrefix}"; expected a prefix of its own, but env ${overlapping.spec.name} (${overlapping.file}) uses "${overlapping.spec.ssmPrefix}": each env would read the other's parameters`,
      });
    } else prefixes.push(checked);

    const claims = new Map<string, string>();
    for (const appName of Object.keys(spec.apps).sort()) {
      const expose = apps.get(appName)?.expose;
      if (!expose) continue;
      for (const [index, path] of (expose.paths ?? ['/*']).entries()) {
        const claim = `${expose.host?.toLowerCase() ?? '(any host)'} ${path}`;
        const owner = claims.get(claim);
        if (owner === undefined) {
          claims.set(claim, appName);
          continue;
        }
        problems.push({
          env: name,
          component: `app-${appName}`,
          file: appFiles.get(appName) ?? `apps/${appName}/src/index.ts`,
          parameter: expose.paths ? `expose.paths[${index}]` : 'expose.host',
          message:
            owner === appName
              ? `given path "${path}" twice; expected each path once`
              : `given host ${expose.host ?? '(any)'} path ${path}; expected a host and path no other app of env ${name} claims, but app ${owner} (${appFiles.get(owner)}) does: one ALB listener rule forwards to one target group`,
        });
      }
    }
  }
  return problems;
}
