import { checkSpec, type AppOverrides, type Component, type EnvironmentSpec } from '@gitops/core';
import { z } from 'zod';
import { isAppComponent, type AppComponent } from './app-component';
import { iamPolicyStatementSchema, type AppDefinition, type AppProbe } from './definition';
import { volumeNameOf } from './deployment';
import { parseImage } from './image';
import { ingressProblems } from './ingress-checks';
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

// Static keys in a Deployment are what IRSA replaces (DESIGN: every AWS-calling pod uses IRSA).
const AWS_KEY_VARIABLES = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
// Namespaces that the platform, Argo CD and Kubernetes own.
const RESERVED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'aws-observability', 'argocd', 'cert-manager', 'external-secrets']);

const policyStatementsSchema = z.array(iamPolicyStatementSchema).min(1, { error: 'at least 1 statement (an IRSA role without permissions is refused)' });

/**
 * What no single field's schema can see (the forms and ranges of each field are checked by
 * appDefinitionSchema and appOverridesSchema when the modules load): fields that must agree with
 * each other, names the platform owns, and what a policy function returns in this env.
 */
function definitionProblems(app: AppDefinition, env: EnvironmentSpec, report: (parameter: string, message: string) => void): void {
  const namespace = app.namespace ?? app.name;
  if (RESERVED_NAMESPACES.has(namespace)) report('namespace', `"${namespace}" belongs to the platform; an app gets a namespace of its own`);

  const ports = resolveApp(app).ports;
  const seenPorts = new Set<number>();
  const seenNames = new Set<string>();
  ports.forEach(({ port, name }, i) => {
    if (seenPorts.has(port)) report(`ports[${i}].port`, `port ${port} is listed twice`);
    seenPorts.add(port);
    if (seenNames.has(name)) report(`ports[${i}].name`, `port name "${name}" is used twice`);
    seenNames.add(name);
  });

  const probe = (field: string, p: AppProbe | undefined) => {
    if (!p) return;
    const actions = [p.httpGet !== undefined, p.tcpSocket !== undefined, p.exec !== undefined].filter(Boolean).length;
    if (actions !== 1) report(`probes.${field}`, 'needs exactly one of httpGet, tcpSocket, exec');
    if (p.exec === undefined) {
      if (p.port === undefined && ports.length === 0) report(`probes.${field}`, 'an httpGet or tcpSocket probe needs a port, and the app lists none');
      if (p.port !== undefined && !seenPorts.has(p.port)) report(`probes.${field}.port`, `${p.port} is not one of the app's ports`);
    }
  };
  probe('readiness', app.probes?.readiness);
  probe('liveness', app.probes?.liveness);
  probe('startup', app.probes?.startup);

  for (const name of Object.keys(app.env ?? {})) envNameProblems(name, `env.${name}`, report);

  const volumes = new Map<string, string>();
  (app.writablePaths ?? []).forEach((path, i) => {
    const volume = volumeNameOf(path);
    const other = volumes.get(volume);
    if (other !== undefined) report(`writablePaths[${i}]`, `"${path}" and "${other}" would share the volume name "${volume}"`);
    volumes.set(volume, path);
  });

  if (app.aws) {
    // A policy function is checked as each env calls it: its ARNs are that env's, and the
    // statements it returns meet the same schema as a written list (which the module load checks).
    let policy: ReturnType<typeof appPolicy> = [];
    let valid = true;
    try {
      policy = appPolicy(app, env);
    } catch (error) {
      report(`aws.policy(${env.name})`, `the policy function threw: ${(error as Error).message}`);
      valid = false;
    }
    if (valid && typeof app.aws.policy === 'function') {
      const issues = checkSpec(policyStatementsSchema, policy);
      for (const issue of issues) report(`aws.policy(${env.name})${issue.path.startsWith('[') ? '' : '.'}${issue.path}`, issue.message);
      valid = issues.length === 0;
    }
    if (valid) {
      policy.forEach((statement, i) => {
        if ((statement.Effect ?? 'Allow') === 'Allow' && statement.Action.some((action) => action === '*' || action === '*:*')) {
          report(`aws.policy[${i}].Action`, '"*" allows every AWS action; list the actions the app calls');
        }
      });
    }
  }
  secretsProblems(app, env, report);

  if (app.expose) {
    if (ports.length === 0) report('expose', 'an exposed app needs a port; add one to ports');
    else if (app.expose.port !== undefined && !seenPorts.has(app.expose.port)) report('expose.port', `${app.expose.port} is not one of the app's ports`);
  }

  if (app.autoscaling) {
    const { minReplicas, maxReplicas } = app.autoscaling;
    if (minReplicas !== undefined && maxReplicas < minReplicas) report('autoscaling.maxReplicas', `${maxReplicas} is below minReplicas ${minReplicas}`);
  }

  const shutdown = resolveApp(app).shutdown;
  if (shutdown.terminationGracePeriodSeconds <= shutdown.preStopSeconds + shutdown.drainSeconds) {
    report(
      'shutdown.terminationGracePeriodSeconds',
      `${shutdown.terminationGracePeriodSeconds} s must exceed preStop ${shutdown.preStopSeconds} s + drain ${shutdown.drainSeconds} s, or the kubelet kills the app while it drains`,
    );
  }
  if (shutdown.deregistrationDelaySeconds > shutdown.terminationGracePeriodSeconds) {
    report(
      'shutdown.deregistrationDelaySeconds',
      `${shutdown.deregistrationDelaySeconds} s is longer than the pod lives after deregistration (terminationGracePeriodSeconds ${shutdown.terminationGracePeriodSeconds} s); the ALB would wait on a pod that is gone`,
    );
  }
}

function envNameProblems(name: string, field: string, report: (parameter: string, message: string) => void): void {
  if (AWS_KEY_VARIABLES.has(name)) report(field, `static AWS credentials are refused; give the app an IRSA role with \`aws\``);
}

function overrideProblems(app: AppDefinition, overrides: AppOverrides, report: (parameter: string, message: string) => void): void {
  if (overrides.replicas !== undefined && app.autoscaling?.minReplicas !== undefined) {
    report('replicas', `app ${app.name} autoscales from minReplicas ${app.autoscaling.minReplicas}; a replica count here would be ignored`);
  }
  imagePinProblems(app, overrides, report);
  for (const name of Object.keys(overrides.env ?? {})) envNameProblems(name, `env.${name}`, report);
  secretOverrideProblems(app, overrides, report);
}

/**
 * An `imageTag` alone must not replace the pin of an app pinned by digest: the env's pin replaces
 * the app's tag and digest together, so the digest would be gone from the rendered image without
 * anyone having removed it. (The digest's own form is checked by appOverridesSchema.)
 */
function imagePinProblems(app: AppDefinition, overrides: AppOverrides, report: (parameter: string, message: string) => void): void {
  if (overrides.imageTag === undefined || overrides.imageDigest !== undefined) return;
  const image = parseImage(app.image);
  if (image.ok && image.image.digest) {
    report('imageTag', `app ${app.name}'s image is pinned by digest ${image.image.digest}, which a tag alone would drop; set imageDigest too (or instead)`);
  }
}

// Variables of the API server's Service, which the kubelet gives every container even with
// enableServiceLinks false (kubelet getServiceEnvVarMap), so `$(NAME)` of one of them expands.
const SERVICE_VARIABLES = new Set([
  'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', 'KUBERNETES_SERVICE_PORT_HTTPS', 'KUBERNETES_PORT',
  'KUBERNETES_PORT_443_TCP', 'KUBERNETES_PORT_443_TCP_PROTO', 'KUBERNETES_PORT_443_TCP_PORT', 'KUBERNETES_PORT_443_TCP_ADDR',
]);

/**
 * The names a value refers to with `$(NAME)`, read as the kubelet reads them
 * (third_party/forked/golang/expansion): `$$` is a literal `$`, so `$$(NAME)` is no reference,
 * and a `$(` with no `)` after it is literal text.
 */
export function envReferences(value: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < value.length - 1; i++) {
    if (value[i] !== '$') continue;
    const close = value[i + 1] === '(' ? value.indexOf(')', i + 2) : -1;
    if (close === -1) {
      i++;
      continue;
    }
    names.push(value.slice(i + 2, close));
    i = close;
  }
  return names;
}

/**
 * Every `$(NAME)` in the app's variables as the env renders them must name a variable listed
 * before it: the kubelet expands only those, and leaves any other reference as literal text.
 * A variable's problem is reported in the file its value comes from.
 */
function envReferenceProblems(
  app: AppDefinition,
  overrides: AppOverrides,
  files: { readonly definition: string; readonly env: string },
  report: (file: string, parameter: string, message: string) => void,
): void {
  const resolved = resolveApp(app, overrides);
  const env = resolved.env;
  // The app's secrets come before every plain value in the container (deployment.ts).
  const position = new Map<string, number>([...resolved.secretVariables.map((name): [string, number] => [name, -1]), ...env.map(([name], index): [string, number] => [name, index])]);
  const fromEnv = (name: string) => Object.hasOwn(overrides.env ?? {}, name);
  env.forEach(([name, value], index) => {
    for (const target of new Set(envReferences(value))) {
      const at = position.get(target);
      if (at === undefined && SERVICE_VARIABLES.has(target)) continue;
      if (at !== undefined && at < index) continue;
      const fix = at === index ? 'Remove the reference' : `${at === undefined ? 'Define' : 'List'} ${target} before ${name}`;
      const defined = at === undefined
        ? `${target}, which no variable of app ${app.name} defines`
        : at === index
          ? `${name} itself`
          : `${target}, which comes after ${name}${fromEnv(target) !== fromEnv(name) ? ` (in ${fromEnv(target) ? files.env : files.definition})` : ''}`;
      report(
        fromEnv(name) ? files.env : files.definition,
        fromEnv(name) ? `apps.${app.name}.env.${name}` : `env.${name}`,
        `"$(${target})" refers to ${defined}; Kubernetes expands $(NAME) only from variables listed before, so the pod would ` +
          `see the literal text. ${fix}, or write $$(${target}) for the literal text`,
      );
    }
  });
}

/**
 * Every problem of one app in an env, which depends on that app alone: its definition (reported
 * against its file under `apps/`), the env's overrides for it (against `clusters/<env>/env.ts`),
 * and the variable references of the two together.
 */
export function appDefinitionProblems(env: EnvironmentSpec, component: AppComponent): AppProblem[] {
  const problems: AppProblem[] = [];
  const { app, overrides } = component;
  const definitionFile = `apps/${app.name}/src/index.ts`;
  definitionProblems(app, env, (parameter, message) => problems.push({ env: env.name, component: component.name, file: definitionFile, parameter, message }));
  const envFile = `clusters/${env.name}/env.ts`;
  overrideProblems(app, overrides, (parameter, message) =>
    problems.push({ env: env.name, component: component.name, file: envFile, parameter: `apps.${app.name}.${parameter}`, message }),
  );
  envReferenceProblems(app, overrides, { definition: definitionFile, env: envFile }, (file, parameter, message) =>
    problems.push({ env: env.name, component: component.name, file, parameter, message }),
  );
  return problems;
}

/**
 * The problems of an env's apps taken together: a namespace two apps would share (each app's
 * folder owns its Namespace object), and the Ingress apps' groups, hosts and paths.
 */
export function appSetProblems(env: EnvironmentSpec, components: readonly Component[]): AppProblem[] {
  const problems: AppProblem[] = [];
  const namespaces = new Map<string, string>();
  for (const component of components) {
    if (!isAppComponent(component)) continue;
    const { app } = component;
    const namespace = app.namespace ?? app.name;
    const other = namespaces.get(namespace);
    if (other !== undefined) {
      problems.push({ env: env.name, component: component.name, file: `apps/${app.name}/src/index.ts`, parameter: 'namespace', message: `namespace "${namespace}" is app ${other}'s too; each app needs its own` });
    }
    namespaces.set(namespace, app.name);
  }
  problems.push(...ingressProblems(env, components));
  return problems;
}

/** Every problem with the apps an env runs: each app's own, in component order, then those of the apps together. */
export function appProblems(env: EnvironmentSpec, components: readonly Component[]): AppProblem[] {
  return [...components.filter(isAppComponent).flatMap((component) => appDefinitionProblems(env, component)), ...appSetProblems(env, components)];
}
