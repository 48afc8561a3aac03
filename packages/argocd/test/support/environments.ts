import { parameterName, parameters, type AwsEnvironment, type ParameterDefinition } from '@gitops/contract';
import type { Component, EnvironmentSpec, RenderContext, RenderedManifest } from '@gitops/core';
import { App, Chart } from 'cdk8s';

const REPO = 'https://github.com/example-org/fargate-gitops.git';

/** An env as clusters/<env>/env.ts would define it; `overrides` changes what a test is about. */
export function environment(name: string, account: string, overrides: Partial<EnvironmentSpec> = {}): EnvironmentSpec {
  return {
    name,
    account,
    region: 'ap-northeast-1',
    ssmPrefix: `/fargate-gitops/${name}`,
    cluster: { name: `fargate-gitops-${name}`, kubernetesVersion: '1.33' },
    argocd: { repoURL: REPO, targetRevision: 'main' },
    fargateProfiles: [{ name: 'platform', selectors: [{ namespace: 'kube-system' }, { namespace: 'argocd' }] }],
    apps: {},
    ...overrides,
  };
}

export const workspaceOf = (...envs: EnvironmentSpec[]) => new Map(envs.map((env) => [env.name, env]));

/** A base64 PEM certificate, as describe-cluster returns certificateAuthority.data. */
export const caData = (label: string) =>
  Buffer.from(`-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAK${label}\n-----END CERTIFICATE-----\n`).toString('base64');

/** Spoke parameters as a hub reads them from the spoke's snapshot. */
export function spokeParameters(spoke: EnvironmentSpec): Map<string, unknown> {
  return new Map<string, unknown>([
    [parameterName(parameters.clusterEndpoint, spoke), `https://${'A1B2'.repeat(8)}.gr7.${spoke.region}.eks.amazonaws.com`],
    [parameterName(parameters.clusterCertificateAuthority, spoke), caData(spoke.name)],
    [parameterName(parameters.argocdDeployerRoleArn, spoke), `arn:aws:iam::${spoke.account}:role/${spoke.cluster.name}-argocd-deployer`],
  ]);
}

/**
 * Renders components the way synth does (one chart per component in one App, the later ones
 * seeing the objects of the earlier ones), with parameter values from `values` by full SSM name.
 */
export function render(
  env: EnvironmentSpec,
  components: readonly Component[],
  values: ReadonlyMap<string, unknown> = new Map(),
): { component: string; manifest: Record<string, any> }[] {
  const app = new App({ outdir: '/nonexistent', recordConstructMetadata: false });
  const rendered: (RenderedManifest & { manifest: Record<string, any> })[] = [];
  for (const component of components) {
    const chart = new Chart(app, component.name, { disableResourceNameHashes: true });
    const ctx: RenderContext = {
      env,
      renderedBefore: [...rendered],
      param<T>(definition: ParameterDefinition<T>, from: AwsEnvironment = env): T {
        const name = parameterName(definition, from);
        if (!values.has(name)) throw new Error(`no value for ${name}`);
        return values.get(name) as T;
      },
    };
    component.render(chart, ctx);
    rendered.push(...chart.toJson().map((manifest: Record<string, any>) => ({ component: component.name, manifest })));
  }
  return rendered;
}

/** The rendered object of this kind and name; fails the test when there is none. */
export function find(rendered: readonly { manifest: Record<string, any> }[], kind: string, name: string): Record<string, any> {
  const found = rendered.find(({ manifest }) => manifest.kind === kind && manifest.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${rendered.map(({ manifest }) => `${manifest.kind}/${manifest.metadata?.name}`).join(', ')}`);
  return found.manifest;
}
