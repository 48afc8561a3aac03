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

/**
 * The env an app's IAM policy is written for: its partition, account and region, and ARNs built
 * from them, so a policy names exact resources of the env instead of `*` for account and region.
 */
export interface AwsArns {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  /**
   * `arn:<partition>:<service>:<region>:<account>:<resource>`, e.g. `arn('dynamodb', 'table/orders')`.
   * With `global`, region and account are left empty, as services with global names write them
   * (`arn('s3', 'bucket/key', { global: true })` is `arn:aws:s3:::bucket/key`).
   */
  arn(service: string, resource: string, options?: { readonly global?: boolean }): string;
}

/** An app that calls AWS: it gets an IRSA role (made by packages/infra) trusting its service account. */
export interface AwsAccess {
  /**
   * What the role may do; at least one statement (an IRSA role with no policy is refused). A
   * function of the env builds exact ARNs for each env's account and region (`aws.arn(...)`).
   */
  readonly policy: readonly IamPolicyStatement[] | ((aws: AwsArns) => readonly IamPolicyStatement[]);
}

/**
 * Where one secret value lives in AWS: exactly one of `secretsManager` and `parameter`. Names are
 * relative to the app and resolve per env (see `secretReferences`), so an app can only ever name
 * its own secrets, and each env reads its own.
 */
export interface AppSecretSource {
  /**
   * A Secrets Manager secret: `orders-db` is the secret `<cluster name>/<app>/orders-db` of each
   * env. packages/infra creates it empty; a person puts the value.
   */
  readonly secretsManager?: string;
  /**
   * An SSM Parameter Store SecureString: `api/key` is `/<cluster name>/<app>/api/key` of each env.
   * A person creates it (CloudFormation cannot create SecureString parameters).
   */
  readonly parameter?: string;
  /** The JSON property to read, for a value such as `{"username":"…","password":"…"}`. @default the whole value */
  readonly key?: string;
  /**
   * Encrypted with the app's own customer managed KMS key (created by packages/infra, alias
   * `alias/<cluster name>/<app>/secrets`) rather than the AWS managed key; the app's role may then
   * decrypt with that key, and only through Secrets Manager or SSM. @default false
   */
  readonly customerKey?: boolean;
}

/**
 * An app served by the shared ALB that packages/infra owns: infra makes an `ip` target group and
 * a listener rule for it, and the generator binds the app's pods to that target group.
 */
export interface AlbExposure {
  /** Container port the ALB sends traffic to. @default the app's first port */
  readonly port?: number;
  /** Host header the listener rule matches, e.g. `api.example.com`. @default any host */
  readonly host?: string;
  /** Path patterns the listener rule matches. @default ['/*'] */
  readonly paths?: readonly string[];
  /** Path the target group health-checks. @default '/' */
  readonly healthCheckPath?: string;
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
   * @default for an exposed app, HTTP GET of `expose.healthCheckPath` on the exposed port (the
   * path the ALB health-checks); none otherwise
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
   * Environment variables read from AWS Secrets Manager or SSM Parameter Store at run time, by
   * variable name: External Secrets Operator, authenticating as the app's own service account
   * (its IRSA role may read exactly these), writes them to the Secret `<app>-secrets`, and the
   * container reads each with `secretKeyRef`. No value is ever in Git or read by synth.
   * @example { DB_PASSWORD: { secretsManager: 'orders-db', key: 'password' }, API_KEY: { parameter: 'api/key' } }
   * @default none
   */
  readonly secrets?: Readonly<Record<string, AppSecretSource>>;
  /** Present when the app is served by the shared ALB. @default not exposed */
  readonly expose?: AlbExposure;
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
