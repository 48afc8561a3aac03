import { appPolicy, needsRole, secretReferences, secretsProblems, shutdownTiming, type AppDefinition, type IamPolicyStatement, type SecretReference } from '@gitops/app';
import { checkAwsEnvironment, values } from '@gitops/contract';
import { checkSpec, SynthError, type EnvironmentSpec, type FargateProfileSpec, type Problem } from '@gitops/core';
import type { Workspace } from '@gitops/workspace';
import { planIngress, type IngressPlan } from './ingress-plan';
import { infraSettingsSchema, type InfraSettings } from './settings';

/** The service account the AWS Load Balancer Controller chart renders (named after the release, in kube-system). */
export const loadBalancerControllerServiceAccount = { namespace: 'kube-system', name: 'aws-load-balancer-controller' } as const;

/** A Kubernetes service account, the only identity an IRSA role trusts. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** One `ip` target group of the shared ALB, for one exposed app. */
export interface TargetGroupPlan {
  readonly app: string;
  readonly namespace: string;
  /** The container port (the Service's target port) pods are registered on. */
  readonly port: number;
  readonly healthCheckPath: string;
  readonly deregistrationDelaySeconds: number;
}

/** One listener rule: an app's path, optionally on a host, at a fixed priority. */
export interface ListenerRulePlan {
  readonly app: string;
  /** Stable per app and path (`<app>-<index in expose.paths>`), so adding a rule elsewhere replaces nothing. */
  readonly id: string;
  /** The app's block (`expose.priority`, else derived from its name) × 100 + the path's index: stable per app. */
  readonly priority: number;
  /** @default any host */
  readonly host?: string;
  readonly path: string;
}

/** An IRSA role of an app that declares `aws` or `secrets`. */
export interface AppRolePlan {
  readonly app: string;
  readonly serviceAccount: ServiceAccountRef;
  /** The app's own `aws.policy`, as the env calls it. */
  readonly statements: readonly IamPolicyStatement[];
  /** The app's declared secrets in the env: the role may read exactly these. */
  readonly secrets: readonly SecretReference[];
}

/** Everything the env's stack makes, decided and checked before any construct exists. */
export interface EnvironmentPlan {
  readonly env: EnvironmentSpec;
  readonly settings: InfraSettings;
  readonly targetGroups: readonly TargetGroupPlan[];
  /** In priority order. */
  readonly listenerRules: readonly ListenerRulePlan[];
  readonly appRoles: readonly AppRolePlan[];
  /** Distinct hosts of the listener rules, sorted. */
  readonly hosts: readonly string[];
  /** The hosted zone and hosts of the env's Ingress apps. @default none: no app of the env is exposed through an Ingress */
  readonly ingress?: IngressPlan;
}

// ELBv2 condition values: host-header [A-Za-z0-9-.*?], path-pattern [A-Za-z0-9_-.$/~"'@:+&*?], up to 128 characters each.
const HOST = /^[A-Za-z0-9.*?-]{1,128}$/;
const PATH = /^\/[A-Za-z0-9_\-.$/~"'@:+&*?]{0,127}$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const FARGATE_PROFILE_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const MAX_SELECTORS_PER_PROFILE = 5;
// deregistration_delay.timeout_seconds: 0-3600 (ELBv2 target group attributes).
const MAX_DEREGISTRATION_DELAY = 3600;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function validCidr(cidr: string, maxPrefix: number): boolean {
  const match = CIDR.exec(cidr);
  return !!match && match.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(match[5]) <= maxPrefix;
}

/** `*`/`?` wildcards of a Fargate selector namespace, as a whole-string regular expression. */
export function wildcardPattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Whether a pod with these labels in this namespace matches one of the profile's selectors. */
export function profileSelects(profile: FargateProfileSpec, namespace: string, labels: Readonly<Record<string, string>>): boolean {
  return profile.selectors.some(
    (selector) =>
      wildcardPattern(selector.namespace).test(namespace) &&
      Object.entries(selector.labels ?? {}).every(([key, value]) => labels[key] === value),
  );
}

/**
 * The deployer role's name: fixed, so the hub's roles can be granted `sts:AssumeRole` on it before
 * it exists, and so a hub reading `argocd/deployer-role-arn` finds the same ARN after a redeploy.
 */
export function argocdDeployerRoleName(env: Pick<EnvironmentSpec, 'cluster'>): string {
  return `${env.cluster.name}-argocd-deployer`;
}

/** The service account an app's pods run as: the app's name in the app's namespace. */
export function appServiceAccount(app: AppDefinition): ServiceAccountRef {
  return { namespace: app.namespace ?? app.name, name: app.name };
}

/** The container port the ALB sends an exposed app's traffic to: `expose.port`, else the first port. */
export function exposedPort(app: AppDefinition): number | undefined {
  return app.expose?.port ?? app.ports?.[0]?.port;
}

/** Whether a certificate name (`www.example.com`, `*.example.com`) covers a host. */
export function certificateCovers(name: string, host: string): boolean {
  if (name === host) return true;
  return name.startsWith('*.') && !name.slice(2).includes('*') && host.slice(host.indexOf('.') + 1) === name.slice(2) && !host.slice(0, host.indexOf('.')).includes('*');
}

/** A path's literal prefix length: longer literals are more specific and must be evaluated first. */
/** FNV-1a (32-bit) of the app name into 1-499: a priority block that depends on nothing else. */
export function derivedPriorityBlock(app: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(app)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return (hash % 499) + 1;
}

/** Rules per app: its block holds priorities `block * 100` to `block * 100 + 99`. */
const RULES_PER_BLOCK = 100;

/** Whether one ALB host condition can match a request the other matches (either any-host, equal, or a wildcard covering it). */
function hostsOverlap(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return a === b || glob(a).test(b) || glob(b).test(a);
}

/** Whether two path patterns can match one path: the literal part before the first wildcard of one starts the other's. */
function pathsOverlap(a: string, b: string): boolean {
  const [la, lb] = [a.slice(0, literalPrefix(a)), b.slice(0, literalPrefix(b))];
  const wild = (path: string) => literalPrefix(path) < path.length;
  if (!wild(a) && !wild(b)) return a === b;
  return (wild(b) && la.startsWith(lb)) || (wild(a) && lb.startsWith(la));
}

/** More specific first: a host rule before an any-host one, then the longer literal path. */
const specificity = (rule: { host?: string; path: string }) => (rule.host !== undefined ? 1000 : 0) + literalPrefix(rule.path);

function literalPrefix(path: string): number {
  const wildcard = path.search(/[*?]/);
  return wildcard === -1 ? path.length : wildcard;
}

function checkEnvironment(env: EnvironmentSpec, problems: Problem[]): void {
  const file = `clusters/${env.name}/env.ts`;
  const add = (message: string, parameter?: string) => problems.push({ env: env.name, component: 'infra', file, parameter, message });
  if (!env.account) add('account is missing: set the 12-digit AWS account ID (synth never looks it up)', 'account');
  if (!env.region) add('region is missing: set the AWS region, e.g. ap-northeast-1 (synth never looks it up)', 'region');
  if (env.account && env.region && env.ssmPrefix) for (const message of checkAwsEnvironment(env)) add(message);
  if (!env.ssmPrefix) add('ssmPrefix is missing: every parameter of the env lives under it', 'ssmPrefix');
  if (!env.cluster?.name || !values.eksClusterName.check(env.cluster.name, env).ok) {
    add(`cluster name "${env.cluster?.name}" is not ${values.eksClusterName.describe(env)}`, 'cluster.name');
  }
  if (!/^1\.\d+$/.test(env.cluster?.kubernetesVersion ?? '')) {
    add(`kubernetesVersion "${env.cluster?.kubernetesVersion}" is not of the form 1.<minor>`, 'cluster.kubernetesVersion');
  }

  const profiles = env.fargateProfiles ?? [];
  const names = new Set<string>();
  for (const profile of profiles) {
    const where = `fargateProfiles.${profile.name}`;
    if (!FARGATE_PROFILE_NAME.test(profile.name)) add(`Fargate profile name "${profile.name}" must be 1-100 letters, digits, "-" or "_"`, where);
    if (names.has(profile.name)) add(`two Fargate profiles are named "${profile.name}"`, where);
    names.add(profile.name);
    if (profile.selectors.length === 0 || profile.selectors.length > MAX_SELECTORS_PER_PROFILE) {
      add(`has ${profile.selectors.length} selectors; a Fargate profile takes 1 to ${MAX_SELECTORS_PER_PROFILE} (EKS user guide, fargate-profile)`, where);
    }
  }
  // A Fargate-only cluster has no node for CoreDNS unless a profile selects its pods (EKS user
  // guide, fargate-getting-started: CoreDNS needs a kube-system profile).
  if (!profiles.some((profile) => profileSelects(profile, 'kube-system', { 'k8s-app': 'kube-dns' }))) {
    add('no Fargate profile selects CoreDNS (namespace kube-system, label k8s-app=kube-dns): the cluster would have no DNS', 'fargateProfiles');
  }
}

function checkSettings(env: EnvironmentSpec, settings: InfraSettings, problems: Problem[]): void {
  const file = `packages/infra/src/environments/${env.name}.ts`;
  const add = (parameter: string, message: string) => problems.push({ env: env.name, component: 'infra', file, parameter, message });
  if (!validCidr(settings.vpcCidr, 24)) add('vpcCidr', `"${settings.vpcCidr}" is not an IPv4 CIDR of /24 or larger`);
  for (const zone of env.region ? settings.availabilityZones : []) {
    if (!new RegExp(`^${env.region}[a-z]$`).test(zone)) add('availabilityZones', `"${zone}" is not an Availability Zone of ${env.region}`);
  }
  if (settings.availabilityZones[0] === settings.availabilityZones[1]) add('availabilityZones', 'the two Availability Zones must differ');
  for (const cidr of settings.apiPublicAccessCidrs) {
    if (!validCidr(cidr, 32)) add('apiPublicAccessCidrs', `"${cidr}" is not an IPv4 CIDR`);
  }
  const roleArn = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
  for (const arn of [...settings.clusterAdminRoleArns, ...(settings.argocdHub?.roleArns ?? [])]) {
    if (!roleArn.test(arn)) add('roleArns', `"${arn}" is not an IAM role ARN`);
  }
  const hub = env.argocd?.managedBy;
  if (hub && !settings.argocdHub) {
    add('argocdHub', `env ${env.name} is managed by the Argo CD of ${hub}: name that Argo CD's roles in argocdHub.roleArns, its deployer role trusts them`);
  }
  if (!hub && settings.argocdHub) {
    add('argocdHub', `env ${env.name} runs its own Argo CD (no argocd.managedBy in clusters/${env.name}/env.ts): argocdHub would trust a hub nobody uses`);
  }
  if (settings.argocdHub) {
    const accounts = new Set(settings.argocdHub.roleArns.map((arn) => arn.split(':')[4]));
    if (settings.argocdHub.roleArns.length === 0) add('argocdHub.roleArns', 'hub mode needs at least one role of the hub Argo CD to trust');
    if (accounts.size > 1) add('argocdHub.roleArns', `the hub's roles span accounts ${[...accounts].sort().join(', ')}; one hub Argo CD runs in one account`);
    // IAM role names are at most 64 characters (IAM quotas).
    if (argocdDeployerRoleName(env).length > 64) add('argocdHub', `deployer role name ${argocdDeployerRoleName(env)} exceeds IAM's 64 characters; shorten the cluster name`);
  }
  if ('arn' in settings.certificate) {
    const acm = new RegExp(`^arn:aws[a-z-]*:acm:${env.region}:${env.account}:certificate/[0-9a-f-]{36}$`);
    if (!acm.test(settings.certificate.arn)) {
      add('certificate.arn', `"${settings.certificate.arn}" is not an ACM certificate ARN in ${env.region}/${env.account} (an ALB needs a certificate of its own region)`);
    }
  } else {
    const zone = settings.dns?.zoneName;
    if (!zone) add('certificate.domainName', 'a certificate issued here is validated through DNS: set `dns` to the hosted zone');
    for (const name of [settings.certificate.domainName, ...(settings.certificate.alternativeNames ?? [])]) {
      if (zone && name !== zone && !name.endsWith(`.${zone}`)) add('certificate.domainName', `"${name}" is outside the hosted zone ${zone}`);
    }
  }
}

function checkStatements(app: AppDefinition, statements: readonly IamPolicyStatement[], add: (message: string) => void): void {
  statements.forEach((statement, index) => {
    if (statement.Action.length === 0) add(`aws.policy[${index}] has no Action`);
    if (statement.Resource.length === 0) add(`aws.policy[${index}] has no Resource`);
  });
  if (statements.length === 0) {
    add(`app ${app.name} declares AWS access (aws) with an empty policy: an IRSA role without permissions is refused; add statements or remove \`aws\``);
  }
}

/**
 * Decides what the env's stack makes and checks every input it comes from: the env spec, the
 * infra settings and each app's `aws` and `expose`. Throws one SynthError listing every problem.
 */
export function planEnvironment(env: EnvironmentSpec, workspace: Workspace, settings: InfraSettings | undefined): EnvironmentPlan {
  const problems: Problem[] = [];
  checkEnvironment(env, problems);
  if (!settings) {
    problems.push({
      env: env.name,
      component: 'infra',
      file: `packages/infra/src/environments/${env.name}.ts`,
      message: `no infra settings for env ${env.name}: add packages/infra/src/environments/${env.name}.ts and list it in environments/index.ts`,
    });
    throw new SynthError(problems);
  }
  // The settings' own form first: the checks below read them as the schema describes them.
  const issues = checkSpec(infraSettingsSchema, settings);
  for (const issue of issues) {
    problems.push({ env: env.name, component: 'infra', file: `packages/infra/src/environments/${env.name}.ts`, parameter: issue.path, message: issue.message });
  }
  if (issues.length > 0) throw new SynthError(problems);
  checkSettings(env, settings, problems);

  const targetGroups: TargetGroupPlan[] = [];
  const appRoles: AppRolePlan[] = [];
  const rules: ListenerRulePlan[] = [];
  const blocks = new Map<number, string>();
  const claimedBy = new Map<string, string>();

  for (const name of Object.keys(env.apps).sort(byText)) {
    const app = workspace.apps.get(name);
    const file = `apps/${name}/src/index.ts`;
    const add = (message: string) => problems.push({ env: env.name, component: `app-${name}`, file, message });
    if (!app) {
      add(`env ${env.name} lists app "${name}", but apps/${name}/ does not define it`);
      continue;
    }
    if (needsRole(app)) {
      let statements: readonly IamPolicyStatement[] = [];
      try {
        statements = appPolicy(app, env);
      } catch (error) {
        add(`aws.policy: the policy function threw for env ${env.name}: ${(error as Error).message}`);
      }
      if (app.aws) checkStatements(app, statements, add);
      // The same checks synth runs: a name AWS would refuse must not reach CloudFormation either.
      secretsProblems(app, env, (parameter, message) => problems.push({ env: env.name, component: `app-${name}`, file, parameter, message }));
      appRoles.push({ app: name, serviceAccount: appServiceAccount(app), statements, secrets: secretReferences(app, env) });
    }
    if (!app.expose || app.expose.via === 'ingress') continue;

    const port = exposedPort(app);
    if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
      add(`expose: no container port to send traffic to (set expose.port or ports); got ${port}`);
    }
    const healthCheckPath = app.expose.healthCheckPath ?? '/';
    if (!/^\/\S{0,1023}$/.test(healthCheckPath)) add(`expose.healthCheckPath "${healthCheckPath}" must start with "/" (at most 1024 characters)`);
    const timing = shutdownTiming(app);
    const delay = timing.deregistrationDelaySeconds;
    if (!Number.isInteger(delay) || delay < 0 || delay > MAX_DEREGISTRATION_DELAY) {
      add(`shutdown.deregistrationDelaySeconds ${delay} is outside the 0-${MAX_DEREGISTRATION_DELAY} s a target group accepts`);
    } else if (delay > timing.terminationGracePeriodSeconds) {
      add(
        `shutdown.deregistrationDelaySeconds ${delay} exceeds terminationGracePeriodSeconds ${timing.terminationGracePeriodSeconds}: ` +
          'the ALB would keep waiting on a pod that is already gone',
      );
    }
    targetGroups.push({ app: name, namespace: appServiceAccount(app).namespace, port: port ?? 0, healthCheckPath, deregistrationDelaySeconds: delay });

    const hostSetting = settings.appHosts?.[name] ?? app.expose.host;
    const host = hostSetting?.toLowerCase();
    if (host !== undefined && !HOST.test(host)) add(`host "${hostSetting}" is not a valid ALB host-header value`);
    const paths = app.expose.paths ?? ['/*'];
    if (paths.length === 0) add('expose.paths is empty: the app would get a target group but no traffic');
    if (paths.length > RULES_PER_BLOCK) add(`expose.paths lists ${paths.length} paths; an app's priority block holds ${RULES_PER_BLOCK}`);
    const block = app.expose.priority ?? derivedPriorityBlock(name);
    const holder = blocks.get(block);
    if (holder !== undefined) {
      add(
        `listener-rule priority block ${block} (${app.expose.priority === undefined ? 'derived from the name' : 'expose.priority'}) is app ${holder}'s too: ` +
          `set expose.priority to a free block from 1 to 499 in apps/${name}/src/index.ts`,
      );
    }
    blocks.set(block, name);
    for (const [index, path] of paths.entries()) {
      if (!PATH.test(path)) {
        add(`path "${path}" is not a valid ALB path pattern (starts with "/", at most 128 of A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & * ?)`);
        continue;
      }
      const claim = `${host ?? '*'} ${path}`;
      const previous = claimedBy.get(claim);
      if (previous === name) add(`lists path "${path}" twice`);
      else if (previous !== undefined) {
        add(`claims host ${host ?? '(any)'} path ${path}, which app ${previous} also claims: one listener rule can forward to only one of them`);
      } else {
        claimedBy.set(claim, name);
        const id = `${name}-${index}`;
        const priority = block * RULES_PER_BLOCK + index;
        rules.push(host === undefined ? { app: name, id, priority, path } : { app: name, id, priority, host, path });
      }
    }
  }
  for (const name of Object.keys(settings.appHosts ?? {})) {
    if (!workspace.apps.get(name)?.expose || !(name in env.apps)) {
      problems.push({
        env: env.name,
        component: 'infra',
        file: `packages/infra/src/environments/${env.name}.ts`,
        parameter: `appHosts.${name}`,
        message: `app ${name} is not an exposed app of env ${env.name}`,
      });
    }
  }
  const ingress = planIngress(env, workspace, settings, new Set(rules.flatMap((rule) => (rule.host ? [rule.host] : []))), problems);
  if (problems.length > 0) throw new SynthError(problems);

  // Priorities are stable per app (its block, then the index in its paths), so adding or removing
  // an app changes no other app's rule: CloudFormation would otherwise renumber live rules and
  // fail with PriorityInUse. The ALB evaluates rules from the lowest priority up, so wherever two
  // rules can match one request the more specific one (host before any host, then the longer
  // literal path) must have the lower priority; the app that breaks that is told to move.
  for (const a of rules) {
    for (const b of rules) {
      if (a === b || !(specificity(a) > specificity(b)) || a.priority < b.priority) continue;
      if (!hostsOverlap(a.host, b.host) || !pathsOverlap(a.path, b.path)) continue;
      problems.push({
        env: env.name,
        component: `app-${a.app}`,
        file: `apps/${a.app}/src/index.ts`,
        parameter: a.app === b.app ? 'expose.paths' : 'expose.priority',
        message:
          `rule ${a.host ?? '(any host)'} ${a.path} (priority ${a.priority}) would never match what rule ${b.host ?? '(any host)'} ${b.path} ` +
          `of app ${b.app} (priority ${b.priority}) matches first: ` +
          (a.app === b.app ? 'list the more specific path first' : `set expose.priority below ${Math.floor(b.priority / RULES_PER_BLOCK)}`),
      });
    }
  }
  if (problems.length > 0) throw new SynthError(problems);
  const listenerRules = [...rules].sort((a, b) => a.priority - b.priority);
  const hosts = [...new Set(listenerRules.flatMap((rule) => (rule.host ? [rule.host] : [])))].sort(byText);
  if (!('arn' in settings.certificate)) {
    const names = [settings.certificate.domainName, ...(settings.certificate.alternativeNames ?? [])];
    for (const host of hosts.filter((host) => !names.some((name) => certificateCovers(name, host)))) {
      problems.push({
        env: env.name,
        component: 'infra',
        file: `packages/infra/src/environments/${env.name}.ts`,
        parameter: 'certificate',
        message: `host ${host} is not covered by the certificate (${names.join(', ')}): HTTPS clients would reject it; add it, or set appHosts.<app>`,
      });
    }
    if (problems.length > 0) throw new SynthError(problems);
  }
  return { env, settings, targetGroups, listenerRules, appRoles, hosts, ...(ingress ? { ingress } : {}) };
}
