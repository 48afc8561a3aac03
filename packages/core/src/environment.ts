import { checkParameterName } from '@gitops/contract';
import { z } from 'zod';
import { integer, patterned, type SpecOf } from './spec';

// The environment spec (`clusters/<env>/env.ts`, with what `clusters/shared.ts` supplies) as a
// schema: its TypeScript type is inferred from it, and synth checks every env module against it
// when it loads. Every object is strict, so a misspelt field is refused, never ignored. A new
// field is one line in the shape it belongs to.

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_LABEL_TEXT = 'a DNS label (lowercase letters, digits and "-", at most 63, starting and ending with a letter or digit)';

/**
 * The Kubernetes minor versions the project renders for. 1.29 is the floor because every object
 * is checked against the 1.29 API (packages/schemas); the list ends at the newest version the
 * renderers' version gates (the native preStop `sleep` from 1.30) were written against.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35'] as const;

// EKS CreateCluster and CreateFargateProfile: names of 1-100 letters, digits, "-" and "_", starting with a letter or digit.
const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
// EKS Fargate profile limits (EKS user guide, fargate-profile; Service Quotas "Fargate profiles per cluster").
export const MAX_SELECTORS_PER_PROFILE = 5;
export const MAX_FARGATE_PROFILES = 10;
// A Fargate selector namespace: a namespace name, with the wildcards "*" and "?".
const SELECTOR_NAMESPACE = /^[a-z0-9*?]([a-z0-9*?-]{0,61}[a-z0-9*?])?$/;
// Kubernetes label keys (an optional DNS-subdomain prefix and "/", then a name of at most 63) and values.
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(|[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
// CloudWatch Logs log stream names: at most 512 characters, no ":" and no "*" (CreateLogStream).
const LOG_STREAM_PREFIX = /^[^:*\s]{1,500}$/;
// A Fluent Bit classic-config key, and a value that stays on its line and has no ${...} (Fargate refuses those).
const FLUENT_BIT_KEY = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;
const FLUENT_BIT_VALUE = /^(?!.*\$\{)[^\n\r]+$/;
// An SSM parameter path: "/", then the characters SSM allows in names, not ending in "/".
const SSM_PREFIX = /^\/[A-Za-z0-9_.\-/]*[A-Za-z0-9_.-]$/;
// A repository URL Argo CD can clone, with its scheme.
const REPO_URL = /^(https:\/\/|ssh:\/\/)[^\s/]+\/\S+$/;
// A Git tag, branch or commit: no spaces, none of Git's refname-forbidden characters.
const GIT_REVISION = /^(?!.*\.\.)(?!\/)(?!.*\/$)[^\s~^:?*[\\]{1,255}$/;
// A Kubernetes quantity: a decimal number and an optional binary or decimal suffix (resource.Quantity).
const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;
// Container image tags (OCI distribution spec): at most 128 of letters, digits, "_", ".", "-", not starting with "." or "-".
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
// OCI image spec, "Digests": the registered algorithms and their encodings (lowercase hex).
const IMAGE_DIGEST = /^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;
// Environment variable names Kubernetes accepts (C_IDENTIFIER relaxed: letters, digits, "_", "-", ".").
export const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export const dnsLabel = () => patterned(DNS_LABEL, DNS_LABEL_TEXT);

// IngressGroup names: lower-case alphanumerics, "-" and ".", alphanumeric at both ends, at most 63
// characters (aws-load-balancer-controller docs, annotations.md, group.name).
const INGRESS_GROUP = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;
// An Ingress host and its DNS record: lower-case DNS labels, at least two, no wildcard (ExternalDNS
// would write a wildcard record for the whole zone).
const INGRESS_HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
export const ingressGroupName = () =>
  patterned(INGRESS_GROUP, 'an ALB group name (lower-case letters, digits, "-" and ".", a letter or digit at both ends, at most 63)');
export const ingressHost = () => patterned(INGRESS_HOST, 'a host name (lower-case DNS labels, at least two, no wildcard)');
export const INGRESS_SCHEMES = ['internal', 'internet-facing'] as const;
const quantity = (what: string) => patterned(QUANTITY, `a Kubernetes quantity for ${what}, e.g. ${what === 'cpu' ? '"250m" or "1"' : '"512Mi" or "2Gi"'}`);

/** Replicas of a Deployment: an int32 in Kubernetes, and more than a few hundred Fargate pods of one app is a typo. */
export const replicaCount = () => integer(0, 500, 'replicas');

/** CPU and memory as Kubernetes quantities, e.g. `{ cpu: '250m', memory: '512Mi' }`; both are required. */
export const resourceQuantitiesSchema = z.strictObject({
  cpu: quantity('cpu'),
  memory: quantity('memory'),
});

/** Environment variables: names Kubernetes accepts, string values. */
export const environmentVariablesSchema = z.record(
  patterned(ENV_VAR_NAME, 'an environment variable name (letters, digits, "_", "-", ".", not starting with a digit)'),
  z.string({ error: 'a string (quote numbers and booleans: "3", "true")' }),
);

/** What an environment may change about an app; everything else comes from `apps/<name>/`. */
export const appOverridesSchema = z.strictObject({
  /** @default the app's own replicas */
  replicas: replicaCount().optional(),
  /**
   * Image tag to run in this env. With it, the env pins the image itself: the app's tag and
   * digest are both replaced, so an app pinned by digest needs `imageDigest` here too.
   * @default the app's own tag
   */
  imageTag: patterned(IMAGE_TAG, 'an image tag (at most 128 letters, digits, "_", "." and "-")')
    .refine((tag) => tag !== 'latest', { error: 'a pinned tag, not "latest" (a rollout must be a Git diff)' })
    .optional(),
  /**
   * Image digest to run in this env, alone or with `imageTag` (`<image>:<imageTag>@<imageDigest>`);
   * it replaces the app's tag and digest. @default the app's own digest
   */
  imageDigest: patterned(IMAGE_DIGEST, 'an image digest ("sha256:" and 64 lowercase hex digits, or "sha512:" and 128)').optional(),
  /** @default the app's own resources */
  resources: resourceQuantitiesSchema.optional(),
  /**
   * Extra environment variables: one the app already has is replaced where it stands, a new one
   * is appended after the app's own, in the order written here.
   */
  env: environmentVariablesSchema.optional(),
  /**
   * For an app exposed through an Ingress (`expose.via: 'ingress'`): its host in this env, e.g.
   * `admin.dev.example.com`, inside the env's hosted zone. A target-group app's per-env host is
   * infra's (`appHosts` in packages/infra/src/environments/<env>.ts), because infra owns its ALB.
   * @default the app's own `expose.host`
   */
  expose: z.strictObject({ host: ingressHost() }).optional(),
});

/** A Fargate profile selector: a namespace (wildcards `*` and `?` allowed) and optional labels. */
export const fargateSelectorSchema = z.strictObject({
  namespace: patterned(SELECTOR_NAMESPACE, 'a namespace name, with wildcards "*" and "?" allowed'),
  /** All of these must match the pod's labels; at most 5 (EKS CreateFargateProfile). @default none */
  labels: z
    .record(patterned(LABEL_KEY, 'a Kubernetes label key'), patterned(LABEL_VALUE, 'a Kubernetes label value (at most 63 letters, digits, "-", "_", ".")'))
    .refine((labels) => Object.keys(labels).length <= 5, { error: 'at most 5 labels per selector' })
    .optional(),
});

/**
 * A Fargate profile of the env's cluster. packages/infra creates exactly these, and synth
 * refuses to render pods into a namespace none of them selects (such a pod stays Pending).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html
 */
export const fargateProfileSchema = z.strictObject({
  name: patterned(EKS_NAME, 'a Fargate profile name (1-100 letters, digits, "-" and "_")'),
  selectors: z
    .array(fargateSelectorSchema, { error: 'a list of selectors' })
    .min(1, { error: 'at least 1 selector' })
    .max(MAX_SELECTORS_PER_PROFILE, { error: `at most ${MAX_SELECTORS_PER_PROFILE} selectors per profile (EKS Fargate limit)` }),
});

/**
 * The parameters of one Fluent Bit section, in order, as `Key value` lines; a key that repeats
 * (a grep filter's `Exclude`, a modify filter's `Rule`) takes a list.
 */
export const fluentBitParametersSchema = z.record(
  patterned(FLUENT_BIT_KEY, 'a Fluent Bit key (letters, digits, "_", ".")'),
  z.union(
    [
      patterned(FLUENT_BIT_VALUE, 'a one-line value without ${...}'),
      z.array(patterned(FLUENT_BIT_VALUE, 'a one-line value without ${...}')).min(1),
    ],
    { error: 'a one-line string without ${...}, or a list of them' },
  ),
);

/**
 * What an env chooses about Fargate's built-in Fluent Bit log router (the `aws-logging`
 * ConfigMap). The CloudWatch Logs output itself (region, log group from SSM) is fixed; synth
 * rejects anything Fargate would refuse before it is written.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-logging.html
 */
export const fargateLoggingSchema = z.strictObject({
  /** Prefix of every CloudWatch log stream name. @default `<env name>-` */
  logStreamPrefix: patterned(LOG_STREAM_PREFIX, 'a CloudWatch log stream prefix (no ":", "*" or spaces, at most 500 characters)').optional(),
  /** Send Fluent Bit's own process logs to the log group `<cluster>-fluent-bit-logs` (`flb_log_cw`). @default false */
  fluentBitProcessLogs: z.boolean({ error: 'true or false' }).optional(),
  /**
   * `[FILTER]` sections between the CRI parser and the kubernetes filter, where `log` holds each
   * line's message text, JSON or not: the place for a grep on `log` (dropping health-check lines).
   * After the kubernetes filter a JSON line's `log` is replaced by its fields and such a grep misses it.
   * @default none
   */
  lineFilters: z.array(fluentBitParametersSchema).optional(),
  /** `[FILTER]` sections after the kubernetes filter, which see the pod's metadata. @default none */
  extraFilters: z.array(fluentBitParametersSchema).optional(),
  /** `[PARSER]` sections added to `parsers.conf` (after the CRI parser synth always writes). @default none */
  parsers: z.array(fluentBitParametersSchema).optional(),
});

/** Where Argo CD finds this repository, and which Argo CD manages the env. */
export const argoCdSettingsSchema = z.strictObject({
  repoURL: patterned(REPO_URL, 'a repository URL with its scheme, e.g. https://github.com/org/repo.git or ssh://git@host/org/repo.git'),
  targetRevision: patterned(GIT_REVISION, 'a Git branch, tag or commit'),
  /**
   * The env whose Argo CD (the hub) delivers this env (a spoke): the hub registers this cluster
   * with a declarative cluster Secret (awsAuthConfig with this env's deployer role, no stored
   * credential) and syncs this env's Applications from its own `argocd` namespace.
   * @default none: the env runs its own Argo CD, which manages it as `in-cluster`
   */
  managedBy: dnsLabel().optional(),
});

/** One ALB that the AWS Load Balancer Controller makes from the Ingresses of an IngressGroup. */
export const ingressGroupSchema = z.strictObject({
  /**
   * `internal` (private subnets, reachable from the VPC and what is peered with it) or
   * `internet-facing` (public subnets). An app may state the scheme it needs (`expose.scheme`),
   * and synth refuses it in a group of another scheme.
   */
  scheme: z.enum(INGRESS_SCHEMES, { error: "'internal' or 'internet-facing'" }),
});

/**
 * The env's Ingress-made ALBs: one IngressClass `alb-<group>` with its IngressClassParams per
 * group an app of the env joins, and ExternalDNS writing the records of their hosts.
 * Certificate, WAF web ACL, subnets and hosted zone come from SSM (packages/infra writes them).
 */
export const ingressSpecSchema = z.strictObject({
  /** ALB groups by IngressGroup name. */
  groups: z.record(ingressGroupName(), ingressGroupSchema),
  /**
   * ExternalDNS `--policy`: `upsert-only` creates and updates records but never deletes one, so a
   * wrongly removed Ingress cannot take a name offline; `sync` also deletes the records of removed
   * Ingresses (its TXT ownership records keep it to records it made).
   * @default 'upsert-only'
   */
  dnsPolicy: z.enum(['upsert-only', 'sync'], { error: "an ExternalDNS policy: 'upsert-only' or 'sync'" }).optional(),
});

/** One environment: one EKS cluster, rendered into `gitops/<name>/`. */
export const environmentSpecSchema = z
  .strictObject({
    /** Environment name; equals its folder under `clusters/`. */
    name: dnsLabel(),
    /** 12-digit AWS account ID. */
    account: patterned(/^\d{12}$/, 'a 12-digit AWS account ID, quoted'),
    /** AWS region, e.g. `ap-northeast-1`. */
    region: patterned(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'an AWS region name like ap-northeast-1'),
    /** SSM path every parameter of this environment lives under, e.g. `/fargate-gitops/dev`. */
    ssmPrefix: patterned(SSM_PREFIX, 'an SSM path like /fargate-gitops/dev (starting with "/", not ending with "/")'),
    cluster: z.strictObject({
      /** EKS cluster name; must equal the `cluster/name` SSM parameter. */
      name: patterned(EKS_NAME, 'an EKS cluster name (1-100 letters, digits, "-" and "_")'),
      /** Kubernetes minor version, e.g. `'1.33'` (quoted: 1.30 unquoted is the number 1.3); decides which API features are used. */
      kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS, {
        error: `a quoted Kubernetes version the project supports: ${SUPPORTED_KUBERNETES_VERSIONS.map((v) => `'${v}'`).join(', ')} (unquoted, 1.30 is the number 1.3)`,
      }),
    }),
    argocd: argoCdSettingsSchema,
    fargateProfiles: z
      .array(fargateProfileSchema)
      .min(1, { error: 'at least 1 Fargate profile (a Fargate-only cluster runs nothing without one)' })
      .max(MAX_FARGATE_PROFILES, { error: `at most ${MAX_FARGATE_PROFILES} Fargate profiles per cluster (EKS quota)` }),
    /** The apps this env runs (names of `apps/<name>/`), each with its overrides. */
    apps: z.record(dnsLabel(), appOverridesSchema),
    /** Fargate pod logging (the aws-logging ConfigMap). @default every FargateLoggingSpec default */
    logging: fargateLoggingSchema.optional(),
    /** ALBs made from Ingresses, for apps with `expose.via: 'ingress'`. @default none (every exposed app uses the shared ALB) */
    ingress: ingressSpecSchema.optional(),
  })
  .superRefine((env, ctx) => {
    const seen = new Map<string, number>();
    env.fargateProfiles.forEach((profile, index) => {
      // Refinements also run when a field inside failed a check of its form; names that are not strings are reported already.
      if (typeof profile?.name !== 'string') return;
      const first = seen.get(profile.name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['fargateProfiles', index, 'name'], input: profile.name, message: `a name no other profile has (fargateProfiles[${first}] is also "${profile.name}")` });
      }
      seen.set(profile.name, index);
    });
    // SSM's own name rules (reserved "aws"/"ssm" starts, depth, length with the ARN), once the prefix has the form above.
    if (SSM_PREFIX.test(env.ssmPrefix)) {
      for (const message of checkParameterName(env.ssmPrefix, env)) ctx.addIssue({ code: 'custom', path: ['ssmPrefix'], input: env.ssmPrefix, message: `an SSM path: ${message}` });
    }
  });

export type EnvironmentSpec = SpecOf<typeof environmentSpecSchema>;
export type AppOverrides = SpecOf<typeof appOverridesSchema>;
export type ResourceQuantities = SpecOf<typeof resourceQuantitiesSchema>;
export type FargateSelector = SpecOf<typeof fargateSelectorSchema>;
export type FargateProfileSpec = SpecOf<typeof fargateProfileSchema>;
export type FluentBitParameters = SpecOf<typeof fluentBitParametersSchema>;
export type FargateLoggingSpec = SpecOf<typeof fargateLoggingSchema>;
export type ArgoCdSettings = SpecOf<typeof argoCdSettingsSchema>;
export type IngressGroupSpec = SpecOf<typeof ingressGroupSchema>;
export type IngressSpec = SpecOf<typeof ingressSpecSchema>;

/** Types an environment spec; `clusters/<env>/env.ts` default-exports its result. Synth checks it against `environmentSpecSchema`. */
export function defineEnvironment(spec: EnvironmentSpec): EnvironmentSpec {
  return spec;
}

/** `1.33` → 33; for feature gates that depend on the env's Kubernetes minor version. */
export function kubernetesMinor(env: Pick<EnvironmentSpec, 'cluster'>): number {
  const match = /^1\.(\d+)$/.exec(env.cluster.kubernetesVersion);
  if (!match) throw new Error(`kubernetesVersion "${env.cluster.kubernetesVersion}" is not of the form 1.<minor>`);
  return Number(match[1]);
}
