import { beforeAll, describe, expect, it } from 'vitest';
import { renderAll, type RenderedEnvironment } from '../src/index';
import { repoRoot } from './support/scratch';

// How the pieces of the Ingress way fit in a whole rendered env: every Ingress names a class that
// the env renders, admits its namespace, and that ExternalDNS watches; every backend is a Service
// port; envs without an Ingress app render none of it.
let rendered: RenderedEnvironment[];
beforeAll(async () => {
  rendered = (await renderAll({ root: repoRoot })).rendered;
});

const kind = (env: RenderedEnvironment, name: string) => env.objects.map((o) => o.manifest).filter((m) => m.kind === name);

describe.each(['dev', 'stg', 'prod'])('env %s: the Ingress way fits together', (name) => {
  const envOf = () => rendered.find((r) => r.env.name === name)!;

  it('renders classes and ExternalDNS exactly when an app has an Ingress', () => {
    const env = envOf();
    const ingresses = kind(env, 'Ingress');
    const folders = env.components.map((c) => c.name);
    expect(ingresses.length > 0).toBe(name === 'dev');
    expect(['ingress-classes', 'external-dns'].every((f) => folders.includes(f))).toBe(ingresses.length > 0);
    expect(['ingress-classes', 'external-dns'].some((f) => folders.includes(f))).toBe(ingresses.length > 0);
  });

  it("points every Ingress at a rendered class that admits its namespace, which ExternalDNS watches, and at a Service port", () => {
    const env = envOf();
    const args: string[] = kind(env, 'Deployment').find((d) => d.metadata.name === 'external-dns')?.spec.template.spec.containers[0].args ?? [];
    for (const ingress of kind(env, 'Ingress')) {
      const className = ingress.spec.ingressClassName;
      const ingressClass = kind(env, 'IngressClass').find((c) => c.metadata.name === className);
      expect(ingressClass, `${ingress.metadata.name}: class ${className}`).toBeDefined();
      const params = kind(env, 'IngressClassParams').find((p) => p.metadata.name === ingressClass!.spec.parameters.name)!;
      expect(params.spec.namespaceSelector.matchExpressions[0].values).toContain(ingress.metadata.namespace);
      expect(args).toContain(`--ingress-class=${className}`);
      const domain = args.find((a) => a.startsWith('--domain-filter='))!.split('=')[1]!;
      for (const rule of ingress.spec.rules) {
        expect(rule.host === domain || rule.host.endsWith(`.${domain}`)).toBe(true);
        for (const path of rule.http.paths) {
          const service = kind(env, 'Service').find((s) => s.metadata.namespace === ingress.metadata.namespace && s.metadata.name === path.backend.service.name);
          expect(service!.spec.ports.map((p: { port: number }) => p.port)).toContain(path.backend.service.port.number);
        }
      }
    }
  });
});
