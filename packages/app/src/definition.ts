import type { EnvironmentSpec, ResourceQuantities } from '@gitops/core';
import type { Chart } from 'cdk8s';
import type { k8s } from 'cdk8s-plus-29';

/**
 * One IAM policy statement of an app's IRSA role, in IAM JSON form. packages/infra attaches
 * these to the role it creates for the app; the generator only annotates the service account.
 */
export interface IamPolicyStatement {
  readonly Effect?: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** An app that calls AWS: it gets an IRSA role (made by packages/infra) trusting its service account. */
export interface AwsAccess {
  /** What the role may do; at least one statement (an IRSA role with no policy is refused). */
  readonly policy: readonly IamPolicyStatement[];
}

/**
 * An app served by the shared ALB that packages/infra owns: infra makes an `ip` target group and
 * a listener rule for it, and the generator binds the app's pods to that target group.
 */
export interface AlbExposure {
  /** The way the app is exposed: a TargetGroupBinding to infra's shared ALB. @default 'target-group' */
  readonly via?: 'target-group';
  /** Container port the ALB sends traffic to. @default the app's first port */
  readonly port?: number;
  /** Host header the listener rule matches, e.g. `api.example.com`. @default any host */
  readonly host?: string;
  /** Path patterns the listener rule matches. @default ['/*'] */
  readonly paths?: readonly string[];
  /** Path the target group health-checks. @default '/' */
  readonly healthCheckPath?: string;
}

/**
 * An app served by an ALB that the AWS Load Balancer Controller makes from the app's Ingress. The
 * ALB's settings (scheme, certificate, WAF web ACL, subnets, `ip` targets, HTTPS redirect, tags)
 * belong to the env's IngressClass for `group`, not to the Ingress, and ExternalDNS writes the
 * host's DNS record. The ALB health-checks the path of the app's readiness probe.
 */
export interface IngressExposure {
  readonly via: 'ingress';
  /**
   * Host the Ingress rule matches, inside the env's hosted zone, e.g. `admin.example.com`; an env
   * sets its own with `apps.<name>.expose.host` in `clusters/<env>/env.ts`.
   */
  readonly host: string;
  /** Path prefixes (pathType Prefix: `/admin` also matches `/admin/users`). @default ['/'] */
  readonly paths?: readonly string[];
  /** Container port the ALB sends traffic to. @default the app's first port */
  readonly port?: number;
  /** The env's ALB group (`ingress.groups` in `clusters/<env>/env.ts`) the app joins. @default 'internal' */
  readonly group?: string;
  /**
   * The scheme the app needs; synth refuses to place it in a group of another scheme, so an
   * env change cannot make an internal tool internet-facing. @default any scheme
   */
  readonly scheme?: 'internal' | 'internet-facing';
}

/** A port the app's container listens on; each one is also a port of the app's Service. */
export interface AppPort {
  /** 1-65535. */
  readonly port: number;
  /** IANA-style port name (at most 15 characters). @default `http` for the first port, `port-<port>` after it */
  readonly name?: string;
}

/**
 * A probe of the app's container: exactly one of `httpGet`, `tcpSocket`, `exec`.
 * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
 */
export interface AppProbe {
  /** HTTP GET of this path; a 2xx or 3xx answer passes. */
  readonly httpGet?: string;
  /** A TCP connect passes. */
  readonly tcpSocket?: true;
  /** A command that exits 0 passes. */
  readonly exec?: readonly string[];
  /** Port for `httpGet`/`tcpSocket`. @default the exposed port, else the first port */
  readonly port?: number;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
}

/** The app's probes. */
export interface AppProbes {
  /**
   * @default for an exposed app, HTTP GET of `expose.healthCheckPath` (`/` through an Ingress) on
   * the exposed port (the path the ALB health-checks); none otherwise
   */
  readonly readiness?: AppProbe;
  /** @default none */
  readonly liveness?: AppProbe;
  /** @default none */
  readonly startup?: AppProbe;
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) on CPU utilisation, relative to the requests.
 * It needs the Kubernetes Metrics API (metrics-server) in the cluster.
 */
export interface AppAutoscaling {
  /** @default the app's replicas in the env */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /** Average CPU utilisation (percent of requests) to hold. @default 70 */
  readonly targetCpuPercent?: number;
}

/**
 * How a pod leaves the target group without failed requests (FACTS A5; EKS Best Practices,
 * "Gracefully handle the client requests"): the controller deregisters the pod and the pod
 * receives SIGTERM at the same time, so a preStop delay keeps it serving while the ALB catches up.
 */
export interface AppShutdown {
  /**
   * Delay before SIGTERM while the ALB stops routing to the pod. Field reports: `sleep 25`
   * fixed 502s (aws-load-balancer-controller #1064); 40 s rarely and 70 s never gave 502s (#2106).
   * @default 30
   */
  readonly preStopSeconds?: number;
  /** Time the app needs after SIGTERM to finish in-flight requests and exit. @default 15 */
  readonly drainSeconds?: number;
  /**
   * Must exceed preStop + drain, or the kubelet kills the app mid-drain.
   * @default preStopSeconds + drainSeconds + 15
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * The target group's `deregistration_delay.timeout_seconds`, set by packages/infra: how long the
   * ALB lets in-flight requests of a deregistered target finish. Longer than the pod lives after
   * deregistration is useless (the pod is gone); shorter cuts requests that the pod would finish.
   * @default preStopSeconds + drainSeconds
   */
  readonly deregistrationDelaySeconds?: number;
}

/** What an app's `extend` hook sees: enough to add objects beside the app's own. */
export interface AppExtensionContext {
  readonly env: EnvironmentSpec;
  /** The namespace the app renders into. */
  readonly namespace: string;
  /** Labels that select the app's pods (the Service's selector). */
  readonly selector: Readonly<Record<string, string>>;
  /** The app's Deployment, for JSON patches (`addJsonPatch`) a field of the API does not cover. */
  readonly deployment: k8s.KubeDeployment;
}

/** An application, as `apps/<name>/src/index.ts` default-exports it. */
export interface AppDefinition {
  /** DNS label; also the folder name under `apps/` and, by default, the namespace. */
  readonly name: string;
  /**
   * Container image with a tag or digest, e.g. `public.ecr.aws/nginx/nginx-unprivileged:1.27.3`.
   * `latest` and untagged references are refused: a rollout must be a Git diff.
   */
  readonly image: string;
  /** @default the app's name */
  readonly namespace?: string;
  /** Ports the container listens on. @default none (a worker) */
  readonly ports?: readonly AppPort[];
  /** Entrypoint override. @default the image's ENTRYPOINT */
  readonly command?: readonly string[];
  /** @default the image's CMD */
  readonly args?: readonly string[];
  /**
   * Requests, also used as limits: Fargate sizes the pod from the requests and runs it
   * "guaranteed" (EKS UG, fargate-pod-configuration).
   * @default { cpu: '250m', memory: '256Mi' } (with Fargate's 256 MB: the smallest size, 0.25 vCPU / 0.5 GB)
   */
  readonly resources?: ResourceQuantities;
  /** Environment variables (names sorted in the output). @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** @default see AppProbes */
  readonly probes?: AppProbes;
  /** @default 2 */
  readonly replicas?: number;
  /** Numeric user to run as; the image's USER must otherwise be numeric and not 0. @default the image's USER */
  readonly runAsUser?: number;
  /** Writable emptyDir mounts; the root filesystem is read-only. @default ['/tmp'] */
  readonly writablePaths?: readonly string[];
  /** Present when the app calls AWS APIs. @default no AWS access, no service account token */
  readonly aws?: AwsAccess;
  /**
   * Present when the app takes traffic from an ALB: `{ host, ... }` through a TargetGroupBinding
   * to infra's shared ALB, or `{ via: 'ingress', host, ... }` through an Ingress. @default not exposed
   */
  readonly expose?: AlbExposure | IngressExposure;
  /** @default no HorizontalPodAutoscaler */
  readonly autoscaling?: AppAutoscaling;
  /** @default see AppShutdown */
  readonly shutdown?: AppShutdown;
  /** Escape hatch: adds any cdk8s construct to the app's chart (`gitops/<env>/app-<name>/`). */
  readonly extend?: (chart: Chart, ctx: AppExtensionContext) => void;
}

/** Types an app definition. */
export function defineApp(definition: AppDefinition): AppDefinition {
  return definition;
}
