import type { EnvironmentSpec } from '@gitops/core';
import { ARGOCD_NAMESPACE, BOOTSTRAP_PROJECT, IN_CLUSTER } from './conventions';

/** One thing wrong with how envs are assigned to Argo CDs; shaped like synth's Problem. */
export interface DeliveryProblem {
  readonly env?: string;
  readonly component?: string;
  readonly file?: string;
  readonly parameter?: string;
  readonly message: string;
}

/** Which Argo CD delivers an env. */
export interface ArgoCdPlacement {
  /** The hub env whose Argo CD delivers this env; undefined when the env runs its own. */
  readonly hub?: EnvironmentSpec;
  /** Envs this env's Argo CD delivers besides itself (it is their hub), in name order. */
  readonly spokes: readonly EnvironmentSpec[];
  /** The name this env's cluster has in the Argo CD that delivers it. */
  readonly clusterName: string;
}

const byName = (a: EnvironmentSpec, b: EnvironmentSpec) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Where an env stands: a spoke of its `managedBy` hub, registered there under its EKS cluster
 * name; otherwise it runs its own Argo CD, deploys to it as `in-cluster`, and is the hub of every
 * env naming it in `managedBy`. Assumes `checkArgoCdTopology` found no problem.
 */
export function argoCdPlacement(env: EnvironmentSpec, environments: ReadonlyMap<string, EnvironmentSpec>): ArgoCdPlacement {
  const hubName = env.argocd.managedBy;
  if (hubName !== undefined) {
    const hub = environments.get(hubName);
    if (!hub) throw new Error(`env ${env.name}: argocd.managedBy names unknown env ${hubName}`);
    return { hub, spokes: [], clusterName: env.cluster.name };
  }
  const spokes = [...environments.values()].filter((other) => other.argocd.managedBy === env.name).sort(byName);
  return { spokes, clusterName: IN_CLUSTER };
}

// Fargate profile selectors match with `*` and `?` (EKS UG, fargate-profile.adoc).
function selects(pattern: string, namespace: string): boolean {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`).test(namespace);
}

/**
 * Every problem with the env's place among Argo CDs: a `managedBy` naming no env, itself, or an
 * env that is itself a spoke; spokes that would share a cluster name or an SSM prefix with
 * their hub; an env running Argo CD without a Fargate profile for its pods.
 */
export function checkArgoCdTopology(env: EnvironmentSpec, environments: ReadonlyMap<string, EnvironmentSpec>): DeliveryProblem[] {
  const file = `clusters/${env.name}/env.ts`;
  const problems: DeliveryProblem[] = [];
  const problem = (parameter: string, message: string) => problems.push({ env: env.name, file, parameter, message });
  if (env.name === BOOTSTRAP_PROJECT) {
    problem('name', `"${BOOTSTRAP_PROJECT}" is the name of Argo CD's bootstrap project; an env's project is named after the env`);
  }
  const hubName = env.argocd.managedBy;
  if (hubName !== undefined) {
    const hub = environments.get(hubName);
    if (hubName === env.name) {
      problem('argocd.managedBy', 'names the env itself; leave managedBy unset for an env that runs its own Argo CD');
    } else if (!hub) {
      const known = [...environments.keys()].sort().join(', ');
      problem('argocd.managedBy', `names env "${hubName}", which clusters/ does not define (defined: ${known})`);
    } else {
      if (hub.argocd.managedBy !== undefined) {
        problem('argocd.managedBy', `names env "${hubName}", which is itself managed by "${hub.argocd.managedBy}"; a hub must run its own Argo CD`);
      }
      if (hub.ssmPrefix === env.ssmPrefix) {
        problem('ssmPrefix', `equals the prefix of its hub ${hubName}; the hub reads both, so they must differ`);
      }
      if (env.cluster.name === IN_CLUSTER) {
        problem('cluster.name', `"${IN_CLUSTER}" is the name Argo CD gives its own cluster; a spoke needs another`);
      }
      const twins = [...environments.values()].filter(
        (other) => other.name !== env.name && other.argocd.managedBy === hubName && other.cluster.name === env.cluster.name,
      );
      for (const twin of twins) {
        problem('cluster.name', `"${env.cluster.name}" is also the cluster of env ${twin.name}; the hub ${hubName} registers clusters by name`);
      }
    }
    return problems;
  }
  const runsArgoCd = env.fargateProfiles.some((profile) =>
    profile.selectors.some((selector) => selects(selector.namespace, ARGOCD_NAMESPACE) && Object.keys(selector.labels ?? {}).length === 0),
  );
  if (!runsArgoCd) {
    problem(
      'fargateProfiles',
      `no Fargate profile selects namespace ${ARGOCD_NAMESPACE} (without labels); the env runs its own Argo CD, whose pods would stay Pending`,
    );
  }
  return problems;
}
