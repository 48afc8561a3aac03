import type { EnvironmentSpec, ReadPaths } from '@gitops/core';
import type { AppProblem } from './validate';

/** A rendered object, as synth's checks see it. */
export interface RenderedObjectRef {
  readonly component: string;
  /** Path inside `gitops/<env>/`. */
  readonly file: string;
  readonly manifest: Readonly<Record<string, any>>;
}

// Annotations whose new use the controller's Ingress webhook refuses (aws-load-balancer-controller
// deployment.ts), so an Ingress carrying one, added through `extend`, could never be applied.
const REFUSED_ANNOTATIONS = ['kubernetes.io/ingress.class', 'alb.ingress.kubernetes.io/group.name'] as const;

/**
 * What `ingressReferenceProblems` reads of each object. Paths cannot single out ExternalDNS or its
 * first container, so every Deployment's container args; an annotation's key holds dots, which a
 * path cannot name, so every Ingress annotation.
 */
export const INGRESS_REFERENCE_READS: ReadPaths = {
  IngressClass: ['kind', 'metadata.name', 'spec.controller', 'spec.parameters.name'],
  IngressClassParams: ['kind', 'metadata.name', 'spec.namespaceSelector.matchExpressions'],
  Service: ['kind', 'metadata.namespace', 'metadata.name', 'spec.ports[].port', 'spec.ports[].name'],
  Deployment: ['kind', 'metadata.name', 'spec.template.spec.containers[].args'],
  Ingress: ['kind', 'metadata.namespace', 'metadata.annotations', 'spec.ingressClassName', 'spec.rules[].http.paths[].backend.service'],
};

/**
 * What the controller and ExternalDNS would refuse or ignore about a rendered Ingress, checked
 * before anything is written: its IngressClass must be rendered with the controller
 * `ingress.k8s.aws/alb` and IngressClassParams that admit its namespace (the controller rejects
 * an Ingress its params' namespaceSelector excludes), ExternalDNS must watch that class, it may
 * not carry the class or group annotation the controller refuses, and every backend must be a
 * port of a rendered Service.
 */
export function ingressReferenceProblems(env: EnvironmentSpec, objects: readonly RenderedObjectRef[]): AppProblem[] {
  const problems: AppProblem[] = [];
  const ofKind = (kind: string) => objects.filter((object) => object.manifest.kind === kind);
  const classes = new Map(ofKind('IngressClass').map((object) => [object.manifest.metadata.name as string, object.manifest]));
  const params = new Map(ofKind('IngressClassParams').map((object) => [object.manifest.metadata.name as string, object.manifest]));
  const services = new Map(ofKind('Service').map((object) => [`${object.manifest.metadata.namespace}/${object.manifest.metadata.name}`, object.manifest]));
  const watched = new Set(
    ofKind('Deployment')
      .filter((object) => object.manifest.metadata.name === 'external-dns')
      .flatMap((object) => (object.manifest.spec.template.spec.containers[0].args as string[]).filter((arg) => arg.startsWith('--ingress-class=')))
      .map((arg) => arg.slice('--ingress-class='.length)),
  );

  for (const { component, file, manifest } of ofKind('Ingress')) {
    const report = (parameter: string, message: string) => problems.push({ env: env.name, component, file: `gitops/${env.name}/${file}`, parameter, message });
    const namespace: string = manifest.metadata.namespace;
    const className: string | undefined = manifest.spec?.ingressClassName;
    const ingressClass = className === undefined ? undefined : classes.get(className);
    if (!ingressClass || ingressClass.spec?.controller !== 'ingress.k8s.aws/alb') {
      report('spec.ingressClassName', `names "${className}", which is no rendered IngressClass of the AWS Load Balancer Controller; no ALB would be made`);
    } else {
      const classParams = params.get(ingressClass.spec.parameters?.name);
      const admitted: string[] = classParams?.spec?.namespaceSelector?.matchExpressions?.find((e: any) => e.key === 'kubernetes.io/metadata.name' && e.operator === 'In')?.values ?? [];
      if (!classParams || !admitted.includes(namespace)) report('spec.ingressClassName', `class ${className}'s IngressClassParams do not admit namespace ${namespace}; the controller would refuse the Ingress`);
      if (!watched.has(className!)) report('spec.ingressClassName', `ExternalDNS does not watch class ${className}; its hosts would get no DNS record`);
    }
    for (const annotation of REFUSED_ANNOTATIONS) {
      if (manifest.metadata.annotations?.[annotation] !== undefined) {
        report(`metadata.annotations.${annotation}`, `is refused by the controller's Ingress webhook (it runs with --disable-ingress-class-annotation and --disable-ingress-group-name-annotation); the class in spec.ingressClassName and its IngressClassParams set the class and group`);
      }
    }
    for (const [r, rule] of (manifest.spec?.rules ?? []).entries()) {
      for (const [p, path] of (rule.http?.paths ?? []).entries()) {
        const backend = path.backend?.service;
        const service = services.get(`${namespace}/${backend?.name}`);
        const where = `spec.rules[${r}].http.paths[${p}].backend.service`;
        if (!service) report(`${where}.name`, `Service "${backend?.name}" does not exist in namespace ${namespace}`);
        else if (!(service.spec?.ports ?? []).some((port: any) => port.port === backend.port?.number || (port.name !== undefined && port.name === backend.port?.name))) {
          report(`${where}.port`, `Service "${backend.name}" has no port ${JSON.stringify(backend.port)}`);
        }
      }
    }
  }
  return problems;
}
