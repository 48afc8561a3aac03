import { fargatePrice, fargateSize, podRequests, podTemplates } from '@gitops/fargate';
import { structuredPatch } from 'diff';
import { byText, objectTitle, type RenderedTree, type TreeObject } from './tree';
import { yamlLinePaths } from './yaml-path';

export type Status = 'added' | 'changed' | 'removed';

/** One object that differs between the base and the working tree. */
export interface ObjectChange {
  readonly env: string;
  /** The Application that reads the object's folder (the working tree's, else the base's). */
  readonly application: string;
  readonly file: string;
  /** `Kind: namespace/name`. */
  readonly title: string;
  readonly kind: string;
  readonly status: Status;
  /** Unified diff lines (`@@` hunk headers carry the YAML path of the first changed line). */
  readonly diff: readonly string[];
  readonly linesAdded: number;
  readonly linesRemoved: number;
  /** Set when the diff alone would mislead: only masked values or only formatting changed. */
  readonly note?: string;
}

export interface ApplicationChange {
  readonly env: string;
  readonly name: string;
  /** Of the Application object itself; `changed` also when only objects it reads changed. */
  readonly status: Status;
  readonly objects: readonly ObjectChange[];
}

export interface FargateTotals {
  readonly pods: number;
  readonly vcpu: number;
  readonly gb: number;
  /** USD per hour at the region's on-demand prices (packages/fargate `fargatePrice`); undefined when no sourced price is known. */
  readonly hourly?: number;
  /** The region the controller is told (`--aws-region`); undefined when nothing says. */
  readonly region?: string;
}

export interface EnvSummary {
  readonly env: string;
  readonly status: Status | 'unchanged';
  readonly applications: Readonly<Record<Status, number>>;
  readonly objects: Readonly<Record<Status, number>>;
  readonly fargate: { readonly before?: FargateTotals; readonly after?: FargateTotals };
}

export type FlagKind = 'delete' | 'namespace' | 'crd' | 'rbac' | 'webhook' | 'iam' | 'ssm' | 'image' | 'replicas' | 'disruption' | 'placeholder';

/** Something a reviewer must not miss, one line each. */
export interface Flag {
  readonly env: string;
  readonly kind: FlagKind;
  readonly text: string;
}

export interface ParameterChange {
  readonly env: string;
  readonly name: string;
  readonly status: Status;
  readonly before?: string;
  readonly after?: string;
}

/** An SSM snapshot (`clusters/<env>/ssm-snapshot.json`) as the report reads it: values by name, and which are placeholders. */
export interface SnapshotValues {
  readonly values: ReadonlyMap<string, string>;
  readonly placeholders: readonly string[];
}

export interface Comparison {
  readonly envs: readonly EnvSummary[];
  readonly applications: readonly ApplicationChange[];
  readonly parameters: readonly ParameterChange[];
  readonly flags: readonly Flag[];
}

interface Owner {
  readonly name: string;
  readonly prune: boolean;
  readonly cascade: boolean;
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'AppProject']);
const WEBHOOK_KINDS = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
const IAM_ROLE_ARN = /arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+/g;
const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const CONTEXT = 3;

const isApplication = (object: TreeObject) => object.kind === 'Application' && String(object.manifest.apiVersion).startsWith('argoproj.io/');

/** Which Application reads each folder: `gitops/<env>/<folder>` → owner, from every Application's source path. */
function owners(tree: RenderedTree): Map<string, Owner> {
  const found = new Map<string, Owner>();
  for (const objects of tree.values()) {
    for (const object of objects.values()) {
      if (!isApplication(object)) continue;
      const spec = object.manifest.spec ?? {};
      const sources: any[] = spec.sources ?? (spec.source ? [spec.source] : []);
      for (const source of sources) {
        if (typeof source?.path !== 'string') continue;
        found.set(source.path.replace(/\/+$/, ''), {
          name: object.name,
          prune: spec.syncPolicy?.automated?.prune === true,
          cascade: (object.manifest.metadata?.finalizers ?? []).some((finalizer: string) => finalizer.startsWith(RESOURCES_FINALIZER)),
        });
      }
    }
  }
  return found;
}

/** What an upstream Application (a chart or another repository) installs, for its deletion flag. */
function upstreamOf(application: TreeObject): string | undefined {
  const source = application.manifest.spec?.source ?? application.manifest.spec?.sources?.[0];
  if (!source) return undefined;
  if (source.chart) return `chart ${source.chart} ${source.targetRevision ?? ''} from ${source.repoURL}`.trim();
  if (!String(source.path ?? '').startsWith('gitops/')) return `${source.repoURL} ${source.path ?? ''} at ${source.targetRevision ?? 'HEAD'}`;
  return undefined;
}

function diffLines(before: string | undefined, after: string | undefined): { lines: string[]; added: number; removed: number } {
  const paths = yamlLinePaths(after ?? before ?? '');
  const oldPaths = yamlLinePaths(before ?? '');
  const patch = structuredPatch('', '', before ?? '', after ?? '', '', '', { context: CONTEXT });
  const lines: string[] = [];
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    const offset = hunk.lines.findIndex((line) => line.startsWith('+') || line.startsWith('-'));
    const first = hunk.lines[offset] ?? '';
    // The path of the first changed line: counted in the new text for an addition, the old for a removal.
    const before_ = hunk.lines.slice(0, offset);
    const context = before_.filter((line) => line.startsWith(' ')).length;
    const path = first.startsWith('+')
      ? paths[hunk.newStart - 1 + context + before_.filter((line) => line.startsWith('+')).length]
      : oldPaths[hunk.oldStart - 1 + context + before_.filter((line) => line.startsWith('-')).length];
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@${path ? ` ${path}` : ''}`);
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue;
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
      lines.push(line);
    }
  }
  return { lines, added, removed };
}

/** JSON with sorted keys: two objects Argo CD would apply the same way compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort(byText).map((k) => [k, v[k]])) : v));
}

function objectChange(env: string, application: string, before: TreeObject | undefined, after: TreeObject | undefined): ObjectChange {
  const object = (after ?? before)!;
  const status: Status = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  const { lines, added, removed } = diffLines(before?.text, after?.text);
  let note: string | undefined;
  if (before && after && before.text === after.text) note = 'only masked values changed';
  else if (before && after && canonical(before.manifest) === canonical(after.manifest)) note = 'formatting only: Argo CD applies the same object';
  return {
    env,
    application,
    file: object.file,
    title: objectTitle(object),
    kind: object.kind,
    status,
    diff: lines,
    linesAdded: added,
    linesRemoved: removed,
    ...(note ? { note } : {}),
  };
}

function fargateTotals(objects: ReadonlyMap<string, TreeObject> | undefined): FargateTotals | undefined {
  if (!objects) return undefined;
  const list = [...objects.values()].map((object) => ({ component: object.folder, file: object.file, manifest: object.manifest }));
  let pods = 0;
  let vcpu = 0;
  let gb = 0;
  for (const template of podTemplates(list, new Map())) {
    const size = fargateSize(podRequests(template.spec));
    if (template.steadyReplicas === undefined || !size) continue;
    pods += template.steadyReplicas;
    vcpu += template.steadyReplicas * size.vcpu;
    gb += template.steadyReplicas * size.memoryGb;
  }
  // The controller is told its region (`--aws-region`): Fargate has no instance metadata to ask.
  const region = [...objects.values()].map((object) => /--aws-region=([a-z0-9-]+)/.exec(object.raw)?.[1]).find(Boolean);
  // Never another region's price: a wrong figure is worse than "cost unknown".
  const price = region ? fargatePrice(region) : undefined;
  return { pods, vcpu, gb, ...(price ? { hourly: vcpu * price.vcpuHour + gb * price.gbHour } : {}), ...(region ? { region } : {}) };
}

/** Container images by `<container>` of a workload's pod template (init containers as `init:<name>`). */
function images(object: TreeObject | undefined): Map<string, string> {
  const found = new Map<string, string>();
  if (!object) return found;
  for (const template of podTemplates([{ component: object.folder, file: object.file, manifest: object.manifest }], new Map())) {
    for (const container of template.spec.initContainers ?? []) found.set(`init:${container.name}`, container.image);
    for (const container of template.spec.containers ?? []) found.set(container.name, container.image);
  }
  return found;
}

const REPLICATED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

function replicaDrop(before: TreeObject, after: TreeObject): string | undefined {
  if (REPLICATED.has(after.kind)) {
    const was = before.manifest.spec?.replicas;
    const now = after.manifest.spec?.replicas;
    // No replicas field means an autoscaler owns the count (or the default of 1).
    if (typeof was === 'number' && typeof now === 'number' && now < was) return `replicas ${was} → ${now}`;
    if (typeof was === 'number' && was > 1 && now === undefined) return `replicas ${was} → unset (1 unless an autoscaler sets it)`;
  }
  if (after.kind === 'HorizontalPodAutoscaler') {
    const was = before.manifest.spec?.minReplicas ?? 1;
    const now = after.manifest.spec?.minReplicas ?? 1;
    if (now < was) return `minReplicas ${was} → ${now}`;
    const maxWas = before.manifest.spec?.maxReplicas;
    const maxNow = after.manifest.spec?.maxReplicas;
    if (typeof maxWas === 'number' && typeof maxNow === 'number' && maxNow < maxWas) return `maxReplicas ${maxWas} → ${maxNow}`;
  }
  return undefined;
}

const list = (items: readonly string[], max = 8) => (items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`);
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** Compares two rendered trees (and the two sides' SSM snapshots); everything comes out in code-point order. */
export function compareTrees(
  base: RenderedTree,
  head: RenderedTree,
  snapshots: { readonly base: ReadonlyMap<string, SnapshotValues>; readonly head: ReadonlyMap<string, SnapshotValues> },
): Comparison {
  const baseOwners = owners(base);
  const headOwners = owners(head);
  const envNames = [...new Set([...base.keys(), ...head.keys(), ...snapshots.base.keys(), ...snapshots.head.keys()])].sort(byText);
  const envs: EnvSummary[] = [];
  const applications: ApplicationChange[] = [];
  const parameters: ParameterChange[] = [];
  const flags: Flag[] = [];

  for (const env of envNames) {
    const before = base.get(env) ?? new Map<string, TreeObject>();
    const after = head.get(env) ?? new Map<string, TreeObject>();
    const flag = (kind: FlagKind, text: string) => flags.push({ env, kind, text });
    const objectCounts: Record<Status, number> = { added: 0, changed: 0, removed: 0 };
    const applicationCounts: Record<Status, number> = { added: 0, changed: 0, removed: 0 };
    const byApplication = new Map<string, ObjectChange[]>();
    const pruned = new Map<string, string[]>();
    const ownerName = (folder: string) => headOwners.get(`gitops/${env}/${folder}`)?.name ?? baseOwners.get(`gitops/${env}/${folder}`)?.name ?? `${env}/${folder} (read by no Application)`;

    for (const file of [...new Set([...before.keys(), ...after.keys()])].sort(byText)) {
      const was = before.get(file);
      const now = after.get(file);
      if (was && now && was.raw === now.raw) continue;
      const object = (now ?? was)!;
      // An Application object's own change belongs to that Application, not to the root that syncs it.
      const application = isApplication(object) ? object.name : ownerName(object.folder);
      const change = objectChange(env, application, was, now);
      objectCounts[change.status]++;
      byApplication.set(application, [...(byApplication.get(application) ?? []), change]);
      const title = objectTitle(object);

      if (isApplication(object)) {
        if (!was) applicationCounts.added++;
        if (!now) applicationCounts.removed++;
      }
      if (!now) {
        const owner = headOwners.get(`gitops/${env}/${object.folder}`);
        if (isApplication(was!)) {
          const cascade = (was!.manifest.metadata?.finalizers ?? []).some((f: string) => f.startsWith(RESOURCES_FINALIZER));
          const upstream = upstreamOf(was!);
          const folder = String(was!.manifest.spec?.source?.path ?? '');
          const synced = [...base.values()].flatMap((objects) => [...objects.values()]).filter((o) => `gitops/${o.env}/${o.folder}` === folder).length;
          const what = upstream ? `everything it installed from ${upstream}` : `the ${synced} object${synced === 1 ? '' : 's'} it synced from ${code(folder)}`;
          flag('delete', `Application ${code(object.name)} removed: ${cascade ? `Argo CD deletes ${what} (resources finalizer)` : `${what} stays in the cluster, unmanaged (no resources finalizer)`}`);
        } else if (owner) {
          const verb = owner.prune ? 'prunes' : 'leaves in the cluster, unmanaged (prune is off)';
          pruned.set(`${owner.name}\0${verb}`, [...(pruned.get(`${owner.name}\0${verb}`) ?? []), title]);
        } else {
          const removedOwner = baseOwners.get(`gitops/${env}/${object.folder}`);
          if (!removedOwner) flag('delete', `${code(title)} removed from a folder no Application reads`);
        }
        if (was!.kind === 'Namespace') flag('namespace', `Namespace ${code(was!.name)} removed: Kubernetes deletes everything in it`);
        if (was!.kind === 'CustomResourceDefinition') flag('crd', `CRD ${code(was!.name)} removed: every custom resource of it is deleted`);
        if (was!.kind === 'PodDisruptionBudget') flag('disruption', `PodDisruptionBudget ${code(title)} removed: voluntary disruptions (node rotation, drains) may take every pod at once`);
        if (was!.kind === 'HorizontalPodAutoscaler') flag('disruption', `HorizontalPodAutoscaler ${code(title)} removed: the workload no longer scales with load`);
      }
      if (RBAC_KINDS.has(object.kind)) flag('rbac', `${object.kind === 'AppProject' ? 'Argo CD project' : 'RBAC'} ${change.status}: ${code(title)}`);
      if (WEBHOOK_KINDS.has(object.kind)) flag('webhook', `admission webhook ${change.status}: ${code(title)}`);

      const rolesWas = new Set(was?.text.match(IAM_ROLE_ARN) ?? []);
      const rolesNow = new Set(now?.text.match(IAM_ROLE_ARN) ?? []);
      const gone = [...rolesWas].filter((arn) => !rolesNow.has(arn)).sort(byText);
      const fresh = [...rolesNow].filter((arn) => !rolesWas.has(arn)).sort(byText);
      if (was && now && (gone.length > 0 || fresh.length > 0)) {
        flag('iam', `IAM role changed in ${code(title)}: ${gone.map(code).join(', ') || '(none)'} → ${fresh.map(code).join(', ') || '(none)'}`);
      } else if (!was && fresh.length > 0) {
        flag('iam', `IAM role used by new ${code(title)}: ${fresh.map(code).join(', ')}`);
      }

      if (was && now) {
        const imagesWas = images(was);
        const imagesNow = images(now);
        for (const [container, image] of [...imagesNow].sort(([a], [b]) => byText(a, b))) {
          const previous = imagesWas.get(container);
          if (previous !== undefined && previous !== image) flag('image', `image of ${code(title)} container ${code(container)}: ${code(previous)} → ${code(image)}`);
        }
        const drop = replicaDrop(was, now);
        if (drop) flag('replicas', `${code(title)}: ${drop}`);
      }
    }

    for (const [key, titles] of [...pruned].sort(([a], [b]) => byText(a, b))) {
      const [owner, verb] = key.split('\0') as [string, string];
      flag('delete', `Argo CD ${verb} ${titles.length} object${titles.length === 1 ? '' : 's'} of ${code(owner)}: ${list(titles.map(code))}`);
    }

    for (const [name, objects] of [...byApplication].sort(([a], [b]) => byText(a, b))) {
      const own = objects.find((change) => change.kind === 'Application' && change.title.endsWith(`/${name}`));
      const status: Status = own?.status === 'added' ? 'added' : own?.status === 'removed' ? 'removed' : 'changed';
      applications.push({ env, name, status, objects });
    }
    // An Application changes when its own object or any object in its folder does.
    applicationCounts.changed = applications.filter((a) => a.env === env && a.status === 'changed').length;

    const snapshotWas = snapshots.base.get(env);
    const snapshotNow = snapshots.head.get(env);
    const names = [...new Set([...(snapshotWas?.values.keys() ?? []), ...(snapshotNow?.values.keys() ?? [])])].sort(byText);
    const changedParameters: ParameterChange[] = [];
    for (const name of names) {
      const was = snapshotWas?.values.get(name);
      const now = snapshotNow?.values.get(name);
      if (was === now) continue;
      const status: Status = was === undefined ? 'added' : now === undefined ? 'removed' : 'changed';
      changedParameters.push({ env, name, status, ...(was !== undefined ? { before: was } : {}), ...(now !== undefined ? { after: now } : {}) });
    }
    parameters.push(...changedParameters);
    if (changedParameters.length > 0) {
      const counts = (['changed', 'added', 'removed'] as const)
        .map((status) => [status, changedParameters.filter((p) => p.status === status).length] as const)
        .filter(([, n]) => n > 0)
        .map(([status, n]) => `${n} ${status}`);
      flag('ssm', `SSM snapshot ${code(`clusters/${env}/ssm-snapshot.json`)}: ${counts.join(', ')} (see below)`);
    }
    const placeholders = snapshotNow?.placeholders ?? [];
    if (placeholders.length > 0) {
      flag('placeholder', `renders from ${placeholders.length} placeholder parameter${placeholders.length === 1 ? '' : 's'} (${list(placeholders.map((p) => code(p.split('/').slice(-3).join('/'))), 4)}): deploy infra and run ${code(`pnpm params:pull --env ${env}`)} before this env syncs`);
    }

    const fargate = { ...(base.has(env) ? { before: fargateTotals(before) } : {}), ...(head.has(env) ? { after: fargateTotals(after) } : {}) };
    const total = objectCounts.added + objectCounts.changed + objectCounts.removed;
    envs.push({
      env,
      status: !base.has(env) && head.has(env) ? 'added' : base.has(env) && !head.has(env) ? 'removed' : total + changedParameters.length > 0 ? 'changed' : 'unchanged',
      applications: applicationCounts,
      objects: objectCounts,
      fargate: fargate as EnvSummary['fargate'],
    });
  }
  return { envs, applications, parameters, flags };
}
