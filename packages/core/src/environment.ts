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
  /**
   * For an app exposed through an Ingress (`expose.via: 'ingress'`): its host in this env, e.g.
   * `admin.dev.example.com`, inside the env's hosted zone. A target-group app's per-env host is
   * infra's (`appHosts` in packages/infra/src/environments/<env>.ts), because infra owns its ALB.
   * @default the app's own `expose.host`
   */
  readonly expose?: { readonly host?: string };
}

/** One ALB that the AWS Load Balancer Controller makes from the Ingresses of an IngressGroup. */
export interface IngressGroupSpec {
  /**
   * `internal` (private subnets, reachable from the VPC and what is peered with it) or
   * `internet-facing` (public subnets). An app may state the scheme it needs (`expose.scheme`),
   * and synth refuses it in a group of another scheme.
   */
  readonly scheme: 'internal' | 'internet-facing';
}

/**
 * The env's Ingress-made ALBs: one IngressClass `alb-<group>` with its IngressClassParams per
 * group an app of the env joins, and ExternalDNS writing the records of their hosts.
 * Certificate, WAF web ACL, subnets and hosted zone come from SSM (packages/infra writes them).
 */
export interface IngressSpec {
  /**
   * ALB groups by name. A name is an IngressGroup name: lower-case letters, digits, "-" and ".",
   * starting and ending with a letter or digit, at most 63 characters (controller docs,
   * `group.name`).
   */
  readonly groups: Readonly<Record<string, IngressGroupSpec>>;
  /**
   * ExternalDNS `--policy`: `upsert-only` creates and updates records but never deletes one, so a
   * wrongly removed Ingress cannot take a name offline; `sync` also deletes the records of removed
   * Ingresses (its TXT ownership records keep it to records it made).
   * @default 'upsert-only'
   */
  readonly dnsPolicy?: 'upsert-only' | 'sync';
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
  /** `[FILTER]` sections after the kubernetes filter, e.g. a grep dropping health-check lines. @default none */
  readonly extraFilters?: readonly FluentBitParameters[];
  /** `[PARSER]` sections, written to `parsers.conf` for a `parser` filter to use. @default none (no parsers.conf) */
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
  /** ALBs made from Ingresses, for apps with `expose.via: 'ingress'`. @default none (every exposed app uses the shared ALB) */
  readonly ingress?: IngressSpec;
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
