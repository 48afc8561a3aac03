import {
  dnsLabel,
  ENV_VAR_NAME,
  environmentVariablesSchema,
  INGRESS_SCHEMES,
  ingressGroupName,
  ingressHost,
  integer,
  INT32_MAX,
  patterned,
  replicaCount,
  resourceQuantitiesSchema,
  type DeepReadonly,
  type EnvironmentSpec,
  type SpecOf,
} from '@gitops/core';
import type { Chart } from 'cdk8s';
import type { k8s } from 'cdk8s-plus-29';
import { z } from 'zod';
import { parseImage } from './image';

// The app definition (`apps/<name>/src/index.ts`) as a schema: its TypeScript type is inferred
// from it, and synth checks every app module against it when it loads. Every object is strict,
// so a misspelt field (`healthcheckPath`) is refused, never ignored. A new field is one line in
// the shape it belongs to. Checks across fields (a probe's port among the app's ports, shutdown
// timings that fit together) are in validate.ts.

// Kubernetes stores these as int32; the bounds below are what makes sense inside that.
const port = (what = 'a port') => integer(1, 65535, what);
// Probe timings: Kubernetes int32 seconds; an hour is already longer than any rollout should wait.
const seconds = (min: number, max: number) => integer(min, max, 'seconds');
// IANA service names, as Kubernetes requires of named ports: at most 15 lowercase letters, digits
// and single inner hyphens, with at least one letter.
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-)){0,13}[a-z0-9]?$/;
// ELBv2 condition values: host-header [A-Za-z0-9-.*?], path-pattern [A-Za-z0-9_-.$/~"'@:+&*?], up to 128 characters each.
const ALB_HOST = /^[A-Za-z0-9.*?-]{1,128}$/;
const ALB_PATH = /^\/[A-Za-z0-9_\-.$/~"'@:+&*?]{0,127}$/;
// A target group health check path: "/" and at most 1024 characters (ELBv2 CreateTargetGroup).
const HEALTH_CHECK_PATH = /^\/\S{0,1023}$/;
const HTTP_PATH = /^\/\S*$/;
// An Ingress Prefix path: "/" and URL path characters the controller can turn into ALB path
// patterns (A-Z a-z 0-9 _ - . $ / ~ " ' @ : + &, ELBv2 path-pattern condition); "*" and "?"
// would be literal in a Prefix path but wildcards to the ALB.
const PREFIX_PATH = /^\/[A-Za-z0-9_\-.$/~"'@:+&]{0,126}$/;
// "Asking for both ways": a field of the other way, refused with the reason (one way per env).
const otherWay = (field: string, way: string) =>
  z.undefined({ error: `nothing: ${field} belongs to ${way}, and an app is exposed one way per env` }).optional();
const ABSOLUTE_PATH = /^\/[^\0]+$/;
// IAM action names `service:Action` (wildcards allowed), and `*`.
const IAM_ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;
const IAM_RESOURCE = /^(\*|arn:[^\s]+)$/;

const nonEmptyStrings = (expected: string) => z.array(z.string({ error: expected }).min(1, { error: expected }));

/**
 * One IAM policy statement of an app's IRSA role, in IAM JSON form. packages/infra attaches
 * these to the role it creates for the app; the generator only annotates the service account.
 */
export const iamPolicyStatementSchema = z.strictObject({
  /** @default 'Allow' */
  Effect: z.enum(['Allow', 'Deny'], { error: 'exactly "Allow" or "Deny"' }).optional(),
  Action: z.array(patterned(IAM_ACTION, 'an IAM action like "s3:GetObject"')).min(1, { error: 'at least 1 action' }),
  Resource: z.array(patterned(IAM_RESOURCE, 'an ARN or "*"')).min(1, { error: 'at least 1 resource' }),
  Condition: z.record(z.string().min(1), z.record(z.string().min(1), z.union([z.string(), z.array(z.string())]))).optional(),
});

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
export type AwsPolicyFunction = (aws: AwsArns) => readonly DeepReadonly<z.input<typeof iamPolicyStatementSchema>>[];
export const awsAccessSchema = z.strictObject({
  /**
   * What the role may do; at least one statement (an IRSA role with no policy is refused). A
   * function of the env builds exact ARNs for each env's account and region (`aws.arn(...)`);
   * validate.ts checks what it returns for each env against the statement schema.
   */
  policy: z.union([
    z.array(iamPolicyStatementSchema).min(1, { error: 'at least 1 statement (an IRSA role without permissions is refused)' }),
    z.custom<AwsPolicyFunction>((value) => typeof value === 'function', { error: 'a list of statements or a function (aws) => statements' }),
  ]),
});

/**
 * Where one secret value lives in AWS: exactly one of `secretsManager` and `parameter`. Names are
 * relative to the app and resolve per env (see `secretReferences`), so an app can only ever name
 * its own secrets, and each env reads its own. validate.ts checks each name as it resolves.
 */
export const appSecretSourceSchema = z.strictObject({
  /**
   * A Secrets Manager secret: `orders-db` is the secret `<cluster name>/<app>/orders-db` of each
   * env. packages/infra creates it empty; a person puts the value.
   */
  secretsManager: z.string({ error: 'a Secrets Manager secret name relative to the app' }).min(1, { error: 'a secret name' }).optional(),
  /**
   * An SSM Parameter Store SecureString: `api/key` is `/<cluster name>/<app>/api/key` of each env.
   * A person creates it (CloudFormation cannot create SecureString parameters).
   */
  parameter: z.string({ error: 'a parameter path relative to the app' }).min(1, { error: 'a parameter path' }).optional(),
  /** The JSON property to read, for a value such as `{"username":"…","password":"…"}`. @default the whole value */
  key: z.string({ error: 'a JSON property name' }).trim().min(1, { error: 'a JSON property name' }).optional(),
  /**
   * Encrypted with the app's own customer managed KMS key (created by packages/infra, alias
   * `alias/<cluster name>/<app>/secrets`) rather than the AWS managed key; the app's role may then
   * decrypt with that key, and only through Secrets Manager or SSM. @default false
   */
  customerKey: z.boolean({ error: 'true or false' }).optional(),
});

/**
 * Environment variables read from AWS at run time, by variable name. The name is both an
 * environment variable and a key of the app's Secret, which Kubernetes allows from the same set.
 */
export const appSecretsSchema = z.record(
  patterned(ENV_VAR_NAME, 'an environment variable name (letters, digits, "_", "-", ".", not starting with a digit)'),
  appSecretSourceSchema,
);

/**
 * An app served by the shared ALB that packages/infra owns: infra makes an `ip` target group and
 * a listener rule for it, and the generator binds the app's pods to that target group.
 */
export const albExposureSchema = z.strictObject({
  /** The way the app is exposed: a TargetGroupBinding to infra's shared ALB. @default 'target-group' */
  via: z.literal('target-group').optional(),
  /** Container port the ALB sends traffic to. @default the app's first port */
  port: port().optional(),
  /** Host header the listener rule matches, e.g. `api.example.com`. @default any host */
  host: patterned(ALB_HOST, 'an ALB host-header value like api.example.com (letters, digits, ".", "-", "*", "?")').optional(),
  /** Path patterns the listener rule matches. @default ['/*'] */
  paths: z.array(patterned(ALB_PATH, 'an ALB path pattern starting with "/" (at most 128 characters)')).min(1, { error: 'at least 1 path' }).optional(),
  /** Path the target group health-checks. @default '/' */
  healthCheckPath: patterned(HEALTH_CHECK_PATH, 'a path starting with "/" (at most 1024 characters)').optional(),
  /**
   * The app's block of ALB listener-rule priorities, 1-499: its rules get `priority * 100 + i`
   * for the i-th of `paths`, so adding or removing another app never renumbers this one's rules.
   * Set it only when infra reports a clash (two apps in one block, or a catch-all that would
   * shadow another app's more specific rule).
   * @default derived from the app's name (FNV-1a hash, 1-499)
   */
  priority: integer(1, 499, 'a listener-rule priority block').optional(),
  group: otherWay('group', "the Ingress way (via: 'ingress')"),
  scheme: otherWay('scheme', "the Ingress way (via: 'ingress')"),
});

/**
 * An app served by an ALB that the AWS Load Balancer Controller makes from the app's Ingress. The
 * ALB's settings (scheme, certificate, WAF web ACL, subnets, `ip` targets, HTTPS redirect, tags)
 * belong to the env's IngressClass for `group`, not to the Ingress, and ExternalDNS writes the
 * host's DNS record. The ALB health-checks the path of the app's readiness probe.
 */
export const ingressExposureSchema = z.strictObject({
  via: z.literal('ingress'),
  /**
   * Host the Ingress rule matches, inside the env's hosted zone, e.g. `admin.example.com`; an env
   * sets its own with `apps.<name>.expose.host` in `clusters/<env>/env.ts`.
   */
  host: ingressHost(),
  /** Path prefixes (pathType Prefix: `/admin` also matches `/admin/users`). @default ['/'] */
  paths: z
    .array(patterned(PREFIX_PATH, 'a path prefix starting with "/" (at most 127 of A-Z a-z 0-9 _ - . $ / ~ " \' @ : + &; no wildcards)'))
    .min(1, { error: 'at least 1 path' })
    .refine((paths) => new Set(paths).size === paths.length, { error: 'each path once' })
    .optional(),
  /** Container port the ALB sends traffic to. @default the app's first port */
  port: port().optional(),
  /** The env's ALB group (`ingress.groups` in `clusters/<env>/env.ts`) the app joins. @default 'internal' */
  group: ingressGroupName().optional(),
  /**
   * The scheme the app needs; synth refuses to place it in a group of another scheme, so an
   * env change cannot make an internal tool internet-facing. @default any scheme
   */
  scheme: z.enum(INGRESS_SCHEMES, { error: "'internal' or 'internet-facing'" }).optional(),
  /** Through an Ingress the ALB health-checks the readiness probe's path (probes.readiness.httpGet). */
  healthCheckPath: otherWay('healthCheckPath', "the target-group way (an Ingress health-checks the readiness probe's path, probes.readiness.httpGet)"),
  priority: otherWay('priority', "the target-group way (listener-rule priorities of infra's shared ALB)"),
});

/** A port the app's container listens on; each one is also a port of the app's Service. */
export const appPortSchema = z.strictObject({
  /** 1-65535. */
  port: port(),
  /** IANA-style port name (at most 15 characters). @default `http` for the first port, `port-<port>` after it */
  name: patterned(PORT_NAME, 'a port name (at most 15 lowercase letters, digits and single hyphens, one letter at least)').optional(),
});

/**
 * A probe of the app's container: exactly one of `httpGet`, `tcpSocket`, `exec`.
 * @see https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
 */
export const appProbeSchema = z.strictObject({
  /** HTTP GET of this path; a 2xx or 3xx answer passes. */
  httpGet: patterned(HTTP_PATH, 'a path starting with "/"').optional(),
  /** A TCP connect passes. */
  tcpSocket: z.literal(true, { error: 'true' }).optional(),
  /** A command that exits 0 passes. */
  exec: nonEmptyStrings('a command word').min(1, { error: 'a command' }).optional(),
  /** Port for `httpGet`/`tcpSocket`. @default the exposed port, else the first port */
  port: port().optional(),
  /** @default 0 */
  initialDelaySeconds: seconds(0, 3600).optional(),
  /** @default 10 */
  periodSeconds: seconds(1, 3600).optional(),
  /** @default 1 */
  timeoutSeconds: seconds(1, 3600).optional(),
  /** @default 3 */
  failureThreshold: integer(1, 100, 'failures').optional(),
});

/** The app's probes. */
export const appProbesSchema = z.strictObject({
  /**
   * @default for an exposed app, HTTP GET of `expose.healthCheckPath` (`/` through an Ingress) on
   * the exposed port (the path the ALB health-checks); none otherwise
   */
  readiness: appProbeSchema.optional(),
  /** @default none */
  liveness: appProbeSchema.optional(),
  /** @default none */
  startup: appProbeSchema.optional(),
});

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) on CPU utilisation, relative to the requests.
 * It needs the Kubernetes Metrics API (metrics-server) in the cluster.
 */
export const appAutoscalingSchema = z.strictObject({
  /** @default the app's replicas in the env */
  minReplicas: integer(1, 500, 'replicas').optional(),
  maxReplicas: integer(1, 500, 'replicas'),
  /** Average CPU utilisation (percent of requests) to hold. @default 70 */
  targetCpuPercent: integer(1, 100, 'percent').optional(),
});

/**
 * How a pod leaves the target group without failed requests (FACTS A5; EKS Best Practices,
 * "Gracefully handle the client requests"): the controller deregisters the pod and the pod
 * receives SIGTERM at the same time, so a preStop delay keeps it serving while the ALB catches up.
 */
export const appShutdownSchema = z.strictObject({
  /**
   * Delay before SIGTERM while the ALB stops routing to the pod. Field reports: `sleep 25`
   * fixed 502s (aws-load-balancer-controller #1064); 40 s rarely and 70 s never gave 502s (#2106).
   * @default 30
   */
  preStopSeconds: seconds(0, 3600).optional(),
  /** Time the app needs after SIGTERM to finish in-flight requests and exit. @default 15 */
  drainSeconds: seconds(0, 3600).optional(),
  /**
   * Must exceed preStop + drain, or the kubelet kills the app mid-drain.
   * @default preStopSeconds + drainSeconds + 15
   */
  terminationGracePeriodSeconds: seconds(1, 7200).optional(),
  /**
   * The target group's `deregistration_delay.timeout_seconds` (0-3600, ELBv2), set by
   * packages/infra: how long the ALB lets in-flight requests of a deregistered target finish.
   * Longer than the pod lives after deregistration is useless (the pod is gone); shorter cuts
   * requests that the pod would finish.
   * @default preStopSeconds + drainSeconds
   */
  deregistrationDelaySeconds: seconds(0, 3600).optional(),
});

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

type ExtendHook = (chart: Chart, ctx: AppExtensionContext) => void;

/** An application, as `apps/<name>/src/index.ts` default-exports it. */
export const appDefinitionSchema = z.strictObject({
  /** DNS label; also the folder name under `apps/` and, by default, the namespace. */
  name: dnsLabel(),
  /**
   * Container image with a tag or digest, e.g. `public.ecr.aws/nginx/nginx-unprivileged:1.27.3`.
   * `latest` and untagged references are refused: a rollout must be a Git diff.
   */
  image: z.string({ error: 'an image reference with a tag or digest' }).check((ctx) => {
    const parsed = parseImage(ctx.value);
    if (!parsed.ok) ctx.issues.push({ code: 'custom', input: ctx.value, message: parsed.expected });
  }),
  /** @default the app's name */
  namespace: dnsLabel().optional(),
  /** Ports the container listens on. @default none (a worker) */
  ports: z.array(appPortSchema).optional(),
  /** Entrypoint override. @default the image's ENTRYPOINT */
  command: nonEmptyStrings('a command word').min(1, { error: 'a command' }).optional(),
  /** @default the image's CMD */
  args: z.array(z.string({ error: 'a string' })).optional(),
  /**
   * Requests, also used as limits: Fargate sizes the pod from the requests and runs it
   * "guaranteed" (EKS UG, fargate-pod-configuration).
   * @default { cpu: '250m', memory: '256Mi' } (with Fargate's 256 MB: the smallest size, 0.25 vCPU / 0.5 GB)
   */
  resources: resourceQuantitiesSchema.optional(),
  /**
   * Environment variables, rendered in the order written. A value may use `$(NAME)` for a
   * variable listed before it (Kubernetes expands only earlier ones; synth refuses any other
   * reference), and `$$(NAME)` for the literal text `$(NAME)`.
   * @default none
   */
  env: environmentVariablesSchema.optional(),
  /** @default see AppProbes */
  probes: appProbesSchema.optional(),
  /** @default 2 */
  replicas: replicaCount().optional(),
  /** Numeric user to run as (Linux UIDs are 32-bit; kept within int32); the image's USER must otherwise be numeric and not 0. @default the image's USER */
  runAsUser: integer(1, INT32_MAX, 'a non-root user ID').optional(),
  /** Writable emptyDir mounts; the root filesystem is read-only. @default ['/tmp'] */
  writablePaths: z.array(patterned(ABSOLUTE_PATH, 'an absolute path below "/"').refine((path) => path !== '/', { error: 'a path below "/"' })).optional(),
  /** Present when the app calls AWS APIs (IRSA; needs no Kubernetes API token). @default no AWS access */
  aws: awsAccessSchema.optional(),
  /**
   * Environment variables read from AWS Secrets Manager or SSM Parameter Store at run time, by
   * variable name: External Secrets Operator, authenticating as the app's own service account
   * (its IRSA role may read exactly these), writes them to the Secret `<app>-secrets`, and the
   * container reads each with `secretKeyRef`. No value is ever in Git or read by synth.
   * @example { DB_PASSWORD: { secretsManager: 'orders-db', key: 'password' }, API_KEY: { parameter: 'api/key' } }
   * @default none
   */
  secrets: appSecretsSchema.optional(),
  /**
   * Mount a Kubernetes API token: only for an app that calls the Kubernetes API itself. IRSA does
   * not need it (the pod identity webhook projects its own token).
   * @default false
   */
  serviceAccountToken: z.boolean({ error: 'true or false' }).optional(),
  /**
   * Present when the app takes traffic from an ALB: `{ host, ... }` through a TargetGroupBinding
   * to infra's shared ALB, or `{ via: 'ingress', host, ... }` through an Ingress. @default not exposed
   */
  expose: z
    .discriminatedUnion('via', [albExposureSchema, ingressExposureSchema], { error: "via: 'target-group' (or no via, the shared ALB) or 'ingress'" })
    .optional(),
  /** @default no HorizontalPodAutoscaler */
  autoscaling: appAutoscalingSchema.optional(),
  /** @default see AppShutdown */
  shutdown: appShutdownSchema.optional(),
  /** Escape hatch: adds any cdk8s construct to the app's chart (`gitops/<env>/app-<name>/`). */
  extend: z.custom<ExtendHook>((value) => typeof value === 'function', { error: 'a function (chart, ctx) => void' }).optional(),
});

export type AppDefinition = SpecOf<typeof appDefinitionSchema>;
export type IamPolicyStatement = SpecOf<typeof iamPolicyStatementSchema>;
export type AwsAccess = SpecOf<typeof awsAccessSchema>;
export type AppSecretSource = SpecOf<typeof appSecretSourceSchema>;
export type AlbExposure = SpecOf<typeof albExposureSchema>;
export type IngressExposure = SpecOf<typeof ingressExposureSchema>;
export type AppPort = SpecOf<typeof appPortSchema>;
export type AppProbe = SpecOf<typeof appProbeSchema>;
export type AppProbes = SpecOf<typeof appProbesSchema>;
export type AppAutoscaling = SpecOf<typeof appAutoscalingSchema>;
export type AppShutdown = SpecOf<typeof appShutdownSchema>;

/** Types an app definition; synth checks it against `appDefinitionSchema` when it loads. */
export function defineApp(definition: AppDefinition): AppDefinition {
  return definition;
}
