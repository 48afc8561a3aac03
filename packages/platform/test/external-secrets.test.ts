import { externalSecretsController } from '@gitops/core';
import { describe, expect, it } from 'vitest';
import {
  EXTERNAL_SECRETS_NAMESPACE,
  EXTERNAL_SECRETS_VERSION,
  externalSecretsComponent,
  externalSecretsSource,
  platformComponents,
  platformSyncWaves,
} from '../src/index';
import { environments, renderComponent } from './support/render';

const source = externalSecretsSource();
const values = source.helmValues as Record<string, any>;
// The chart's three Deployments: the controller (top-level values), its webhook, its cert controller.
const pods = { controller: values, webhook: values.webhook, certController: values.certController };

describe('External Secrets Operator as a platform upstream chart', () => {
  it('is the external-secrets chart at one pinned release, with its CRDs', () => {
    expect(EXTERNAL_SECRETS_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(EXTERNAL_SECRETS_VERSION.startsWith('2.9.')).toBe(true);
    expect(source).toMatchObject({ repoURL: 'https://charts.external-secrets.io', chart: 'external-secrets', targetRevision: EXTERNAL_SECRETS_VERSION });
    expect(values.installCRDs).toBe(true);
    expect(source.clusterResources).toContain('apiextensions.k8s.io/CustomResourceDefinition *.external-secrets.io');
  });

  it('moves the webhook off 10250, the port the Fargate kubelet holds', () => {
    expect(values.webhook.port).toBeDefined();
    expect(values.webhook.port).not.toBe(10250);
  });

  it.each(Object.entries(pods))('runs the %s with requests equal to limits, non-root, read-only, without capabilities', (_, pod) => {
    expect(pod.resources.requests.cpu).toMatch(/^\d+m?$/);
    expect(pod.resources.requests.memory).toMatch(/^\d+Mi$/);
    expect(pod.resources.limits).toEqual(pod.resources.requests);
    expect(pod.securityContext).toMatchObject({
      enabled: true,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.podSecurityContext).toMatchObject({ enabled: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  it('processes only namespaced stores, and may request tokens only where an app grants it', () => {
    for (const flag of ['processClusterStore', 'processClusterExternalSecret', 'processClusterPushSecret', 'processPushSecret', 'processClusterGenerator']) {
      expect([flag, values[flag]]).toEqual([flag, false]);
    }
    expect(values.rbac).toEqual({ serviceAccountTokenCreate: false });
    // The per-app Role binds this service account by name, so the chart must name it so.
    expect(values.serviceAccount).toEqual({ name: externalSecretsController.serviceAccount });
    expect(source.namespace).toBe(externalSecretsController.namespace);
  });

  it('syncs its namespace, then the chart, before any app', () => {
    const component = externalSecretsComponent();
    expect(component.delivery!.syncWave).toBeLessThan(source.syncWave);
    expect(source.syncWave).toBe(platformSyncWaves.externalSecrets);
    // Apps sync at wave 0 and later (packages/app APP_SYNC_WAVE); the platform depends on no app.
    expect(source.syncWave).toBeLessThan(0);
    expect(platformComponents().map((c) => c.name)).toContain('external-secrets-namespace');
  });

  it.each(Object.keys(environments) as (keyof typeof environments)[])('env %s: renders its namespace at Pod Security restricted, selected by a Fargate profile', (name) => {
    const { env, parameters } = environments[name];
    const manifests = renderComponent(externalSecretsComponent(), env, parameters);
    expect(manifests).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: EXTERNAL_SECRETS_NAMESPACE, labels: { 'app.kubernetes.io/name': 'external-secrets', 'pod-security.kubernetes.io/enforce': 'restricted' } },
      },
    ]);
    expect(env.fargateProfiles.some((profile) => profile.selectors.some((selector) => selector.namespace === EXTERNAL_SECRETS_NAMESPACE))).toBe(true);
  });
});
