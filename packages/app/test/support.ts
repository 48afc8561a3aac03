import { parameterName, parameters, type ParameterDefinition } from '@gitops/contract';
import { projector, type AppOverrides, type EnvironmentSpec, type Manifest, type ReadPaths } from '@gitops/core';
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

/** Anything holding rendered objects, as a check of a whole env takes them. */
interface WithObjects {
  readonly objects: readonly { readonly manifest: Manifest }[];
}

/** The same input with every manifest cut down to `reads`, as synth hands it to a check declaring them. */
export function projected<T extends WithObjects>(rendered: T, reads: ReadPaths): T {
  const project = projector(reads);
  return { ...rendered, objects: rendered.objects.map((object) => ({ ...object, manifest: project(object.manifest) })) };
}

/**
 * Every declared path with its kind, but a kind's path that `*` declares too: removing it from
 * the kind alone keeps it.
 */
export function declaredPaths(reads: ReadPaths): { readonly kind: string; readonly path: string }[] {
  const every = new Set(reads['*'] ?? []);
  return Object.entries(reads).flatMap(([kind, paths]) => paths.filter((path) => kind === '*' || !every.has(path)).map((path) => ({ kind, path })));
}

/** `reads` less one path of one kind. */
export function without(reads: ReadPaths, kind: string, path: string): ReadPaths {
  return { ...reads, [kind]: reads[kind]!.filter((read) => read !== path) };
}

/** A copy of `manifest` with `change` applied to every container of every pod template in it, wherever the kind keeps it. */
export function withContainers(manifest: Manifest, change: (container: Record<string, any>) => Record<string, any>): Manifest {
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) {
      return key === 'containers' || key === 'initContainers' ? value.map((container) => change(structuredClone(container))) : value.map((element) => walk(element));
    }
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, walk(inner, name)]));
  };
  return walk(manifest) as Manifest;
}

/** What an app changes most often and no check of a whole env reads: its image, command, env values, probes and resources. */
export function releaseChange(container: Record<string, any>): Record<string, any> {
  return {
    ...container,
    image: `${container.image ?? 'example/image'}-next`,
    command: ['/bin/next'],
    ...(container.env ? { env: container.env.map((variable: Record<string, any>) => (variable.value === undefined ? variable : { ...variable, value: `${variable.value}-next` })) } : {}),
    livenessProbe: { httpGet: { path: '/next', port: 1 } },
    readinessProbe: { httpGet: { path: '/next', port: 1 } },
    resources: { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '4', memory: '8Gi' } },
  };
}
