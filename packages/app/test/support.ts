import { parameterName, parameters, type ParameterDefinition } from '@gitops/contract';
import type { AppOverrides, EnvironmentSpec } from '@gitops/core';
import { Chart, Testing } from 'cdk8s';
import { appComponent, type AppDefinition } from '../src/index';

/** An env on Kubernetes `kubernetesVersion` whose one Fargate profile selects every namespace. */
export function testEnv(kubernetesVersion: EnvironmentSpec['cluster']['kubernetesVersion'] = '1.33', apps: EnvironmentSpec['apps'] = {}): EnvironmentSpec {
  return {
    name: 'test',
    account: '111111111111',
    region: 'ap-northeast-1',
    ssmPrefix: '/fargate-gitops/test',
    cluster: { name: 'fargate-gitops-test', kubernetesVersion },
    argocd: { repoURL: 'https://example.com/repo.git', targetRevision: 'main' },
    fargateProfiles: [{ name: 'all', selectors: [{ namespace: '*' }] }],
    apps,
  };
}

export const TARGET_GROUP_ARN = 'arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/test-shop/0123456789abcdef';
export const ROLE_ARN = 'arn:aws:iam::111111111111:role/test-shop';
export const VPC_ID = 'vpc-0a1b2c3d4e5f60001';
export const ALB_SECURITY_GROUP_ID = 'sg-0a1b2c3d4e5f60011';

/** SSM values as synth would resolve them for app `name`. */
export function parameterValues(env: EnvironmentSpec, name: string): Map<string, unknown> {
  return new Map<string, unknown>([
    [parameterName(parameters.appTargetGroupArn(name), env), TARGET_GROUP_ARN],
    [parameterName(parameters.appRoleArn(name), env), ROLE_ARN],
    [parameterName(parameters.vpcId, env), VPC_ID],
    [parameterName(parameters.albSecurityGroupId, env), ALB_SECURITY_GROUP_ID],
  ]);
}

/** A small exposed app to vary in tests. */
export const shop: AppDefinition = {
  name: 'shop',
  image: 'registry.example.com/shop:1.2.3',
  ports: [{ port: 8080 }],
  expose: { healthCheckPath: '/healthz' },
};

/** Renders an app as `env` runs it; objects by `Kind/name`. Reading an undeclared parameter fails, as in synth. */
export function render(app: AppDefinition, options: { env?: EnvironmentSpec; overrides?: AppOverrides } = {}) {
  const env = options.env ?? testEnv();
  const component = appComponent(app, options.overrides ?? {});
  const values = parameterValues(env, app.name);
  const declared = new Set(component.parameters.map((definition) => parameterName(definition, env)));
  const chart = new Chart(Testing.app(), component.name, { disableResourceNameHashes: true });
  component.render(chart, {
    env,
    param<T>(definition: ParameterDefinition<T>): T {
      const name = parameterName(definition, env);
      if (!declared.has(name)) throw new Error(`undeclared parameter ${name}`);
      return values.get(name) as T;
    },
  });
  const manifests: Record<string, any>[] = chart.toJson();
  return { component, manifests, byKind: new Map(manifests.map((m) => [`${m.kind}/${m.metadata.name}`, m])) };
}
