import type { ComponentOutline, ReadPaths } from '@gitops/core';

/** A rendered object, as synth hands it to checks. */
export interface RenderedObjectLike {
  readonly component: string;
  /** Path inside `gitops/<env>/`. */
  readonly file: string;
  readonly manifest: Readonly<Record<string, any>>;
}

/** A pod template of a rendered workload (or a bare Pod), with where it sits in the object. */
export interface PodTemplate {
  readonly object: RenderedObjectLike;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Dotted path of the pod spec inside the object, e.g. `spec.template.spec`. */
  readonly specPath: string;
  readonly spec: Readonly<Record<string, any>>;
  readonly labels: Readonly<Record<string, string>>;
  /** Pods it keeps running; undefined for Jobs and CronJobs, whose pods come and go, and DaemonSets. */
  readonly steadyReplicas?: number;
}

// Where each workload kind keeps its pod template (apps/v1, batch/v1, v1).
const TEMPLATE_PATHS: Record<string, string> = {
  'v1/Pod': '',
  'v1/ReplicationController': 'spec.template',
  'apps/v1/Deployment': 'spec.template',
  'apps/v1/StatefulSet': 'spec.template',
  'apps/v1/ReplicaSet': 'spec.template',
  'apps/v1/DaemonSet': 'spec.template',
  'batch/v1/Job': 'spec.template',
  'batch/v1/CronJob': 'spec.jobTemplate.spec.template',
};

// Kinds whose pods keep running at `spec.replicas`, else at their autoscaler's minimum, else one.
const REPLICATED_KINDS = new Set(['ReplicationController', 'Deployment', 'StatefulSet', 'ReplicaSet']);

const at = (object: any, path: string): any => (path === '' ? object : path.split('.').reduce((value, key) => value?.[key], object));

/** The namespace an object lands in: its own, else its component's destination namespace, else `default`. */
export function namespaceOf(object: RenderedObjectLike, components: ReadonlyMap<string, ComponentOutline>): string {
  return object.manifest.metadata?.namespace ?? components.get(object.component)?.delivery?.namespace ?? 'default';
}

/** Replicas that an autoscaler keeps at least, by `<namespace>/<kind>/<name>` of its target. */
function autoscalerMinimums(objects: readonly RenderedObjectLike[], components: ReadonlyMap<string, ComponentOutline>): Map<string, number> {
  const minimums = new Map<string, number>();
  for (const object of objects) {
    const { manifest } = object;
    if (manifest.kind !== 'HorizontalPodAutoscaler') continue;
    const target = manifest.spec?.scaleTargetRef;
    if (target) minimums.set(`${namespaceOf(object, components)}/${target.kind}/${target.name}`, manifest.spec?.minReplicas ?? 1);
  }
  return minimums;
}

/** Every pod template among the rendered objects. */
export function podTemplates(objects: readonly RenderedObjectLike[], components: ReadonlyMap<string, ComponentOutline>): PodTemplate[] {
  const minimums = autoscalerMinimums(objects, components);
  const templates: PodTemplate[] = [];
  for (const object of objects) {
    const { manifest } = object;
    const path = TEMPLATE_PATHS[`${manifest.apiVersion}/${manifest.kind}`];
    if (path === undefined) continue;
    const template = at(manifest, path);
    if (!template?.spec) continue;
    const namespace = namespaceOf(object, components);
    const kind = String(manifest.kind);
    const name = String(manifest.metadata?.name);
    const steadyReplicas =
      kind === 'Pod' ? 1 : REPLICATED_KINDS.has(kind) ? (manifest.spec?.replicas ?? minimums.get(`${namespace}/${kind}/${name}`) ?? 1) : undefined;
    templates.push({
      object,
      kind,
      name,
      namespace,
      specPath: path === '' ? 'spec' : `${path}.spec`,
      spec: template.spec,
      labels: template.metadata?.labels ?? {},
      ...(steadyReplicas !== undefined ? { steadyReplicas } : {}),
    });
  }
  return templates;
}

/**
 * What `podTemplates` reads of each object, with `podSpec` (paths inside a pod spec, at least
 * one: a template counts only if it has a spec) read in every pod template. A workload's name
 * matters only to find its autoscaler, so only the kinds an autoscaler sizes declare it.
 */
export function podTemplateReads(podSpec: readonly string[]): ReadPaths {
  const reads: Record<string, string[]> = {
    HorizontalPodAutoscaler: ['metadata.namespace', 'spec.scaleTargetRef.kind', 'spec.scaleTargetRef.name', 'spec.minReplicas'],
  };
  for (const [type, path] of Object.entries(TEMPLATE_PATHS)) {
    const kind = type.slice(type.lastIndexOf('/') + 1);
    const template = path === '' ? '' : `${path}.`;
    (reads[kind] ??= []).push(
      'apiVersion',
      'metadata.namespace',
      ...(REPLICATED_KINDS.has(kind) ? ['metadata.name', 'spec.replicas'] : []),
      `${template}metadata.labels`,
      ...podSpec.map((inside) => `${template}spec.${inside}`),
    );
  }
  return reads;
}
