import { parameterName, parameters, type ParameterDefinition } from '@gitops/contract';
import { checkSpec, environmentSpecSchema, projector, type AppOverrides, type EnvironmentSpec } from '@gitops/core';
import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  appComponent,
  appDefinitionSchema,
  appProblems,
  AppRenderProblems,
  INGRESS_REFERENCE_READS,
  ingressReferenceProblems,
  shutdownTiming,
  type AppDefinition,
  type RenderedObjectRef,
} from '../src/index';
import { declaredPaths, projected, releaseChange, withContainers, without } from '../../core/test/read-paths-support';
import { testEnv } from './support';

const env: EnvironmentSpec = { ...testEnv(), ingress: { groups: { internal: { scheme: 'internal' }, public: { scheme: 'internet-facing' } } } };
const ZONE = 'test.example.com';

const admin: AppDefinition = {
  name: 'admin',
  image: 'registry.example.com/admin:2.0.0',
  ports: [{ port: 8080 }, { port: 9090, name: 'metrics' }],
  expose: { via: 'ingress', host: 'admin.test.example.com', paths: ['/', '/api'] },
  probes: { readiness: { httpGet: '/ready' } },
  shutdown: { preStopSeconds: 20, drainSeconds: 10 },
};

/** Renders `app` with only the zone name resolvable: reading any other parameter fails, as an undeclared one does in synth. */
function render(app: AppDefinition, overrides: AppOverrides = {}) {
  const component = appComponent(app, overrides);
  const chart = new Chart(Testing.app(), component.name, { disableResourceNameHashes: true });
  component.render(chart, {
    env,
    param<T>(definition: ParameterDefinition<T>): T {
      if (definition !== parameters.dnsZoneName) throw new Error(`unexpected parameter ${parameterName(definition, env)}`);
      return ZONE as T;
    },
  });
  const manifests: Record<string, any>[] = chart.toJson();
  return { component, manifests, byKind: new Map(manifests.map((m) => [`${m.kind}/${m.metadata.name}`, m])) };
}

/** `file parameter: message` of every problem of these apps (each with its overrides) in `envSpec`. */
function problems(apps: readonly (AppDefinition | [AppDefinition, AppOverrides])[], envSpec: EnvironmentSpec = env): string[] {
  const components = apps.map((entry) => (Array.isArray(entry) ? appComponent(entry[0], entry[1]) : appComponent(entry)));
  return appProblems(envSpec, components).map((p) => `${p.file} ${p.parameter}: ${p.message}`);
}

describe('an app exposed through an Ingress', () => {
  it('renders an Ingress to its Service on its group class, and no TargetGroupBinding', () => {
    const { byKind, component } = render(admin);
    expect([...byKind.keys()].sort()).toEqual(['Deployment/admin', 'Ingress/admin', 'Namespace/admin', 'PodDisruptionBudget/admin', 'Service/admin', 'ServiceAccount/admin']);
    expect(component.parameters).toEqual([parameters.dnsZoneName]);
    const ingress = byKind.get('Ingress/admin')!;
    expect(ingress.spec).toEqual({
      ingressClassName: 'alb-internal',
      rules: [
        {
          host: 'admin.test.example.com',
          http: {
            paths: ['/', '/api'].map((path) => ({ path, pathType: 'Prefix', backend: { service: { name: 'admin', port: { number: 8080 } } } })),
          },
        },
      ],
    });
    // The Service has that port, so the rule's backend resolves.
    expect(byKind.get('Service/admin')!.spec.ports.map((p: any) => p.port)).toContain(8080);
  });

  it('health-checks the readiness probe and drains for shutdownTiming(app).deregistrationDelaySeconds', () => {
    const annotations = render(admin).byKind.get('Ingress/admin')!.metadata.annotations;
    expect(annotations).toEqual({
      'alb.ingress.kubernetes.io/healthcheck-path': '/ready',
      'alb.ingress.kubernetes.io/healthcheck-port': '8080',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'alb.ingress.kubernetes.io/success-codes': '200-399',
      'alb.ingress.kubernetes.io/target-group-attributes': `deregistration_delay.timeout_seconds=${shutdownTiming(admin).deregistrationDelaySeconds}`,
    });
    expect(shutdownTiming(admin).deregistrationDelaySeconds).toBe(30);
    // Without a readiness probe of its own, the app's readiness probe (and so the ALB) checks "/".
    const plain = render({ ...admin, probes: {} }).byKind;
    expect(plain.get('Ingress/admin')!.metadata.annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/');
    expect(plain.get('Deployment/admin')!.spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/');
  });

  it('keeps the no-502 rollout: Ingress before the pods, namespace labelled for readiness gates, preStop within the drain', () => {
    const { byKind } = render(admin);
    expect(byKind.get('Ingress/admin')!.metadata.annotations['argocd.argoproj.io/sync-wave']).toBeUndefined();
    expect(byKind.get('Deployment/admin')!.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
    expect(byKind.get('Namespace/admin')!.metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject']).toBe('enabled');
    const pod = byKind.get('Deployment/admin')!.spec.template.spec;
    expect(pod.containers[0].lifecycle.preStop.sleep.seconds).toBe(20);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(30);
  });

  it("takes the env's host override", () => {
    const ingress = render(admin, { expose: { host: 'tools.test.example.com' } }).byKind.get('Ingress/admin')!;
    expect(ingress.spec.rules[0].host).toBe('tools.test.example.com');
  });

  it('refuses a host outside the zone, naming the file the host came from', () => {
    const caught = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        return (error as AppRenderProblems).problems.map((p) => `${p.file} ${p.parameter}: ${p.message}`);
      }
      return [];
    };
    expect(caught(() => render({ ...admin, expose: { via: 'ingress', host: 'admin.example.org' } }))).toEqual([
      `apps/admin/src/index.ts expose.host: "admin.example.org" is outside env test's hosted zone ${ZONE} (SSM dns/zone-name); ExternalDNS would never write its record`,
    ]);
    expect(caught(() => render(admin, { expose: { host: 'admin.prod.example.com' } }))).toEqual([
      `clusters/test/env.ts apps.admin.expose.host: "admin.prod.example.com" is outside env test's hosted zone ${ZONE} (SSM dns/zone-name); ExternalDNS would never write its record`,
    ]);
  });
});

describe('bad Ingress input: one problem each, naming the file and field', () => {
  const other: AppDefinition = { ...admin, name: 'other', expose: { via: 'ingress', host: 'admin.test.example.com', paths: ['/api'] } };

  it('finds nothing wrong with well-formed apps on one ALB', () => {
    expect(problems([admin, { ...other, expose: { via: 'ingress', host: 'admin.test.example.com', paths: ['/other'] } }])).toEqual([]);
  });

  // Each field's form, and a field of the other way, are the schemas' (checked when the modules load).
  const definitionIssues = (app: unknown) => checkSpec(appDefinitionSchema, app).map((issue) => `${issue.path}: ${issue.message}`);
  const envIssues = (spec: unknown) => checkSpec(environmentSpecSchema, spec).map((issue) => `${issue.path}: ${issue.message}`);

  it('an app asking for both ways', () => {
    expect(definitionIssues({ ...admin, expose: { via: 'ingress', host: 'admin.test.example.com', healthCheckPath: '/x' } })).toEqual([
      "expose.healthCheckPath: given \"/x\"; expected nothing: healthCheckPath belongs to the target-group way (an Ingress health-checks the readiness probe's path, probes.readiness.httpGet), and an app is exposed one way per env",
    ]);
    expect(definitionIssues({ ...admin, expose: { host: 'admin.test.example.com', group: 'internal' } })).toEqual([
      "expose.group: given \"internal\"; expected nothing: group belongs to the Ingress way (via: 'ingress'), and an app is exposed one way per env",
    ]);
    expect(definitionIssues({ ...admin, expose: { via: 'ingres', host: 'admin.test.example.com' } })).toHaveLength(1);
    expect(problems([[{ ...admin, expose: { host: 'shop.example.com' } }, { expose: { host: 'shop.test.example.com' } }]])).toEqual([
      'clusters/test/env.ts apps.admin.expose: app admin is not exposed through an Ingress; a shared-ALB app\'s host per env is appHosts.admin in packages/infra/src/environments/test.ts',
    ]);
  });

  it('an invalid group name, in the app or in the env', () => {
    expect(definitionIssues({ ...admin, expose: { via: 'ingress', host: 'admin.test.example.com', group: 'Internal_ALB' } })).toEqual([
      'expose.group: given "Internal_ALB"; expected an ALB group name (lower-case letters, digits, "-" and ".", a letter or digit at both ends, at most 63)',
    ]);
    expect(envIssues({ ...env, ingress: { groups: { internal: { scheme: 'internal' }, '-bad': { scheme: 'internal' } } } })).toEqual([
      'ingress.groups["-bad"]: key "-bad"; expected an ALB group name (lower-case letters, digits, "-" and ".", a letter or digit at both ends, at most 63)',
    ]);
  });

  it('env ingress settings without groups, or with an unknown field, scheme or policy', () => {
    expect(envIssues({ ...env, ingress: { groups: { internal: { scheme: 'public' } }, dnsPolicy: 'delete', zone: 'x' } })).toEqual([
      "ingress.groups.internal.scheme: given \"public\"; expected 'internal' or 'internet-facing'",
      "ingress.dnsPolicy: given \"delete\"; expected an ExternalDNS policy: 'upsert-only' or 'sync'",
      'ingress.zone: unknown field (expected one of: groups, dnsPolicy)',
    ]);
    expect(envIssues({ ...env, ingress: { dnsPolicy: 'sync' } })).toEqual(['ingress.groups: missing; expected an object']);
    expect(envIssues({ ...env, apps: { admin: { expose: { host: 'Admin', path: '/' } } } })).toEqual([
      'apps.admin.expose.host: given "Admin"; expected a host name (lower-case DNS labels, at least two, no wildcard)',
      'apps.admin.expose.path: unknown field (expected one of: host)',
    ]);
  });

  it('a group the env does not define, an env with no groups, and a scheme the group does not have', () => {
    expect(problems([{ ...admin, expose: { via: 'ingress', host: 'admin.test.example.com', group: 'partners' } }])).toEqual([
      'apps/admin/src/index.ts expose.group: "partners" is not an ALB group of env test; clusters/test/env.ts ingress.groups defines internal, public',
    ]);
    expect(problems([admin], testEnv())).toEqual([
      'clusters/test/env.ts ingress: app admin is exposed through an Ingress in ALB group "internal", but env test defines no ingress.groups',
    ]);
    expect(problems([{ ...admin, expose: { via: 'ingress', host: 'admin.test.example.com', group: 'public', scheme: 'internal' } }])).toEqual([
      'apps/admin/src/index.ts expose.scheme: the app needs an internal ALB, but group "public" of env test is internet-facing',
    ]);
  });

  it('two apps claiming the same host and path on one ALB group, and one host on two ALBs', () => {
    expect(problems([admin, other])).toEqual([
      'apps/other/src/index.ts expose.paths[0]: host admin.test.example.com path /api on ALB group "internal" is also claimed by app admin; the ALB would send it to only one of them',
    ]);
    expect(problems([admin, { ...other, expose: { via: 'ingress', host: 'admin.test.example.com', paths: ['/x'], group: 'public' } }])).toEqual([
      'apps/other/src/index.ts expose.host: host admin.test.example.com is also app admin\'s, on ALB group "internal"; one DNS name points at one ALB: use group "internal" or another host',
    ]);
  });

  it('a malformed host or path, and a readiness probe the ALB cannot use', () => {
    expect(definitionIssues({ ...admin, expose: { via: 'ingress', host: '*.test.example.com', paths: ['/a/*', '/b', '/b'] } })).toEqual([
      'expose.host: given "*.test.example.com"; expected a host name (lower-case DNS labels, at least two, no wildcard)',
      'expose.paths[0]: given "/a/*"; expected a path prefix starting with "/" (at most 127 of A-Z a-z 0-9 _ - . $ / ~ " \' @ : + &; no wildcards)',
      'expose.paths: given a list of 3; expected each path once',
    ]);
    expect(problems([{ ...admin, probes: { readiness: { tcpSocket: true } } }])).toEqual([
      'apps/admin/src/index.ts probes.readiness: an Ingress app needs an httpGet readiness probe: the ALB health-checks its path, and an ALB health check is HTTP',
    ]);
  });
});

describe('ingressReferenceProblems: what the controller and ExternalDNS would refuse or ignore', () => {
  const ingress = render(admin).byKind.get('Ingress/admin')!;
  const service = render(admin).byKind.get('Service/admin')!;
  const ingressClass = { kind: 'IngressClass', metadata: { name: 'alb-internal' }, spec: { controller: 'ingress.k8s.aws/alb', parameters: { name: 'alb-internal' } } };
  const params = (namespaces: string[]) => ({
    kind: 'IngressClassParams',
    metadata: { name: 'alb-internal' },
    spec: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: namespaces }] } },
  });
  const externalDns = (classes: string[]) => ({
    kind: 'Deployment',
    metadata: { name: 'external-dns', namespace: 'kube-system' },
    spec: { template: { spec: { containers: [{ args: ['--source=ingress', ...classes.map((c) => `--ingress-class=${c}`)] }] } } },
  });
  const objects = (...manifests: Record<string, any>[]): RenderedObjectRef[] => manifests.map((manifest, i) => ({ component: `c${i}`, file: `c${i}/${manifest.kind}.yaml`, manifest }));
  const check = (...manifests: Record<string, any>[]) => ingressReferenceProblems(env, objects(...manifests)).map((p) => `${p.parameter}: ${p.message}`);
  const annotated = {
    ...ingress,
    metadata: { ...ingress.metadata, annotations: { ...ingress.metadata.annotations, 'kubernetes.io/ingress.class': 'alb', 'alb.ingress.kubernetes.io/group.name': 'public' } },
  };
  const otherPort = { ...service, spec: { ...service.spec, ports: [{ name: 'http', port: 9999 }] } };

  it('accepts an Ingress whose class admits it, is watched, and routes to a Service port', () => {
    expect(check(ingress, service, ingressClass, params(['admin']), externalDns(['alb-internal']))).toEqual([]);
  });

  it('names each broken reference', () => {
    expect(check(ingress, service)).toEqual([
      'spec.ingressClassName: names "alb-internal", which is no rendered IngressClass of the AWS Load Balancer Controller; no ALB would be made',
    ]);
    expect(check(ingress, service, ingressClass, params(['other']), externalDns([]))).toEqual([
      "spec.ingressClassName: class alb-internal's IngressClassParams do not admit namespace admin; the controller would refuse the Ingress",
      'spec.ingressClassName: ExternalDNS does not watch class alb-internal; its hosts would get no DNS record',
    ]);
    expect(check(ingress, otherPort, ingressClass, params(['admin']), externalDns(['alb-internal']))).toEqual([
      'spec.rules[0].http.paths[0].backend.service.port: Service "admin" has no port {"number":8080}',
      'spec.rules[0].http.paths[1].backend.service.port: Service "admin" has no port {"number":8080}',
    ]);
    expect(check(ingress, ingressClass, params(['admin']), externalDns(['alb-internal']))).toHaveLength(2);
  });

  it('refuses the class and group annotations, which the controller webhook refuses', () => {
    expect(check(annotated, service, ingressClass, params(['admin']), externalDns(['alb-internal'])).map((line) => line.split(':')[0])).toEqual([
      'metadata.annotations.kubernetes.io/ingress.class',
      'metadata.annotations.alb.ingress.kubernetes.io/group.name',
    ]);
  });

  describe('INGRESS_REFERENCE_READS', () => {
    const platform = [ingressClass, params(['admin']), externalDns(['alb-internal'])];
    // Backends by port name, a rule without http, and a Service port of that name.
    const byName = {
      ...ingress,
      spec: { ...ingress.spec, rules: [{ host: 'admin.test.example.com' }, { http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'admin', port: { name: 'http' } } } }] } }] },
    };
    const namedPort = { ...service, spec: { ...service.spec, ports: [{ name: 'http', port: 9999 }] } };
    const unnamedPort = { ...service, spec: { ...service.spec, ports: [{ port: 9999 }] } };
    // A Deployment of another name whose args name the class, as an app's may.
    const watcher = (name: string) => ({ ...externalDns(['alb-internal']), metadata: { name, namespace: 'kube-system' } });
    const foreignClass = { ...ingressClass, spec: { controller: 'example.com/other', parameters: { name: 'alb-internal' } } };
    const withArgs = render({ ...admin, args: ['--ingress-class=alb-internal'] }).manifests;
    const fixtures: Record<string, RenderedObjectRef[]> = {
      'every reference resolves': objects(ingress, service, ...platform),
      'no IngressClass': objects(ingress, service),
      'params admitting another namespace, ExternalDNS watching nothing': objects(ingress, service, ingressClass, params(['other']), externalDns([])),
      'no Service port of the number': objects(ingress, otherPort, ...platform),
      'no Service': objects(ingress, ...platform),
      'refused annotations': objects(annotated, service, ...platform),
      'the rendered app, and an app Deployment with args': objects(...render(admin).manifests, ...withArgs.filter((m) => m.kind === 'Deployment').map((m) => ({ ...m, metadata: { ...m.metadata, name: 'args' } })), ...platform),
      'a backend by port name': objects(byName, namedPort, ...platform),
      'a backend by a port name the Service lacks': objects(byName, unnamedPort, ...platform),
      'a class of another controller': objects(ingress, service, foreignClass, params(['admin']), externalDns(['alb-internal'])),
      'a class without params': objects(ingress, service, { ...ingressClass, spec: { controller: 'ingress.k8s.aws/alb' } }, params(['admin']), externalDns(['alb-internal'])),
      'the class watched only by others': objects(ingress, service, ingressClass, params(['admin']), externalDns([]), watcher('not-external-dns')),
    };
    const check = (rendered: readonly RenderedObjectRef[]) => ingressReferenceProblems(env, rendered);
    // An object cut down too far may make the check throw (it reads `metadata.name` unguarded): that too is finding otherwise.
    const outcome = (rendered: readonly RenderedObjectRef[]) => {
      try {
        return JSON.stringify(check(rendered));
      } catch (error) {
        return `throws ${(error as Error).message}`;
      }
    };
    const found = Object.fromEntries(Object.entries(fixtures).map(([name, rendered]) => [name, outcome(rendered)]));

    it.each(Object.keys(fixtures))('finds the same problems in the objects cut down to what it declares: %s', (name) => {
      expect(check(projected({ objects: fixtures[name]! }, INGRESS_REFERENCE_READS).objects)).toEqual(check(fixtures[name]!));
    });

    it('has fixtures that find problems, so the comparison is not of empty lists', () => {
      expect(Object.values(found).filter((problems) => problems !== '[]').length).toBeGreaterThanOrEqual(Object.keys(fixtures).length - 3);
    });

    it('declares nothing the fixtures do not need: without any one path, some fixture finds otherwise', () => {
      const unneeded = declaredPaths(INGRESS_REFERENCE_READS).filter(({ kind, path }) => {
        const reads = without(INGRESS_REFERENCE_READS, kind, path);
        return Object.entries(fixtures).every(([name, rendered]) => outcome(projected({ objects: rendered }, reads).objects) === found[name]);
      });
      expect(unneeded).toEqual([]);
    });

    it("keeps every projection when an app's release changes only its images, commands, env values, probes and resources", () => {
      const project = projector(INGRESS_REFERENCE_READS);
      const manifests = Object.values(fixtures).flatMap((rendered) => rendered.map(({ manifest }) => manifest));
      for (const manifest of manifests) expect(project(withContainers(manifest, releaseChange))).toEqual(project(manifest));
      const deployment = render({ ...admin, env: { A: 'a' } }).byKind.get('Deployment/admin')!;
      expect(withContainers(deployment, releaseChange)).not.toEqual(deployment);
      expect(project(withContainers(deployment, releaseChange))).toEqual(project(deployment));
    });
  });
});
