import { projector, type ReadPaths } from '@gitops/core';
import { FARGATE_READS, type RenderedObjectLike } from '@gitops/fargate';
import { describe, expect, it } from 'vitest';
import { projected, without } from '../../core/test/read-paths-support';
import { binding, deployment as fargateDeployment, input as fargateInput, service as fargateService, serviceAccount } from '../../fargate/test/support';
import { ENV_README_READS, envReadme, parameterLinks, type EnvReadmeInput } from '../src/env-readme';
import { COMMITTED_ENVS, committedInput, committedReadme, definitions, ingressInput, linkInput, readmeEnv } from './env-readme-fixtures';

// Synth gives the README each object cut down to ENV_README_READS, keeping the strings
// `parameterLinks` selects, and each component as its outline, and reuses the README while
// those are unchanged: so over every fixture, the README from that must be the README.

const IRSA = 'eks.amazonaws.com/role-arn';
const at = (component: string, manifest: Record<string, any>): RenderedObjectLike => ({ component, file: `${component}/${String(manifest.kind).toLowerCase()}-${manifest.metadata.name}.yaml`, manifest });
const meta = (name: string, namespace = 'shop', extra: Record<string, unknown> = {}) => ({ name, namespace, ...extra });
/** A Deployment whose pods are labelled `labels`, its container and pod spec with `container` and `pod` added. */
const workload = (name: string, labels: Record<string, string>, { container = {}, pod = {}, namespace = 'shop', replicas }: { container?: object; pod?: object; namespace?: string; replicas?: number } = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta(name, namespace),
  spec: { ...(replicas !== undefined ? { replicas } : {}), selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { ...pod, containers: [{ name, image: `example/${name}:1`, ...container }] } } },
});
const svc = (name: string, selector: Record<string, string>, ports: Record<string, unknown>[], annotations?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(name, 'shop', annotations ? { annotations } : {}),
  spec: { selector, ports },
});
const application = (name: string, wave: number | undefined, spec: Record<string, unknown>, apiVersion = 'argoproj.io/v1alpha1') => ({
  apiVersion,
  kind: 'Application',
  metadata: { name, namespace: 'argocd', ...(wave !== undefined ? { annotations: { 'argocd.argoproj.io/sync-wave': String(wave) } } : {}) },
  spec,
});
/** An input of `objects`, with `parameters` (paths below `/p/x` to values) declared by its first component. */
const made = (objects: RenderedObjectLike[], parameters: Record<string, string> = {}): EnvReadmeInput => ({
  env: readmeEnv,
  components: [...new Set(objects.map((object) => object.component))].map((name, index) => ({ name, parameters: index === 0 ? definitions(...Object.keys(parameters)) : [] })),
  objects,
  parameters: new Map(Object.entries(parameters).map(([path, value]) => [`/p/x/${path}`, value])),
});

/** The Fargate tests' app, run at its autoscaler's minimum, with the binding's target group as a parameter. */
const fargateShop = (() => {
  const { replicas: _, ...unreplicated } = fargateDeployment().spec;
  const bound = binding({ name: 'shop', port: 8080 });
  const autoscaler = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('shop'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'shop' }, minReplicas: 4, maxReplicas: 8 } };
  const shop = fargateInput([serviceAccount(), { ...fargateDeployment(), spec: unreplicated }, autoscaler, fargateService(), bound]);
  return { ...shop, components: [{ name: 'app-shop', parameters: definitions('tg') }], parameters: new Map([[`${shop.env.ssmPrefix}/tg`, bound.spec.targetGroupARN]]) };
})();

const TG_ARN = 'arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/shop-tg/0123456789abcdef';
const CERT_ARN = 'arn:aws:acm:ap-northeast-1:111111111111:certificate/0a1b2c3d';

/** Every fixture of this package's README tests, and more for every branch, by name. */
const fixtures: Record<string, EnvReadmeInput> = {
  ...Object.fromEntries(COMMITTED_ENVS.map((env) => [`committed ${env.name}`, committedInput(env)])),
  Ingress: ingressInput(),
  'parameters linked by value, flag, key and quote, and an IRSA role': linkInput(),
  'binding → Service → Deployments, with parameters in the binding, the Service and a Deployment flag': made(
    [
      at('app-shop', { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: meta('shop'), spec: { targetGroupARN: TG_ARN, targetType: 'ip', serviceRef: { name: 'shop', port: 80 } } }),
      at('app-shop', svc('shop', { app: 'shop' }, [{ name: 'http', port: 80, targetPort: 'http' }, { port: 9090 }], { 'example.com/vpc': 'vpc-0a1b2c3d' })),
      at('app-shop', workload('shop', { app: 'shop', tier: 'web' }, { container: { args: ['--vpc-id=vpc-0a1b2c3d'] }, replicas: 3 })),
      at('app-shop', workload('other', { app: 'other' })),
      at('app-else', workload('shop', { app: 'shop' }, { namespace: 'else' })),
    ],
    { 'tg-arn': TG_ARN, vpc: 'vpc-0a1b2c3d', short: 'shop' },
  ),
  'binding to a missing Service, and one without an ARN': made([
    at('app-shop', { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: meta('shop'), spec: { targetGroupARN: TG_ARN, serviceRef: { name: 'gone', port: 80 } } }),
    at('app-shop', { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: meta('bare'), spec: { serviceRef: { name: 'shop', port: 80 } } }),
    at('app-shop', svc('shop', {}, [{ port: 80 }])),
    at('app-shop', workload('shop', { app: 'shop' })),
  ]),
  'Ingress with rules, a rule without a host, and a default backend': made(
    [
      at('app-shop', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: meta('front', 'shop', { annotations: { 'alb.ingress.kubernetes.io/certificate-arn': CERT_ARN } }),
        spec: {
          defaultBackend: { service: { name: 'c', port: { number: 80 } } },
          rules: [
            { host: 'a.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'a', port: { number: 80 } } } }, { path: '/static', backend: { resource: { kind: 'Bucket', name: 'b' } } }] } },
            { http: { paths: [{ path: '/b', backend: { service: { name: 'b', port: { name: 'http' } } } }, { path: '/gone', backend: { service: { name: 'gone', port: { number: 80 } } } }] } },
          ],
        },
      }),
      at('app-shop', svc('a', { app: 'a' }, [{ port: 80, targetPort: 8080 }])),
      at('app-shop', svc('b', { app: 'b' }, [{ name: 'http', port: 80, targetPort: 8081 }])),
      at('app-shop', svc('c', { app: 'c' }, [{ port: 80 }])),
      at('app-shop', workload('a', { app: 'a' }, { replicas: 2 })),
      at('app-shop', workload('b', { app: 'b' })),
      at('app-shop', workload('c', { app: 'c', extra: 'yes' })),
    ],
    { cert: CERT_ARN },
  ),
  'ServiceAccounts: an IRSA role run by one Deployment, and objects not drawn holding values': made(
    [
      at('app-shop', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('robot', 'shop', { annotations: { [IRSA]: 'arn:aws:iam::111111111111:role/robot' } }) }),
      at('app-shop', workload('runner', { app: 'runner' }, { pod: { serviceAccountName: 'labelled' } })),
      // Synth keeps its annotations for the Fargate checks, but not its labels.
      at('app-shop', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('labelled', 'shop', { labels: { 'example.com/zone': 'Z0000DEV01' } }) }),
      at('app-shop', workload('runs-as-robot', { app: 'r' }, { pod: { serviceAccountName: 'robot' } })),
      at('app-else', workload('runs-as-robot', { app: 'r' }, { pod: { serviceAccountName: 'robot' }, namespace: 'else' })),
      at('app-shop', svc('undrawn', { app: 'runner' }, [{ port: 80 }], { note: 'arn:aws:iam::111111111111:role/robot' })),
      at('app-shop', { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings'), data: { role: 'arn:aws:iam::111111111111:role/robot' } }),
    ],
    { role: 'arn:aws:iam::111111111111:role/robot', zone: 'Z0000DEV01' },
  ),
  // An object of another kind whose id is the id of a node (here the target group's) links nothing.
  'an object of another kind whose id is a node\'s': made(
    [
      at('app-shop', { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: meta('shop'), spec: { targetGroupARN: TG_ARN, serviceRef: { name: 'shop', port: 80 } } }),
      at('app-shop', { apiVersion: 'example.com/v1', kind: 'tg', metadata: meta('shop'), spec: { note: 'vpc-0a1b2c3d' } }),
    ],
    { vpc: 'vpc-0a1b2c3d' },
  ),
  'values with quotes and backslashes, in values and keys': made(
    [
      at('app-shop', workload('quoted', { app: 'q' }, { container: { args: ['--name="first" "second', 'say "it\'s \\"here\\""'] } })),
      at('app-shop', workload('slashed', { app: 's' }, { container: { env: [{ name: 'PATH', value: 'C:\\tools\\bin' }] } })),
      at('app-shop', { ...workload('keyed', { app: 'k' }), metadata: meta('keyed', 'shop', { annotations: { 'flag=C:\\tools\\bin': 'x', 'a"second': 'y' } }) }),
      at('app-shop', workload('split', { app: 'p' }, { container: { args: ['first"', '"second'] } })),
    ],
    { quote: 'second', slashed: 'C:\\tools\\bin', nested: 'it\'s \\"here\\"', split: 'first" "second' },
  ),
  'Applications from charts, this repository and others, with one source or several, and Namespaces': made([
    at('argocd', application('x-root', undefined, { source: { repoURL: 'r', path: 'gitops/x/argocd', targetRevision: 'main' }, destination: { namespace: 'argocd' } })),
    at('argocd', application('x-metrics', -5, { source: { repoURL: 'https://charts.example.com', chart: 'metrics', targetRevision: '1.2.3' }, destination: { namespace: 'monitoring' } })),
    at('argocd', application('x-shop', 0, { source: { repoURL: 'r', path: 'gitops/x/app-shop', targetRevision: 'main' }, destination: { namespace: 'shop' } })),
    at('argocd', application('x-upstream', -10, { source: { repoURL: 'https://git.example.com/u.git', path: 'deploy', targetRevision: 'v1.0.0' } })),
    at('argocd', application('x-multi-chart', 2, { sources: [{ repoURL: 'https://charts.example.com', chart: 'logs', targetRevision: '4.5.6' }, { repoURL: 'r', path: 'values' }], destination: { namespace: 'logs' } })),
    at('argocd', application('x-multi-path', 3, { sources: [{ repoURL: 'https://git.example.com/m.git', path: 'manifests', targetRevision: 'v2' }], destination: { namespace: 'm' } })),
    at('argocd', application('x-not-argo', 1, { source: { repoURL: 'r', path: 'gitops/x/app-shop' } }, 'example.com/v1')),
    at('app-shop', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }),
    at('app-shop', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'extra' } }),
  ]),
  'Fargate sizes: the Fargate tests\' app at its autoscaler\'s minimum': fargateShop,
};

type Keep = Parameters<typeof projector>[1];
const valuesOf = (readme: EnvReadmeInput) => readme.parameters.values();
const linksOf = (readme: EnvReadmeInput): Keep => parameterLinks(valuesOf(readme));


/** The fixtures whose README from their projection by `reads` and `keep` differs from the one from the declared projection. */
const differing = (reads: ReadPaths, keep: (readme: EnvReadmeInput) => Keep = linksOf) =>
  Object.entries(fixtures)
    .filter(([, readme]) => envReadme(projected(readme, reads, keep(readme))) !== envReadme(projected(readme, ENV_README_READS, linksOf(readme))))
    .map(([name]) => name);


describe('ENV_README_READS and parameterLinks', () => {
  it.each(Object.keys(fixtures))('%s: envReadme writes from the projection what it writes from the whole env', (name) => {
    const readme = fixtures[name]!;
    expect(envReadme(projected(readme, ENV_README_READS, linksOf(readme)))).toBe(envReadme(readme));
  });

  it.each(COMMITTED_ENVS.map((env) => [env.name, env] as const))('%s: the committed env, read back, gives its committed README from the projection', (_name, env) => {
    const readme = committedInput(env);
    expect(envReadme(projected(readme, ENV_README_READS, linksOf(readme)))).toBe(committedReadme(env));
  });

  it('has fixtures linking parameters to every kind it can link and in every way, not only plain diagrams', () => {
    const diagrams = Object.values(fixtures).map((readme) => envReadme(readme)).join('\n');
    for (const link of [
      'ssm__p_x_tg_arn -.-> TargetGroupBinding_shop_shop',
      'ssm__p_x_vpc -.-> Service_shop_shop',
      'ssm__p_x_vpc -.-> Deployment_shop_shop',
      'ssm__p_x_cert -.-> Ingress_shop_front',
      'ssm__p_x_role -.-> Deployment_shop_runs_as_robot',
      'ssm__p_x_zone -.-> Deployment_shop_runner',
      'ssm__p_x_quote -.-> Deployment_shop_quoted',
      'ssm__p_x_slashed -.-> Deployment_shop_slashed',
      'ssm__p_x_slashed -.-> Deployment_shop_keyed',
      'ssm__p_x_split -.-> Deployment_shop_quoted',
      'ssm__fargate_gitops_test_tg -.-> TargetGroupBinding_shop_shop',
    ]) {
      expect(diagrams).toContain(link);
    }
    // Never a value too short, a part of a string, a run across two strings, an object not drawn,
    // an object of another kind with a node's id, or a Deployment of another namespace running as
    // an account of the same name.
    for (const unlinked of [
      'ssm__p_x_short',
      'ssm__p_x_nested',
      'ssm__p_x_split -.-> Deployment_shop_split',
      'Service_shop_undrawn',
      'ssm__p_x_vpc -.-> tg_shop_shop',
      'ssm__p_x_role -.-> Deployment_else_runs_as_robot',
    ]) {
      expect(diagrams).not.toContain(unlinked);
    }
  });

  it('declares no path of its own the README can do without: removing any one changes some fixture\'s README', () => {
    const own = Object.entries(ENV_README_READS).flatMap(([kind, paths]) => paths.filter((path) => !(FARGATE_READS[kind] ?? []).includes(path) && !(FARGATE_READS['*'] ?? []).includes(path)).map((path) => [kind, path] as const));
    expect(own.length).toBeGreaterThan(20);
    expect(own.filter(([kind, path]) => differing(without(ENV_README_READS, kind, path)).length === 0)).toEqual([]);
  });

  it('keeps no more than it needs: without the keep rule, or any kind it names, or any way a string holds a value, some README differs', () => {
    expect(differing(ENV_README_READS, () => undefined)).not.toEqual([]);
    const { kinds, text } = parameterLinks([]);
    expect([...kinds].sort()).toEqual(['Deployment', 'Ingress', 'Service', 'ServiceAccount', 'TargetGroupBinding']);
    for (const kind of kinds) {
      const fewer = new Set([...kinds].filter((other) => other !== kind));
      expect({ kind, differing: differing(ENV_README_READS, (readme) => ({ kinds: fewer, text: linksOf(readme)!.text })) }).not.toEqual({ kind, differing: [] });
    }
    expect(text('anything')).toBe(false);
    const holds = (readme: EnvReadmeInput, marks: readonly string[]) => {
      const values = new Set(valuesOf(readme));
      return (string: string) => values.has(string) || marks.some((mark) => string.split(mark).slice(1).some((_, index, parts) => values.has(parts.slice(index).join(mark))));
    };
    expect(differing(ENV_README_READS, (readme) => ({ kinds, text: holds(readme, ['=', '"']) }))).toEqual([]);
    for (const marks of [[], ['='], ['"']]) expect({ marks, differing: differing(ENV_README_READS, (readme) => ({ kinds, text: holds(readme, marks) })) }).not.toEqual({ marks, differing: [] });
  });

  it('leaves the projection alone when an image changes to a value no parameter has, and not when it changes to one', () => {
    const readme = committedInput(COMMITTED_ENVS[0]!);
    const project = projector(ENV_README_READS, linksOf(readme));
    const withImage = (manifest: Record<string, any>, image: string) => {
      const copy = structuredClone(manifest);
      for (const container of copy.spec.template.spec.containers) container.image = image;
      return copy;
    };
    const deployments = readme.objects.filter(({ manifest }) => manifest.kind === 'Deployment').map(({ manifest }) => manifest);
    expect(deployments.length).toBeGreaterThan(4);
    for (const manifest of deployments) expect(project(withImage(manifest, 'example.com/other:9.9.9'))).toEqual(project(manifest));
    const value = readme.parameters.get(`${readme.env.ssmPrefix}/network/vpc-id`)!;
    for (const manifest of deployments) expect(project(withImage(manifest, value))).not.toEqual(project(manifest));
  });
});
