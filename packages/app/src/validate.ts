import { checkSpec, type AppOverrides, type Component, type EnvironmentSpec } from '@gitops/core';
import { z } from 'zod';
import { isAppComponent } from './app-component';
import { iamPolicyStatementSchema, type AppDefinition, type AppProbe } from './definition';
import { volumeNameOf } from './deployment';
import { isImageTag, parseImage } from './image';
import { resolveApp } from './resolve';
import { appPolicy } from './secrets';
import { secretOverrideProblems, secretsProblems } from './secrets-checks';

/** One thing wrong with an app's definition or an env's overrides for it (the shape synth reports). */
export interface AppProblem {
  readonly env: string;
  readonly component: string;
  /** `apps/<name>/src/index.ts` or `clusters/<env>/env.ts`. */
  readonly file: string;
  /** The field, e.g. `ports[0].port` or `apps.web.imageTag`. */
  readonly parameter: string;
  readonly message: string;
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// IANA service names, as Kubernetes requires of named ports: at most 15 lowercase letters, digits
// and single inner hyphens, with at least one letter.
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-)){0,13}[a-z0-9]?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
// Static keys in a Deployment are what IRSA replaces (DESIGN: every AWS-calling pod uses IRSA).
const AWS_KEY_VARIABLES = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
// Target group attribute deregistration_delay.timeout_seconds accepts 0-3600 (ELBv2 API reference).
const MAX_DEREGISTRATION_DELAY = 3600;
// Namespaces that the platform, Argo CD and Kubernetes own.
const RESERVED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'aws-observability', 'argocd', 'cert-manager', 'external-secrets']);

const DEFINITION_FIELDS = new Set<string>([
  'name', 'image', 'namespace', 'ports', 'command', 'args', 'resources', 'env', 'probes', 'replicas',
  'runAsUser', 'writablePaths', 'aws', 'secrets', 'expose', 'autoscaling', 'shutdown', 'extend',
] satisfies (keyof AppDefinition)[]);
const OVERRIDE_FIELDS = new Set<string>(['replicas', 'imageTag', 'resources', 'env'] satisfies (keyof AppOverrides)[]);

const policyStatementsSchema = z.array(iamPolicyStatementSchema).min(1, { error: 'at least 1 statement (an IRSA role without permissions is refused)' });

const isCount = (n: unknown, min: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min;

function definitionProblems(app: AppDefinition, env: EnvironmentSpec, report: (parameter: string, message: string) => void): void {
  for (const key of Object.keys(app)) if (!DEFINITION_FIELDS.has(key)) report(key, `unknown field; defineApp accepts ${[...DEFINITION_FIELDS].join(', ')}`);
  if (!DNS_LABEL.test(app.name)) report('name', `"${app.name}" is not a DNS label (lowercase letters, digits, "-", at most 63)`);
  const image = parseImage(app.image);
  if (!image.ok) report('image', image.problem);
  const namespace = app.namespace ?? app.name;
  if (app.namespace !== undefined && !DNS_LABEL.test(app.namespace)) report('namespace', `"${app.namespace}" is not a DNS label`);
  if (RESERVED_NAMESPACES.has(namespace)) report('namespace', `"${namespace}" belongs to the platform; an app gets a namespace of its own`);

  const ports = resolveApp(app).ports;
  const seenPorts = new Set<number>();
  const seenNames = new Set<string>();
  ports.forEach(({ port, name }, i) => {
    if (!isCount(port, 1) || port > 65535) report(`ports[${i}].port`, `${port} is outside 1-65535`);
    else if (seenPorts.has(port)) report(`ports[${i}].port`, `port ${port} is listed twice`);
    seenPorts.add(port);
    if (!PORT_NAME.test(name)) report(`ports[${i}].name`, `"${name}" is not a port name (at most 15 lowercase letters, digits and single hyphens, one letter at least)`);
    else if (seenNames.has(name)) report(`ports[${i}].name`, `port name "${name}" is used twice`);
    seenNames.add(name);
  });

  const probe = (field: string, p: AppProbe | undefined) => {
    if (!p) return;
    const actions = [p.httpGet !== undefined, p.tcpSocket !== undefined, p.exec !== undefined].filter(Boolean).length;
    if (actions !== 1) report(`probes.${field}`, 'needs exactly one of httpGet, tcpSocket, exec');
    if (p.httpGet !== undefined && !p.httpGet.startsWith('/')) report(`probes.${field}.httpGet`, `"${p.httpGet}" must start with "/"`);
    if (p.exec !== undefined && p.exec.length === 0) report(`probes.${field}.exec`, 'needs a command');
    if (p.exec === undefined) {
      if (p.port === undefined && ports.length === 0) report(`probes.${field}`, 'an httpGet or tcpSocket probe needs a port, and the app lists none');
      if (p.port !== undefined && !seenPorts.has(p.port)) report(`probes.${field}.port`, `${p.port} is not one of the app's ports`);
    }
    for (const key of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'] as const) {
      const value = p[key];
      const min = key === 'initialDelaySeconds' ? 0 : 1;
      if (value !== undefined && !isCount(value, min)) report(`probes.${field}.${key}`, `${value} is not an integer >= ${min}`);
    }
  };
  probe('readiness', app.probes?.readiness);
  probe('liveness', app.probes?.liveness);
  probe('startup', app.probes?.startup);

  for (const name of Object.keys(app.env ?? {})) envNameProblems(name, `env.${name}`, report);
  if (app.replicas !== undefined && !isCount(app.replicas, 0)) report('replicas', `${app.replicas} is not an integer >= 0`);
  if (app.runAsUser !== undefined && !isCount(app.runAsUser, 1)) report('runAsUser', `${app.runAsUser} is not a non-root user ID (an integer >= 1)`);

  const volumes = new Map<string, string>();
  (app.writablePaths ?? []).forEach((path, i) => {
    if (!path.startsWith('/') || path === '/') report(`writablePaths[${i}]`, `"${path}" must be an absolute path below "/"`);
    const volume = volumeNameOf(path);
    const other = volumes.get(volume);
    if (other !== undefined) report(`writablePaths[${i}]`, `"${path}" and "${other}" would share the volume name "${volume}"`);
    volumes.set(volume, path);
  });

  if (app.aws) {
    // A policy function is checked as each env calls it: its ARNs are that env's, and the
    // statements it returns meet the same schema as a written list.
    const policy = appPolicy(app, env);
    if (typeof app.aws.policy === 'function') {
      for (const issue of checkSpec(policyStatementsSchema, policy)) report(`aws.policy(${env.name})${issue.path.startsWith('[') ? '' : '.'}${issue.path}`, issue.message);
    }
    if (policy.length === 0) report('aws.policy', 'an IRSA role needs at least one statement');
    policy.forEach((statement, i) => {
      if (statement.Action.length === 0) report(`aws.policy[${i}].Action`, 'lists no action');
      if (statement.Resource.length === 0) report(`aws.policy[${i}].Resource`, 'lists no resource');
      if ((statement.Effect ?? 'Allow') === 'Allow' && statement.Action.some((action) => action === '*' || action === '*:*')) {
        report(`aws.policy[${i}].Action`, '"*" allows every AWS action; list the actions the app calls');
      }
    });
  }
  secretsProblems(app, env, report);

  if (app.expose) {
    if (ports.length === 0) report('expose', 'an exposed app needs a port; add one to ports');
    else if (app.expose.port !== undefined && !seenPorts.has(app.expose.port)) report('expose.port', `${app.expose.port} is not one of the app's ports`);
    if (app.expose.healthCheckPath !== undefined && !app.expose.healthCheckPath.startsWith('/')) {
      report('expose.healthCheckPath', `"${app.expose.healthCheckPath}" must start with "/"`);
    }
  }

  if (app.autoscaling) {
    const { minReplicas, maxReplicas, targetCpuPercent } = app.autoscaling;
    if (minReplicas !== undefined && !isCount(minReplicas, 1)) report('autoscaling.minReplicas', `${minReplicas} is not an integer >= 1`);
    if (!isCount(maxReplicas, 1)) report('autoscaling.maxReplicas', `${maxReplicas} is not an integer >= 1`);
    else if (isCount(minReplicas, 1) && maxReplicas < minReplicas) report('autoscaling.maxReplicas', `${maxReplicas} is below minReplicas ${minReplicas}`);
    if (targetCpuPercent !== undefined && !isCount(targetCpuPercent, 1)) report('autoscaling.targetCpuPercent', `${targetCpuPercent} is not an integer >= 1`);
  }

  const shutdown = resolveApp(app).shutdown;
  for (const key of ['preStopSeconds', 'drainSeconds', 'terminationGracePeriodSeconds', 'deregistrationDelaySeconds'] as const) {
    if (!isCount(shutdown[key], 0)) report(`shutdown.${key}`, `${shutdown[key]} is not an integer >= 0`);
  }
  if (shutdown.terminationGracePeriodSeconds <= shutdown.preStopSeconds + shutdown.drainSeconds) {
    report(
      'shutdown.terminationGracePeriodSeconds',
      `${shutdown.terminationGracePeriodSeconds} s must exceed preStop ${shutdown.preStopSeconds} s + drain ${shutdown.drainSeconds} s, or the kubelet kills the app while it drains`,
    );
  }
  if (shutdown.deregistrationDelaySeconds > MAX_DEREGISTRATION_DELAY) {
    report('shutdown.deregistrationDelaySeconds', `${shutdown.deregistrationDelaySeconds} s is over the target group maximum of ${MAX_DEREGISTRATION_DELAY} s`);
  } else if (shutdown.deregistrationDelaySeconds > shutdown.terminationGracePeriodSeconds) {
    report(
      'shutdown.deregistrationDelaySeconds',
      `${shutdown.deregistrationDelaySeconds} s is longer than the pod lives after deregistration (terminationGracePeriodSeconds ${shutdown.terminationGracePeriodSeconds} s); the ALB would wait on a pod that is gone`,
    );
  }
}

function envNameProblems(name: string, field: string, report: (parameter: string, message: string) => void): void {
  if (!ENV_NAME.test(name)) report(field, `"${name}" is not a valid environment variable name`);
  if (AWS_KEY_VARIABLES.has(name)) report(field, `static AWS credentials are refused; give the app an IRSA role with \`aws\``);
}

function overrideProblems(app: AppDefinition, overrides: AppOverrides, report: (parameter: string, message: string) => void): void {
  for (const key of Object.keys(overrides)) if (!OVERRIDE_FIELDS.has(key)) report(key, `unknown override; an env may set ${[...OVERRIDE_FIELDS].join(', ')}`);
  if (overrides.replicas !== undefined && !isCount(overrides.replicas, 0)) report('replicas', `${overrides.replicas} is not an integer >= 0`);
  if (overrides.replicas !== undefined && app.autoscaling?.minReplicas !== undefined) {
    report('replicas', `app ${app.name} autoscales from minReplicas ${app.autoscaling.minReplicas}; a replica count here would be ignored`);
  }
  if (overrides.imageTag !== undefined && !isImageTag(overrides.imageTag)) {
    report('imageTag', `"${overrides.imageTag}" is not an image tag (letters, digits, "_", ".", "-", at most 128)`);
  }
  if (overrides.imageTag === 'latest') report('imageTag', 'pin a version so that a rollout is a Git diff');
  for (const name of Object.keys(overrides.env ?? {})) envNameProblems(name, `env.${name}`, report);
  secretOverrideProblems(app, overrides, report);
}

/**
 * Every problem with the apps an env runs: each definition (reported against its file under
 * `apps/`), the env's overrides for it (against `clusters/<env>/env.ts`), and namespaces that two
 * apps would share (each app's folder owns its Namespace object).
 */
export function appProblems(env: EnvironmentSpec, components: readonly Component[]): AppProblem[] {
  const problems: AppProblem[] = [];
  const namespaces = new Map<string, string>();
  for (const component of components) {
    if (!isAppComponent(component)) continue;
    const { app, overrides } = component;
    const definitionFile = `apps/${app.name}/src/index.ts`;
    definitionProblems(app, env, (parameter, message) => problems.push({ env: env.name, component: component.name, file: definitionFile, parameter, message }));
    overrideProblems(app, overrides, (parameter, message) =>
      problems.push({ env: env.name, component: component.name, file: `clusters/${env.name}/env.ts`, parameter: `apps.${app.name}.${parameter}`, message }),
    );
    const namespace = app.namespace ?? app.name;
    const other = namespaces.get(namespace);
    if (other !== undefined) {
      problems.push({ env: env.name, component: component.name, file: definitionFile, parameter: 'namespace', message: `namespace "${namespace}" is app ${other}'s too; each app needs its own` });
    }
    namespaces.set(namespace, app.name);
  }
  return problems;
}
