import type { AwsEnvironment } from '@gitops/contract';

/** A Fargate profile selector: a namespace (wildcards `*` and `?` allowed) and optional labels. */
export interface FargateSelector {
  readonly namespace: string;
  /** All of these must match the pod's labels. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Fargate profile of the env's cluster. packages/infra creates exactly these, and synth
 * refuses to render pods into a namespace none of them selects (such a pod stays Pending).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html
 */
export interface FargateProfileSpec {
  readonly name: string;
  /** At most 5 selectors per profile. */
  readonly selectors: readonly FargateSelector[];
}

/** CPU and memory as Kubernetes quantities, e.g. `{ cpu: '250m', memory: '512Mi' }`. */
export interface ResourceQuantities {
  readonly cpu: string;
  readonly memory: string;
}

/** What an environment may change about an app; everything else comes from `apps/<name>/`. */
export interface AppOverrides {
  /** @default the app's own replicas */
  readonly replicas?: number;
  /** Image tag to run in this env. @default the app's own tag */
  readonly imageTag?: string;
  /** @default the app's own resources */
  readonly resources?: ResourceQuantities;
  /** Extra environment variables, added to (and overriding) the app's own. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The parameters of one Fluent Bit section, in order, as `Key value` lines; a key that repeats
 * (a grep filter's `Exclude`, a modify filter's `Rule`) takes a list.
 */
export type FluentBitParameters = Readonly<Record<string, string | readonly string[]>>;

/**
 * What an env chooses about Fargate's built-in Fluent Bit log router (the `aws-logging`
 * ConfigMap). The CloudWatch Logs output itself (region, log group from SSM) is fixed; synth
 * rejects anything Fargate would refuse before it is written.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-logging.html
 */
export interface FargateLoggingSpec {
  /** Prefix of every CloudWatch log stream name. @default `<env name>-` */
  readonly logStreamPrefix?: string;
  /** Send Fluent Bit's own process logs to the log group `<cluster>-fluent-bit-logs` (`flb_log_cw`). @default false */
  readonly fluentBitProcessLogs?: boolean;
  /**
   * `[FILTER]` sections between the CRI parser and the kubernetes filter, where `log` holds each
   * line's message text, JSON or not: the place for a grep on `log` (dropping health-check lines).
   * After the kubernetes filter a JSON line's `log` is replaced by its fields and such a grep misses it.
   * @default none
   */
  readonly lineFilters?: readonly FluentBitParameters[];
  /** `[FILTER]` sections after the kubernetes filter, which see the pod's metadata. @default none */
  readonly extraFilters?: readonly FluentBitParameters[];
  /** `[PARSER]` sections added to `parsers.conf` (after the CRI parser synth always writes). @default none */
  readonly parsers?: readonly FluentBitParameters[];
}

/** Where Argo CD finds this repository, and which Argo CD manages the env. */
export interface ArgoCdSettings {
  readonly repoURL: string;
  readonly targetRevision: string;
  /**
   * The env whose Argo CD (the hub) delivers this env (a spoke): the hub registers this cluster
   * with a declarative cluster Secret (awsAuthConfig with this env's deployer role, no stored
   * credential) and syncs this env's Applications from its own `argocd` namespace.
   * @default none: the env runs its own Argo CD, which manages it as `in-cluster`
   */
  readonly managedBy?: string;
}

/** One environment: one EKS cluster, rendered into `gitops/<name>/`. */
export interface EnvironmentSpec extends AwsEnvironment {
  readonly cluster: {
    /** EKS cluster name; must equal the `cluster/name` SSM parameter. */
    readonly name: string;
    /** Kubernetes minor version, e.g. `1.33`; decides which API features are used. */
    readonly kubernetesVersion: string;
  };
  readonly argocd: ArgoCdSettings;
  readonly fargateProfiles: readonly FargateProfileSpec[];
  /** The apps this env runs (names of `apps/<name>/`), each with its overrides. */
  readonly apps: Readonly<Record<string, AppOverrides>>;
  /** Fargate pod logging (the aws-logging ConfigMap). @default every FargateLoggingSpec default */
  readonly logging?: FargateLoggingSpec;
}

/** Types an environment spec; `clusters/<env>/env.ts` default-exports its result. */
export function defineEnvironment(spec: EnvironmentSpec): EnvironmentSpec {
  return spec;
}

/** `1.33` → 33; for feature gates that depend on the env's Kubernetes minor version. */
export function kubernetesMinor(env: Pick<EnvironmentSpec, 'cluster'>): number {
  const match = /^1\.(\d+)$/.exec(env.cluster.kubernetesVersion);
  if (!match) throw new Error(`kubernetesVersion "${env.cluster.kubernetesVersion}" is not of the form 1.<minor>`);
  return Number(match[1]);
}
