import { checkSpec, type AppOverrides, type Component, type EnvironmentSpec } from '@gitops/core';
import { z } from 'zod';
import { isAppComponent } from './app-component';
import { iamPolicyStatementSchema, type AppDefinition, type AppProbe } from './definition';
import { volumeNameOf } from './deployment';
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
