import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParameterDefinition } from '@gitops/contract';
import type { ComponentOutline, EnvironmentSpec } from '@gitops/core';
import type { RenderedObjectLike } from '@gitops/fargate';
import { parse } from 'yaml';
import dev from '../../../clusters/dev/env';
import prod from '../../../clusters/prod/env';
import stg from '../../../clusters/stg/env';
import type { EnvReadmeInput } from '../src/env-readme';

/** An env with no Fargate profiles, for diagrams. */
export const readmeEnv: EnvironmentSpec = {
  name: 'x',
  account: '111111111111',
  region: 'ap-northeast-1',
  ssmPrefix: '/p/x',
  cluster: { name: 'c', kubernetesVersion: '1.33' },
  argocd: { repoURL: 'r', targetRevision: 'main' },
  fargateProfiles: [],
  apps: {},
};

/** Definitions of parameters at `paths` below an env's prefix. */
export const definitions = (...paths: string[]): ParameterDefinition[] => paths.map((path) => ({ path, type: 'String', description: path, kind: {} as never }));

/** An Ingress to a Service selecting a Deployment, all named shop in namespace shop. */
export function ingressInput(): EnvReadmeInput {
  const labels = { app: 'shop' };
  const objects = [
    { component: 'app-shop', file: 'app-shop/ingress-shop.yaml', manifest: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'shop' }, spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } }] } }] } } },
    { component: 'app-shop', file: 'app-shop/service-shop.yaml', manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop', namespace: 'shop' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } } },
    { component: 'app-shop', file: 'app-shop/deployment-shop.yaml', manifest: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop', namespace: 'shop' }, spec: { replicas: 2, template: { metadata: { labels }, spec: { containers: [] } } } } },
  ];
  return { env: readmeEnv, components: [], objects, parameters: new Map() };
}

/**
 * Deployments holding the value of parameter image as a whole field, after `--tag=`, as a key
 * and (not linking) as part of a longer value; one holding greeting's value after a `"`; one
 * running as a ServiceAccount with role's value; and a ConfigMap, not drawn, holding image's.
 */
export function linkInput(): EnvReadmeInput {
  const deployment = (name: string, spec: Record<string, unknown>) => ({
    component: `app-${name}`,
    file: `app-${name}/deployment-${name}.yaml`,
    manifest: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'n' }, spec: { template: { spec } } },
  });
  const objects = [
    deployment('field', { containers: [{ name: 'a', image: 'registry/whole:1' }] }),
    deployment('flag', { containers: [{ name: 'a', args: ['--tag=registry/whole:1'] }] }),
    deployment('key', { nodeSelector: { 'registry/whole:1': 'yes' } }),
    deployment('part', { containers: [{ name: 'a', image: 'registry/whole:10' }] }),
    deployment('quoted', { containers: [{ name: 'a', args: ['say "hi" there'] }] }),
    deployment('runner', { serviceAccountName: 'robot', containers: [] }),
    { component: 'app-runner', file: 'app-runner/serviceaccount-robot.yaml', manifest: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'n', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/robot' } } } },
    { component: 'app-field', file: 'app-field/configmap-c.yaml', manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { image: 'registry/whole:1' } } },
  ];
  const parameters = new Map([
    ['/p/x/image', 'registry/whole:1'],
    ['/p/x/greeting', 'hi" there'],
    ['/p/x/role', 'arn:aws:iam::111111111111:role/robot'],
  ]);
  return { env: readmeEnv, components: [{ name: 'app-field', parameters: definitions('image', 'greeting', 'role') }], objects, parameters };
}

// jsdom (env-readme.test.ts) replaces the global URL, which Node's fileURLToPath refuses: the path comes from the string.
const repoRoot = resolve(dirname(fileURLToPath(String(import.meta.url))), '../../..');
export const COMMITTED_ENVS: readonly EnvironmentSpec[] = [dev, prod, stg];

/**
 * A committed env as synth rendered it, read back from `gitops/<env>/` with its snapshot's
 * values: each folder a component, declaring between them every parameter of the snapshot.
 */
export function committedInput(env: EnvironmentSpec): EnvReadmeInput {
  const folder = join(repoRoot, 'gitops', env.name);
  const folders = readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const objects: RenderedObjectLike[] = folders.flatMap((component) =>
    readdirSync(join(folder, component))
      .filter((file) => file.endsWith('.yaml'))
      .sort()
      .map((file) => ({ component, file: `${component}/${file}`, manifest: parse(readFileSync(join(folder, component, file), 'utf8')) })),
  );
  const snapshot = JSON.parse(readFileSync(join(repoRoot, 'clusters', env.name, 'ssm-snapshot.json'), 'utf8')) as { parameters: Record<string, { value: string }> };
  const parameters = new Map(Object.entries(snapshot.parameters).map(([name, { value }]) => [name, value]));
  const paths = [...parameters.keys()].map((name) => name.slice(env.ssmPrefix.length + 1));
  const components: ComponentOutline[] = folders.map((name, index) => ({ name, parameters: index === 0 ? definitions(...paths) : [] }));
  return { env, components, objects, parameters };
}

/** The committed `gitops/<env>/README.md`. */
export const committedReadme = (env: EnvironmentSpec) => readFileSync(join(repoRoot, 'gitops', env.name, 'README.md'), 'utf8');
