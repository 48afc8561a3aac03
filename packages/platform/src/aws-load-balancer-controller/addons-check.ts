import type { EnvironmentSpec, ReadPaths } from '@gitops/core';
import { names } from './names';
import type { ProblemLike, RenderedObjectLike } from '../rendered';

// What asks the controller for each add-on: an Ingress annotation or an IngressClassParams field
// (annotations.md, ingress_class.md). With the add-on's flag false the controller ignores it, and
// the load balancer runs without the WAF or Shield protection the object asked for, silently.
const ASKS: readonly { readonly flag: string; readonly annotation: string; readonly paramsField?: string }[] = [
  { flag: '--enable-wafv2', annotation: 'alb.ingress.kubernetes.io/wafv2-acl-arn', paramsField: 'wafv2AclArn' },
  { flag: '--enable-waf', annotation: 'alb.ingress.kubernetes.io/waf-acl-id' },
  { flag: '--enable-shield', annotation: 'alb.ingress.kubernetes.io/shield-advanced-protection' },
];

/**
 * What `controllerAddonsCheck` reads of each object. Paths cannot single out the controller or its
 * first container, so every Deployment's container args; an annotation's key holds dots, which a
 * path cannot name, so every Ingress annotation.
 */
export const CONTROLLER_ADDONS_READS: ReadPaths = {
  Deployment: ['kind', 'metadata.name', 'metadata.namespace', 'spec.template.spec.containers[].args'],
  Ingress: ['kind', 'metadata.annotations'],
  IngressClassParams: ['kind', ...ASKS.flatMap(({ paramsField }) => (paramsField ? [`spec.${paramsField}`] : []))],
};

/**
 * Synth check: no Ingress or IngressClassParams of the env asks for WAFv2, WAF Classic or Shield
 * while the controller runs with that add-on switched off (ControllerAddons in deployment.ts).
 */
export function controllerAddonsCheck(rendered: { readonly env: EnvironmentSpec; readonly objects: readonly RenderedObjectLike[] }): ProblemLike[] {
  const controller = rendered.objects.find(
    ({ manifest }) => manifest.kind === 'Deployment' && manifest.metadata?.name === names.controller && manifest.metadata?.namespace === names.namespace,
  );
  const args: readonly string[] = controller?.manifest.spec?.template?.spec?.containers?.[0]?.args ?? [];
  const off = (flag: string) => args.includes(`${flag}=false`);
  const problems: ProblemLike[] = [];
  for (const { component, file, manifest } of rendered.objects) {
    for (const ask of ASKS) {
      if (!off(ask.flag)) continue;
      const where = { env: rendered.env.name, component, file: `gitops/${rendered.env.name}/${file}` };
      const because = `the controller runs with ${ask.flag}=false and would ignore it, leaving the load balancer without it; turn the add-on on in ControllerAddons (packages/platform/src/aws-load-balancer-controller/deployment.ts)`;
      if (manifest.kind === 'Ingress' && manifest.metadata?.annotations?.[ask.annotation] !== undefined) {
        problems.push({ ...where, parameter: `metadata.annotations.${ask.annotation}`, message: `asks for ${ask.flag.slice('--enable-'.length)}, but ${because}` });
      }
      if (ask.paramsField && manifest.kind === 'IngressClassParams' && manifest.spec?.[ask.paramsField] !== undefined) {
        problems.push({ ...where, parameter: `spec.${ask.paramsField}`, message: `asks for ${ask.flag.slice('--enable-'.length)}, but ${because}` });
      }
    }
  }
  return problems;
}
