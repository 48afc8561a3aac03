import { parameters, type ParameterDefinition } from '@gitops/contract';
import { kubernetesMinor, type AppOverrides, type Component } from '@gitops/core';
import type { AppDefinition } from './definition';
import { AppDeployment } from './deployment';
import { AppHorizontalPodAutoscaler } from './horizontal-pod-autoscaler';
import { AppNamespace, READINESS_GATE_LABEL } from './namespace';
import { AppPodDisruptionBudget } from './pod-disruption-budget';
import { resolveApp } from './resolve';
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
  if (app.aws) declared.push(parameters.appRoleArn(app.name));
  if (app.expose) declared.push(parameters.appTargetGroupArn(app.name), parameters.vpcId, parameters.albSecurityGroupId);

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
        ...(app.aws ? { roleArn: ctx.param(parameters.appRoleArn(app.name)) } : {}),
      });
      if (resolved.ports.length > 0) new AppService(chart, 'service', { ...meta, selector: resolved.selector, ports: resolved.ports });
      if (exposed) {
        new AppTargetGroupBinding(chart, 'target-group-binding', {
          ...meta,
          targetGroupArn: ctx.param(parameters.appTargetGroupArn(app.name)),
          vpcId: ctx.param(parameters.vpcId),
          albSecurityGroupId: ctx.param(parameters.albSecurityGroupId),
          service: app.name,
          servicePort: resolved.exposedPort!,
          containerPort: resolved.exposedPort!,
        });
      }
      const deployment = new AppDeployment(chart, 'deployment', {
        app: resolved,
        labels,
        serviceAccountName: app.name,
        automountServiceAccountToken: app.serviceAccountToken === true,
        ...(exposed ? { podLabels: READINESS_GATE_LABEL } : {}),
        kubernetesMinor: kubernetesMinor(ctx.env),
        syncWave: POD_SYNC_WAVE,
      });
      if (resolved.replicas > 1) new AppPodDisruptionBudget(chart, 'pod-disruption-budget', { ...meta, selector: resolved.selector });
      if (resolved.autoscaling) {
        new AppHorizontalPodAutoscaler(chart, 'horizontal-pod-autoscaler', {
          ...meta,
          deployment: app.name,
          ...resolved.autoscaling,
          syncWave: POD_SYNC_WAVE,
        });
      }
      app.extend?.(chart, { env: ctx.env, namespace: resolved.namespace, selector: resolved.selector, deployment: deployment.resource });
    },
  };
  appComponents.add(component);
  return component;
}
