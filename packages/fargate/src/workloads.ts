import type { Component } from '@gitops/core';

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
  /** Pods it keeps running; undefined for Jobs and CronJobs, whose pods come and go. */
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

const at = (object: any, path: string): any => (path === '' ? object : path.split('.').reduce((value, key) => value?.[key], object));

/** The namespace an object lands in: its own, else its component's destination namespace, else `default`. */
export function namespaceOf(object: RenderedObjectLike, components: ReadonlyMap<string, Component>): string {
  return object.manifest.metadata?.namespace ?? components.get(object.component)?.delivery?.namespace ?? 'default';
}

/** Replicas that an autoscaler keeps at least, by `<namespace>/<kind>/<name>` of its target. */
function autoscalerMinimums(objects: readonly RenderedObjectLike[], components: ReadonlyMap<string, Component>): Map<string, number> {
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
export function podTemplates(objects: readonly RenderedObjectLike[], components: ReadonlyMap<string, Component>): PodTemplate[] {
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
      kind === 'Job' || kind === 'CronJob' || kind === 'DaemonSet'
        ? undefined
        : kind === 'Pod'
          ? 1
          : (manifest.spec?.replicas ?? minimums.get(`${namespace}/${kind}/${name}`) ?? 1);
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
