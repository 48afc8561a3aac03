import type { AppOverrides, ResourceQuantities } from '@gitops/core';
import type { AppDefinition, AppProbe } from './definition';
import { withPin } from './image';
import { shutdownTiming, type ShutdownTiming } from './shutdown';

/** A port with its name settled. */
export interface ResolvedPort {
  readonly name: string;
  readonly port: number;
}

/** A probe with its port settled (undefined only for `exec`, or when the app has no port: reported). */
export interface ResolvedProbe extends AppProbe {
  readonly port?: number;
}

/** An app as one env runs it: the definition with every default and the env's overrides applied. */
export interface ResolvedApp {
  readonly definition: AppDefinition;
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly ports: readonly ResolvedPort[];
  /** The container port the ALB sends traffic to, when exposed. */
  readonly exposedPort?: number;
  readonly resources: ResourceQuantities;
  /**
   * Environment variables in the author's order: the app's own, then the env's (one the app has
   * replaced where it stands, new ones appended). Kubernetes expands `$(NAME)` only from earlier entries.
   */
  readonly env: readonly (readonly [string, string])[];
  /**
   * Variables read from the app's Secret (`secrets`), sorted; the container lists them before
   * `env`, so a plain value may refer to one with `$(NAME)`.
   */
  readonly secretVariables: readonly string[];
  readonly probes: { readonly readiness?: ResolvedProbe; readonly liveness?: ResolvedProbe; readonly startup?: ResolvedProbe };
  /** Replicas in the env; with autoscaling, the autoscaler's minimum. */
  readonly replicas: number;
  readonly autoscaling?: { readonly minReplicas: number; readonly maxReplicas: number; readonly targetCpuPercent: number };
  readonly shutdown: ShutdownTiming;
  readonly writablePaths: readonly string[];
  /** Labels that select the app's pods. */
  readonly selector: Readonly<Record<string, string>>;
}

export const DEFAULT_RESOURCES: ResourceQuantities = { cpu: '250m', memory: '256Mi' };
export const DEFAULT_REPLICAS = 2;
const DEFAULT_TARGET_CPU_PERCENT = 70;

/** `http` for the first port, `port-<number>` after it, unless the definition names it. */
function portName(index: number, port: number, name: string | undefined): string {
  return name ?? (index === 0 ? 'http' : `port-${port}`);
}

/** Applies defaults and the env's overrides; never throws (validate.ts reports what is wrong). */
export function resolveApp(app: AppDefinition, overrides: AppOverrides = {}): ResolvedApp {
  const ports = (app.ports ?? []).map((p, index) => ({ name: portName(index, p.port, p.name), port: p.port }));
  const exposedPort = app.expose ? (app.expose.port ?? ports[0]?.port) : undefined;
  const defaultProbePort = exposedPort ?? ports[0]?.port;
  const probe = (p: AppProbe | undefined): ResolvedProbe | undefined =>
    p && { ...p, ...(p.exec ? {} : { port: p.port ?? defaultProbePort }) };
  // Through an Ingress the ALB health-checks the readiness probe's path, so the probe is the one
  // source of that path; through the shared ALB it is expose.healthCheckPath, infra's target group's.
  const healthCheckPath = app.expose && app.expose.via !== 'ingress' ? app.expose.healthCheckPath : undefined;
  const readiness = app.probes?.readiness ?? (app.expose && exposedPort !== undefined ? { httpGet: healthCheckPath ?? '/', port: exposedPort } : undefined);
  const replicas = overrides.replicas ?? app.replicas ?? DEFAULT_REPLICAS;
  // Object spread keeps a replaced key at its first position and appends new ones, in the order
  // written (env names never look like array indexes, which objects would move to the front).
  const env = Object.entries({ ...app.env, ...overrides.env });
  const pinned = overrides.imageTag !== undefined || overrides.imageDigest !== undefined;
  return {
    definition: app,
    name: app.name,
    namespace: app.namespace ?? app.name,
    image: pinned ? withPin(app.image, { tag: overrides.imageTag, digest: overrides.imageDigest }) : app.image,
    ports,
    ...(exposedPort !== undefined ? { exposedPort } : {}),
    resources: overrides.resources ?? app.resources ?? DEFAULT_RESOURCES,
    env,
    secretVariables: Object.keys(app.secrets ?? {}).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    probes: { readiness: probe(readiness), liveness: probe(app.probes?.liveness), startup: probe(app.probes?.startup) },
    replicas: app.autoscaling ? (app.autoscaling.minReplicas ?? replicas) : replicas,
    ...(app.autoscaling
      ? {
          autoscaling: {
            minReplicas: app.autoscaling.minReplicas ?? replicas,
            maxReplicas: app.autoscaling.maxReplicas,
            targetCpuPercent: app.autoscaling.targetCpuPercent ?? DEFAULT_TARGET_CPU_PERCENT,
          },
        }
      : {}),
    shutdown: shutdownTiming(app),
    writablePaths: app.writablePaths ?? ['/tmp'],
    selector: { 'app.kubernetes.io/name': app.name },
  };
}
