import { parameters, type ParameterDefinition } from '@gitops/contract';
import { kubernetesMinor, type AppOverrides, type Component } from '@gitops/core';
import type { AppDefinition } from './definition';
import { AppDeployment } from './deployment';
import { AppExternalSecret } from './external-secret';
import { AppHorizontalPodAutoscaler } from './horizontal-pod-autoscaler';
import { AppIngress, hostInZone, isIngressExposure, resolveIngress } from './ingress';
import { AppNamespace, READINESS_GATE_LABEL } from './namespace';
import { AppPodDisruptionBudget } from './pod-disruption-budget';
import { AppRenderProblems } from './render-problems';
import { resolveApp } from './resolve';
import { AppSecretStore, SecretStoreTokenAccess } from './secret-store';
import { appSecretName, hasSecrets, needsRole, secretReferences } from './secrets';
import { AppService } from './service';
import { AppServiceAccount } from './service-account';
import { AppTargetGroupBinding } from './target-group-binding';

/**
 * Sync wave of every app's Argo CD Application in the root app-of-apps: after the platform's
 * (all negative), as the load balancer controller must be running first. Its webhooks default a
 * TargetGroupBinding and inject readiness gates into pods; a pod created while they are down gets
 * no gate, as the pod webhook fails open (failurePolicy Ignore after v2.11, pod_readiness_gate.md).
 */
export const APP_SYNC_WAVE = 0;

/**
 * Sync wave, inside the app's folder, of the objects that create pods (Deployment, and the
 * autoscaler that scales it). The controller injects a pod's readiness gate only when the pod is
 * created, and only if a TargetGroupBinding for a Service selecting it already exists
 * (pod_readiness_gate.md, FACTS A5). The Namespace, Service and binding sync in wave 0, so they
 * exist before the first pod; Argo CD prunes in reverse, so the pods go before their binding.
 */
export const POD_SYNC_WAVE = '1';

/**
 * Sync waves inside the folder of an app with `secrets`. Argo CD waits for each wave to be healthy
 * before the next. A SecretStore is healthy once ESO could authenticate as the app's service
 * account (wave 0 brings the account and the token Role), an ExternalSecret once it wrote the
 * Secret (Argo CD's built-in `external-secrets.io/ExternalSecret` health check: condition Ready
 * True is Healthy, False is Degraded), and only then do the pods start; an ExternalSecret applied
 * with its store would be Degraded until the store is ready, which fails the sync.
 */
export const SECRET_STORE_SYNC_WAVE = '1';
export const EXTERNAL_SECRET_SYNC_WAVE = '2';
export const SECRET_POD_SYNC_WAVE = '3';

/** An app's component: the app, and the env's overrides for it, kept for the app check. */
export interface AppComponent extends Component {
  readonly app: AppDefinition;
  readonly overrides: AppOverrides;
}

const appComponents = new WeakSet<Component>();

/** Whether a component is an app's (rendered by `appComponent`). */
export function isAppComponent(component: Component): component is AppComponent {
  return appComponents.has(component);
}

/** The component folder an app renders into: `gitops/<env>/app-<name>/`. */
export function appComponent(app: AppDefinition, overrides: AppOverrides = {}): AppComponent {
  const namespace = app.namespace ?? app.name;
  const declared: ParameterDefinition[] = [];
  if (needsRole(app)) declared.push(parameters.appRoleArn(app.name));
  if (isIngressExposure(app.expose)) declared.push(parameters.dnsZoneName);
  else if (app.expose) declared.push(parameters.appTargetGroupArn(app.name), parameters.vpcId, parameters.albSecurityGroupId);

  const component: AppComponent = {
    name: `app-${app.name}`,
    app,
    overrides,
    parameters: declared,
    delivery: { syncWave: APP_SYNC_WAVE, namespace },
    render(chart, ctx) {
      const resolved = resolveApp(app, overrides);
      const labels = { ...resolved.selector };
      const meta = { name: app.name, namespace: resolved.namespace, labels };
      const exposed = app.expose !== undefined && resolved.exposedPort !== undefined;
      new AppNamespace(chart, 'namespace', { name: resolved.namespace, labels, readinessGates: exposed });
      new AppServiceAccount(chart, 'service-account', {
        ...meta,
        ...(needsRole(app) ? { roleArn: ctx.param(parameters.appRoleArn(app.name)) } : {}),
      });
      const secrets = hasSecrets(app) ? secretReferences(app, ctx.env) : [];
      if (secrets.length > 0) {
        new SecretStoreTokenAccess(chart, 'secret-store-token-access', { ...meta, app: app.name, serviceAccountName: app.name });
        for (const service of [...new Set(secrets.map((reference) => reference.service))].sort()) {
          new AppSecretStore(chart, `secret-store-${service}`, {
            ...meta,
            app: app.name,
            service,
            region: ctx.env.region,
            serviceAccountName: app.name,
            syncWave: SECRET_STORE_SYNC_WAVE,
          });
        }
        new AppExternalSecret(chart, 'external-secret', {
          ...meta,
          app: app.name,
          secretName: appSecretName(app),
          references: secrets,
          syncWave: EXTERNAL_SECRET_SYNC_WAVE,
        });
      }
      const podWave = secrets.length > 0 ? SECRET_POD_SYNC_WAVE : POD_SYNC_WAVE;
      if (resolved.ports.length > 0) new AppService(chart, 'service', { ...meta, selector: resolved.selector, ports: resolved.ports });
      const ingress = resolveIngress(app, overrides);
      const readiness = resolved.probes.readiness;
      // An Ingress on a group the env does not define would name no class: the app check reports
      // the group, and nothing is rendered that would only repeat it.
      const groupDefined = ingress !== undefined && ctx.env.ingress?.groups?.[ingress.group] !== undefined;
      if (ingress && groupDefined && resolved.exposedPort !== undefined && readiness?.httpGet !== undefined && readiness.port !== undefined) {
        // ExternalDNS only writes records inside its domain filter, and the certificate covers the
        // zone: a host elsewhere would render, sync, and never resolve.
        const zone = ctx.param(parameters.dnsZoneName);
        if (!hostInZone(ingress.host, zone)) {
          const fromEnv = ingress.hostFrom === 'env';
          throw new AppRenderProblems([
            {
              env: ctx.env.name,
              component: `app-${app.name}`,
              file: fromEnv ? `clusters/${ctx.env.name}/env.ts` : `apps/${app.name}/src/index.ts`,
              parameter: fromEnv ? `apps.${app.name}.expose.host` : 'expose.host',
              message: `"${ingress.host}" is outside env ${ctx.env.name}'s hosted zone ${zone} (SSM dns/zone-name); ExternalDNS would never write its record`,
            },
          ]);
        }
        new AppIngress(chart, 'ingress', {
          ...meta,
          ingress,
          service: app.name,
          servicePort: resolved.exposedPort,
          healthCheck: { path: readiness.httpGet, port: readiness.port },
          deregistrationDelaySeconds: resolved.shutdown.deregistrationDelaySeconds,
        });
      } else if (app.expose && !ingress && resolved.exposedPort !== undefined) {
        new AppTargetGroupBinding(chart, 'target-group-binding', {
          ...meta,
          targetGroupArn: ctx.param(parameters.appTargetGroupArn(app.name)),
          vpcId: ctx.param(parameters.vpcId),
          albSecurityGroupId: ctx.param(parameters.albSecurityGroupId),
          service: app.name,
          servicePort: resolved.exposedPort,
          containerPort: resolved.exposedPort,
        });
      }
      const deployment = new AppDeployment(chart, 'deployment', {
        app: resolved,
        labels,
        serviceAccountName: app.name,
        automountServiceAccountToken: app.serviceAccountToken === true,
        ...(exposed ? { podLabels: READINESS_GATE_LABEL } : {}),
        kubernetesMinor: kubernetesMinor(ctx.env),
        syncWave: podWave,
      });
      if (resolved.replicas > 1) new AppPodDisruptionBudget(chart, 'pod-disruption-budget', { ...meta, selector: resolved.selector });
      if (resolved.autoscaling) {
        new AppHorizontalPodAutoscaler(chart, 'horizontal-pod-autoscaler', {
          ...meta,
          deployment: app.name,
          ...resolved.autoscaling,
          syncWave: podWave,
        });
      }
      app.extend?.(chart, { env: ctx.env, namespace: resolved.namespace, selector: resolved.selector, deployment: deployment.resource });
    },
  };
  appComponents.add(component);
  return component;
}
