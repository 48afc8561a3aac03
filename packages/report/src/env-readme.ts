import { parameterName } from '@gitops/contract';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { fargateSummary, workloadSizes, type RenderedObjectLike } from '@gitops/fargate';

/** One rendered env as synth hands it over, with the SSM values its components read. */
export interface EnvReadmeInput {
  readonly env: EnvironmentSpec;
  readonly components: readonly Component[];
  readonly objects: readonly RenderedObjectLike[];
  /** Raw SSM values by full parameter name (the snapshot, or SSM with --live). */
  readonly parameters: ReadonlyMap<string, string>;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const WAVE = 'argocd.argoproj.io/sync-wave';

/** A Mermaid node id: letters, digits and `_` only, unique per object. */
const nodeId = (...parts: string[]) => parts.join('_').replace(/[^A-Za-z0-9]/g, '_');
/** A Mermaid label in quotes: `"` would end it, so it becomes the #quot; entity Mermaid reads. */
const label = (...lines: string[]) => `"${lines.join('<br/>').replace(/"/g, '#quot;')}"`;
const cell = (text: string) => text.replace(/\|/g, '\\|');

interface Node {
  readonly id: string;
  readonly text: string;
}

/**
 * The Mermaid flowchart of an env's traffic: the shared ALB (made by infra) or an Ingress,
 * through target groups and TargetGroupBindings to Services and the Deployments behind them,
 * with the SSM parameters each consumes as dotted links. Deployments that serve no traffic
 * appear on their own. Every line is in a fixed order.
 */
export function trafficDiagram(input: EnvReadmeInput): string {
  const { objects, env } = input;
  const of = (kind: string) => objects.filter((o) => o.manifest.kind === kind).sort((a, b) => byText(a.file, b.file));
  const ns = (o: RenderedObjectLike) => String(o.manifest.metadata?.namespace ?? 'default');
  const name = (o: RenderedObjectLike) => String(o.manifest.metadata?.name);
  const lines = ['flowchart LR'];
  const nodes: Node[] = [];
  const edges: string[] = [];
  const backendEdges: string[] = [];
  const add = (node: Node) => {
    if (!nodes.some((n) => n.id === node.id)) nodes.push(node);
    return node.id;
  };
  const id = (o: RenderedObjectLike) => nodeId(o.manifest.kind, ns(o), name(o));
  const deployments = of('Deployment');
  const services = of('Service');
  const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
    selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
  const backends = (service: RenderedObjectLike) =>
    deployments.filter((d) => ns(d) === ns(service) && matches(service.manifest.spec?.selector, d.manifest.spec?.template?.metadata?.labels));
  const serviceNode = (service: RenderedObjectLike) => {
    const ports = (service.manifest.spec?.ports ?? []).map((p: any) => `${p.port}→${p.targetPort ?? p.port}`).join(', ');
    const sid = add({ id: id(service), text: `${id(service)}[${label(`Service ${ns(service)}/${name(service)}`, ports)}]` });
    for (const deployment of backends(service)) {
      const edge = `${sid} --> ${deploymentNode(deployment)}`;
      if (!backendEdges.includes(edge)) backendEdges.push(edge);
    }
    return sid;
  };
  const deploymentNode = (d: RenderedObjectLike) => add({ id: id(d), text: `${id(d)}[[${label(`Deployment ${ns(d)}/${name(d)}`, `× ${d.manifest.spec?.replicas ?? 1}`)}]]` });

  const bindings = of('TargetGroupBinding');
  const ingresses = of('Ingress');
  if (bindings.length > 0) add({ id: 'alb', text: `alb([${label('shared ALB', 'packages/infra: listener rules by host, WAF')}])` });
  for (const binding of bindings) {
    const arn = String(binding.manifest.spec?.targetGroupARN ?? '');
    const tg = add({ id: nodeId('tg', ns(binding), name(binding)), text: `${nodeId('tg', ns(binding), name(binding))}[/${label(`target group ${arn.split('/')[1] ?? name(binding)}`, 'ip targets')}/]` });
    edges.push(`alb --> ${tg}`);
    const bid = add({ id: id(binding), text: `${id(binding)}{{${label(`TargetGroupBinding ${ns(binding)}/${name(binding)}`)}}}` });
    edges.push(`${tg} --> ${bid}`);
    const service = services.find((s) => ns(s) === ns(binding) && name(s) === binding.manifest.spec?.serviceRef?.name);
    if (service) edges.push(`${bid} --> ${serviceNode(service)}`);
  }
  for (const ingress of ingresses) {
    const iid = add({ id: id(ingress), text: `${id(ingress)}([${label(`Ingress ${ns(ingress)}/${name(ingress)}`, ...(ingress.manifest.spec?.rules ?? []).map((r: any) => r.host ?? '*'))}])` });
    const names = new Set<string>();
    for (const rule of ingress.manifest.spec?.rules ?? []) for (const path of rule.http?.paths ?? []) if (path.backend?.service?.name) names.add(path.backend.service.name);
    if (ingress.manifest.spec?.defaultBackend?.service?.name) names.add(ingress.manifest.spec.defaultBackend.service.name);
    for (const serviceName of [...names].sort(byText)) {
      const service = services.find((s) => ns(s) === ns(ingress) && name(s) === serviceName);
      if (service) edges.push(`${iid} --> ${serviceNode(service)}`);
    }
  }
  for (const deployment of deployments) deploymentNode(deployment);

  // SSM parameters: each links to the objects its value appears in; a ServiceAccount's (its IRSA
  // role) links to the Deployments running as it.
  const declared = new Set(input.components.flatMap((c) => c.parameters.map((definition) => parameterName(definition, env))));
  const shown = (o: RenderedObjectLike) => nodes.find((n) => n.id === id(o))?.id;
  const parameterLines: string[] = [];
  for (const parameter of [...declared].sort(byText)) {
    const value = input.parameters.get(parameter);
    if (!value || value.length < 6) continue;
    const consumers = new Set<string>();
    // The whole value of a field, or of a `--flag=value` argument: a cluster name is also the start of its role names.
    const escaped = JSON.stringify(value).slice(1, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const whole = new RegExp(`(?:"|=)${escaped}"`);
    for (const object of objects) {
      if (!whole.test(JSON.stringify(object.manifest))) continue;
      const direct = shown(object);
      if (direct) consumers.add(direct);
      if (object.manifest.kind === 'ServiceAccount') {
        for (const d of deployments) if (ns(d) === ns(object) && d.manifest.spec?.template?.spec?.serviceAccountName === name(object)) consumers.add(id(d));
      }
    }
    if (consumers.size === 0) continue;
    const pid = nodeId('ssm', parameter);
    parameterLines.push(`  ${pid}[(${label(`SSM ${parameter.slice(env.ssmPrefix.length + 1)}`)})]`);
    for (const consumer of [...consumers].sort(byText)) edges.push(`${pid} -.-> ${consumer}`);
  }
  lines.push(...nodes.map((n) => `  ${n.text}`), ...parameterLines, ...[...edges, ...backendEdges].map((e) => `  ${e}`), '  classDef ssm fill:#fff8e1,stroke:#b8860b');
  const ssmIds = parameterLines.map((line) => line.trim().split('[')[0]!);
  if (ssmIds.length > 0) lines.push(`  class ${ssmIds.join(',')} ssm`);
  return `${lines.join('\n')}\n`;
}

/** `gitops/<env>/README.md`: what runs in the env, in what order, at what size, and how traffic reaches it. */
export function envReadme(input: EnvReadmeInput): string {
  const { env, objects } = input;
  const out: string[] = [];
  out.push(`# ${env.name}\n`);
  out.push(
    `Rendered by \`pnpm synth\` from \`clusters/${env.name}/env.ts\`; never edit it by hand. ` +
      'Argo CD applies only the YAML and JSON of the component folders below; this file is documentation and is never applied.\n',
  );
  out.push('| | |\n|---|---|');
  out.push(`| account / region | ${env.account} / ${env.region} |`);
  out.push(`| cluster | ${env.cluster.name} (Kubernetes ${env.cluster.kubernetesVersion}) |`);
  out.push(`| SSM prefix | \`${env.ssmPrefix}\` |`);
  out.push(`| Argo CD | ${env.argocd.managedBy ? `the hub in env ${env.argocd.managedBy}` : 'its own, in namespace argocd'}; ${cell(env.argocd.repoURL)} at ${env.argocd.targetRevision} |\n`);

  out.push('## Components, in sync-wave order\n');
  out.push('| wave | Application | source | namespace | objects |\n|---|---|---|---|---|');
  const applications = objects
    .filter((o) => o.manifest.kind === 'Application' && String(o.manifest.apiVersion).startsWith('argoproj.io/'))
    .map((o) => ({ o, wave: Number(o.manifest.metadata?.annotations?.[WAVE] ?? 0) }))
    .sort((a, b) => a.wave - b.wave || byText(String(a.o.manifest.metadata?.name), String(b.o.manifest.metadata?.name)));
  for (const { o, wave } of applications) {
    const source = o.manifest.spec?.source ?? o.manifest.spec?.sources?.[0] ?? {};
    const path = String(source.path ?? '');
    const local = path.startsWith(`gitops/${env.name}/`) ? path.slice(`gitops/${env.name}/`.length) : undefined;
    const where = source.chart
      ? `chart ${source.chart} ${source.targetRevision} (${source.repoURL})`
      : local !== undefined
        ? `[\`${local}/\`](${local}/)`
        : `${source.repoURL} \`${path}\` at ${source.targetRevision}`;
    const count = local !== undefined ? String(objects.filter((x) => x.component === local).length) : 'upstream';
    out.push(`| ${wave} | ${o.manifest.metadata?.name} | ${cell(where)} | ${o.manifest.spec?.destination?.namespace ?? ''} | ${count} |`);
  }
  out.push('');

  out.push('## Namespaces\n');
  const users = new Map<string, Set<string>>();
  const use = (namespace: string, by: string) => users.set(namespace, (users.get(namespace) ?? new Set()).add(by));
  for (const o of objects) if (o.manifest.kind === 'Namespace') use(String(o.manifest.metadata?.name), `Namespace object in \`${o.component}/\``);
  for (const { o } of applications) if (o.manifest.spec?.destination?.namespace) use(String(o.manifest.spec.destination.namespace), `destination of ${o.manifest.metadata?.name}`);
  const namespaces = [...users].sort(([a], [b]) => byText(a, b)).map(([namespace, by]) => `- \`${namespace}\`: ${[...by].sort(byText).join('; ')}`);
  out.push(namespaces.length > 0 ? namespaces.join('\n') : 'None rendered here.');
  const profiles = env.fargateProfiles.map((p) => `\`${p.name}\`: ${p.selectors.map((s) => s.namespace).join(', ')}`).join('; ');
  out.push(`\nFargate profiles (made by packages/infra): ${profiles}.\n`);

  out.push('## Fargate size and cost\n');
  out.push('| workload | pods | each |\n|---|---|---|');
  for (const size of workloadSizes(input).sort((a, b) => byText(a.file, b.file))) out.push(`| [\`${size.file}\`](${size.file}) | ${size.pods} | ${size.size.vcpu} vCPU / ${size.size.memoryGb} GB |`);
  out.push(`\n${fargateSummary(input)[0]!.replace(/^fargate: /, 'Total: ')}\n`);

  out.push('## Traffic and the SSM parameters it depends on\n');
  out.push('```mermaid');
  out.push(trafficDiagram(input).trimEnd());
  out.push('```\n');
  return `${out.join('\n')}`;
}
