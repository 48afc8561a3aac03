import { parameterName } from '@gitops/contract';
import { mergeReadPaths, SYNC_WAVE_ANNOTATION, type ComponentOutline, type EnvironmentSpec, type ReadPaths } from '@gitops/core';
import { FARGATE_READS, fargateSummary, workloadSizes, type RenderedObjectLike } from '@gitops/fargate';

/** One rendered env as synth hands it over, with the SSM values its components read. */
export interface EnvReadmeInput {
  readonly env: EnvironmentSpec;
  readonly components: readonly ComponentOutline[];
  readonly objects: readonly RenderedObjectLike[];
  /** Raw SSM values by full parameter name (the snapshot, or SSM with --live). */
  readonly parameters: ReadonlyMap<string, string>;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Kinds the diagram draws an object of as a node. */
const NODE_KINDS: ReadonlySet<string> = new Set(['TargetGroupBinding', 'Service', 'Deployment', 'Ingress']);
/** Kinds of the objects an SSM parameter can link to: the drawn ones, and ServiceAccounts (an IRSA role links to the Deployments running as its account). */
const LINKABLE_KINDS: ReadonlySet<string> = new Set([...NODE_KINDS, 'ServiceAccount']);

/**
 * Every path of an object that `envReadme` reads, the Fargate sizes' included. An Application's
 * annotations are read whole: the sync-wave annotation's key holds dots, which a path cannot
 * name. The strings that link a parameter to an object are no path's: `parameterLinks` keeps them.
 */
export const ENV_README_READS: ReadPaths = mergeReadPaths(FARGATE_READS, {
  '*': ['kind'],
  Application: [
    'apiVersion',
    'metadata.name',
    'metadata.annotations',
    ...['spec.source', 'spec.sources[]'].flatMap((source) => ['repoURL', 'path', 'chart', 'targetRevision'].map((field) => `${source}.${field}`)),
    'spec.destination.namespace',
  ],
  Namespace: ['metadata.name'],
  Deployment: ['metadata.name', 'metadata.namespace', 'spec.replicas', 'spec.template.metadata.labels', 'spec.template.spec.serviceAccountName'],
  Service: ['metadata.name', 'metadata.namespace', 'spec.selector', 'spec.ports[].port', 'spec.ports[].targetPort'],
  TargetGroupBinding: ['metadata.name', 'metadata.namespace', 'spec.targetGroupARN', 'spec.serviceRef.name'],
  Ingress: ['metadata.name', 'metadata.namespace', 'spec.rules[].host', 'spec.rules[].http.paths[].backend.service.name', 'spec.defaultBackend.service.name'],
  ServiceAccount: ['metadata.name', 'metadata.namespace'],
});

/** A Mermaid node id: letters, digits and `_` only, unique per object. */
const nodeId = (...parts: string[]) => parts.join('_').replace(/[^A-Za-z0-9]/g, '_');
/** A Mermaid label in quotes: `"` would end it, so it becomes the #quot; entity Mermaid reads. */
const label = (...lines: string[]) => `"${lines.join('<br/>').replace(/"/g, '#quot;')}"`;
const cell = (text: string) => text.replace(/\|/g, '\\|');

interface Node {
  readonly id: string;
  readonly text: string;
}

/** Whether a parameter's value is looked for at all: a shorter one would turn up in objects by chance. */
const linked = (value: string | undefined): value is string => value !== undefined && value.length >= 6;

const NONE: readonly string[] = [];

/**
 * Which of `values` a key or string value holds: its whole, or what follows a `=` (a
 * `--flag=value` argument) or a `"` in it. Each string is judged alone, never a run across two,
 * so a projection that keeps the strings holding a value links it exactly as the whole object.
 */
function heldIn(values: ReadonlySet<string>): (text: string) => readonly string[] {
  // A string shorter than every value holds none of them (most keys and many values are).
  const shortest = Math.min(...[...values].map((value) => value.length));
  return (text) => {
    if (text.length < shortest) return NONE;
    let held: string[] | undefined;
    const hold = (part: string) => {
      if (values.has(part)) (held ??= []).push(part);
    };
    hold(text);
    for (const mark of ['=', '"']) for (let at = text.indexOf(mark); at !== -1; at = text.indexOf(mark, at + 1)) hold(text.slice(at + 1));
    return held ?? NONE;
  };
}

/**
 * What a projection of an object must keep for `envReadme` to link parameters of `values` as it
 * does over the whole object: every key or string holding one (`text`), in the objects it can
 * link (`kinds`). Give it the values of the env's parameters (more is harmless).
 */
export function parameterLinks(values: Iterable<string>): { readonly kinds: ReadonlySet<string>; readonly text: (text: string) => boolean } {
  const held = heldIn(new Set([...values].filter(linked)));
  return { kinds: LINKABLE_KINDS, text: (text) => held(text).length > 0 };
}

/** Which objects each of `values` is found in (`heldIn`), in object order, each object's strings walked once for all of them. */
function consumersOf(objects: readonly RenderedObjectLike[], values: ReadonlySet<string>): (value: string) => readonly RenderedObjectLike[] {
  const found = new Map<string, RenderedObjectLike[]>();
  const held = heldIn(values);
  let hits = new Set<string>();
  const match = (text: string) => {
    for (const value of held(text)) hits.add(value);
  };
  const visit = (value: unknown): void => {
    if (typeof value === 'string') match(value);
    else if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        match(key);
        visit((value as Record<string, unknown>)[key]);
      }
    }
  };
  for (const object of objects) {
    hits = new Set();
    visit(object.manifest);
    for (const hit of hits) {
      const list = found.get(hit);
      if (list) list.push(object);
      else found.set(hit, [object]);
    }
  }
  return (value) => found.get(value) ?? [];
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
  const nodes = new Map<string, Node>();
  const edges: string[] = [];
  const backendEdges = new Set<string>();
  const add = (node: Node) => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
    return node.id;
  };
  const ids = new Map<RenderedObjectLike, string>();
  const id = (o: RenderedObjectLike) => {
    let known = ids.get(o);
    if (known === undefined) ids.set(o, (known = nodeId(o.manifest.kind, ns(o), name(o))));
    return known;
  };
  const inNamespace = (list: readonly RenderedObjectLike[]) => {
    const index = new Map<string, RenderedObjectLike[]>();
    for (const o of list) {
      const inside = index.get(ns(o));
      if (inside) inside.push(o);
      else index.set(ns(o), [o]);
    }
    return (namespace: string) => index.get(namespace) ?? [];
  };
  const deployments = of('Deployment');
  const deploymentsIn = inNamespace(deployments);
  const services = of('Service');
  const servicesIn = inNamespace(services);
  const serviceNamed = (namespace: string, serviceName: unknown) => servicesIn(namespace).find((s) => name(s) === serviceName);
  const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
    selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
  const backends = (service: RenderedObjectLike) => deploymentsIn(ns(service)).filter((d) => matches(service.manifest.spec?.selector, d.manifest.spec?.template?.metadata?.labels));
  const serviceNode = (service: RenderedObjectLike) => {
    const ports = (service.manifest.spec?.ports ?? []).map((p: any) => `${p.port}→${p.targetPort ?? p.port}`).join(', ');
    const sid = add({ id: id(service), text: `${id(service)}[${label(`Service ${ns(service)}/${name(service)}`, ports)}]` });
    for (const deployment of backends(service)) backendEdges.add(`${sid} --> ${deploymentNode(deployment)}`);
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
    const service = serviceNamed(ns(binding), binding.manifest.spec?.serviceRef?.name);
    if (service) edges.push(`${bid} --> ${serviceNode(service)}`);
  }
  for (const ingress of ingresses) {
    const iid = add({ id: id(ingress), text: `${id(ingress)}([${label(`Ingress ${ns(ingress)}/${name(ingress)}`, ...(ingress.manifest.spec?.rules ?? []).map((r: any) => r.host ?? '*'))}])` });
    const names = new Set<string>();
    for (const rule of ingress.manifest.spec?.rules ?? []) for (const path of rule.http?.paths ?? []) if (path.backend?.service?.name) names.add(path.backend.service.name);
    if (ingress.manifest.spec?.defaultBackend?.service?.name) names.add(ingress.manifest.spec.defaultBackend.service.name);
    for (const serviceName of [...names].sort(byText)) {
      const service = serviceNamed(ns(ingress), serviceName);
      if (service) edges.push(`${iid} --> ${serviceNode(service)}`);
    }
  }
  for (const deployment of deployments) deploymentNode(deployment);

  // SSM parameters: each links to the objects its value appears in; a ServiceAccount's (its IRSA
  // role) links to the Deployments running as it.
  const declared = new Set(input.components.flatMap((c) => c.parameters.map((definition) => parameterName(definition, env))));
  // Only an object shown as a node, or a ServiceAccount, can link a parameter to the diagram. Its
  // kind is tested first: an object of another kind whose id equals a node's links nothing, so
  // `parameterLinks` need keep the strings of these kinds alone.
  const linkable = objects.filter((object) => (NODE_KINDS.has(object.manifest.kind) && nodes.has(id(object))) || object.manifest.kind === 'ServiceAccount');
  const consumersOfValue = consumersOf(linkable, new Set([...declared].map((parameter) => input.parameters.get(parameter)).filter(linked)));
  const parameterLines: string[] = [];
  for (const parameter of [...declared].sort(byText)) {
    const value = input.parameters.get(parameter);
    if (!linked(value)) continue;
    const consumers = new Set<string>();
    for (const object of consumersOfValue(value)) {
      if (nodes.has(id(object))) consumers.add(id(object));
      if (object.manifest.kind === 'ServiceAccount') {
        for (const d of deploymentsIn(ns(object))) if (d.manifest.spec?.template?.spec?.serviceAccountName === name(object)) consumers.add(id(d));
      }
    }
    if (consumers.size === 0) continue;
    const pid = nodeId('ssm', parameter);
    parameterLines.push(`  ${pid}[(${label(`SSM ${parameter.slice(env.ssmPrefix.length + 1)}`)})]`);
    for (const consumer of [...consumers].sort(byText)) edges.push(`${pid} -.-> ${consumer}`);
  }
  lines.push(...[...nodes.values()].map((n) => `  ${n.text}`), ...parameterLines, ...[...edges, ...backendEdges].map((e) => `  ${e}`), '  classDef ssm fill:#fff8e1,stroke:#b8860b');
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
    .map((o) => ({ o, wave: Number(o.manifest.metadata?.annotations?.[SYNC_WAVE_ANNOTATION] ?? 0) }))
    .sort((a, b) => a.wave - b.wave || byText(String(a.o.manifest.metadata?.name), String(b.o.manifest.metadata?.name)));
  const objectCounts = new Map<string, number>();
  for (const x of objects) objectCounts.set(x.component, (objectCounts.get(x.component) ?? 0) + 1);
  for (const { o, wave } of applications) {
    const source = o.manifest.spec?.source ?? o.manifest.spec?.sources?.[0] ?? {};
    const path = String(source.path ?? '');
    const local = path.startsWith(`gitops/${env.name}/`) ? path.slice(`gitops/${env.name}/`.length) : undefined;
    const where = source.chart
      ? `chart ${source.chart} ${source.targetRevision} (${source.repoURL})`
      : local !== undefined
        ? `[\`${local}/\`](${local}/)`
        : `${source.repoURL} \`${path}\` at ${source.targetRevision}`;
    const count = local !== undefined ? String(objectCounts.get(local) ?? 0) : 'upstream';
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
