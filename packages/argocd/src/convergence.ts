import { SYNC_WAVE_ANNOTATION, type ReadPaths } from '@gitops/core';
import { customKinds } from '@gitops/schemas';
import { ARGOCD_COMPONENT, ARGOCD_INSTALL_COMPONENT, ARGOCD_NAMESPACE, BOOTSTRAP_PROJECT } from './conventions';
import type { RenderedOutline } from './rendered-output';
import { groupOf, isClusterScoped, parseClusterResource } from './scope';
import type { DeliveryProblem } from './topology';

// A model of an empty cluster coming up under Argo CD: every rendered object is given the place
// it is applied at (its Application's sync wave in the root, then its own wave inside that
// Application), and what it needs to become healthy is looked up among the other objects and
// the upstream sources. A need that arrives later than what needs it fails that sync on an
// empty cluster (or holds its wave Degraded) and is reported, naming both objects.
//
// Two kinds of need:
// - existence: the object must exist when this one is applied (its CRD, its namespace, the
//   service account, ConfigMap or Secret its pods use, its AppProject). Inside one Application
//   and one wave Argo CD applies namespaces, CRDs, service accounts, ConfigMaps and Secrets
//   before workloads (its kind order), so the same wave will do.
// - readiness: the object must be serving or have done its work first (a webhook's pods before
//   what it admits, the Certificate writing the Secret a CA Issuer reads: a CA Issuer without its
//   Secret is Degraded, which fails the wave). Argo CD waits for health only between waves, so it
//   must be in an earlier wave. A pod whose Secret a Certificate or ExternalSecret writes in its
//   own wave just waits for it (Progressing), so for pods that need is one of existence.
// Across Applications only the root's waves order anything: Applications in one wave sync side
// by side, so a need from another Application must come from an earlier wave.

type Manifest = Readonly<Record<string, any>>;
type Need = 'existence' | 'readiness';

/** Where an object is applied: its Application, that Application's wave in the root, its wave inside. */
interface Place {
  readonly application: string;
  readonly appWave: number;
  readonly objectWave: number;
}

/** Something that satisfies a need: a rendered object, an upstream source, or the cluster/bootstrap itself. */
interface Provider {
  /** `Kind namespace/name`, or `upstream <name>`, as the problem line names it. */
  readonly label: string;
  /** Undefined: there before any sync (the cluster's own namespaces, Argo CD's install and its kinds). */
  readonly place?: Place;
}

interface Placed {
  readonly component: string;
  readonly file: string;
  readonly manifest: Manifest;
  readonly place: Place;
  readonly label: string;
}

const BEFORE_ANY_SYNC: Provider = { label: 'the cluster' };
/** Namespaces every EKS cluster has; `argocd` is made by the Argo CD install before the root. */
const PRESENT_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', ARGOCD_NAMESPACE]);

const waveOf = (manifest: Manifest) => {
  const wave = Number(manifest.metadata?.annotations?.[SYNC_WAVE_ANNOTATION] ?? 0);
  return Number.isFinite(wave) ? wave : 0;
};

const labelOf = (manifest: Manifest) =>
  `${manifest.kind} ${manifest.metadata?.namespace ? `${manifest.metadata.namespace}/` : ''}${manifest.metadata?.name}`;

/** Whether `provider` is in place in time for `dependent`; the reason when it is not. */
function lateness(provider: Provider, dependent: Place, need: Need): string | undefined {
  const place = provider.place;
  if (!place) return undefined;
  if (place.application === dependent.application) {
    const late = need === 'existence' ? place.objectWave > dependent.objectWave : place.objectWave >= dependent.objectWave;
    if (!late) return undefined;
    return need === 'existence'
      ? `in a later wave (${place.objectWave}) of the same Application`
      : `in wave ${place.objectWave} of the same Application, which is not earlier: Argo CD waits for health only between waves`;
  }
  if (place.appWave < dependent.appWave) return undefined;
  return place.appWave === dependent.appWave
    ? `in Application ${place.application}, which syncs in the same root wave (${place.appWave}), side by side`
    : `in Application ${place.application}, which syncs in a later root wave (${place.appWave})`;
}

function selectorMatches(selector: Manifest | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    if (operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

// Where each workload kind keeps its pod template.
const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

// What the check reads of a pod template: its labels (for pod webhooks' object selectors), its
// service account, and the Secrets and ConfigMaps it names; never images, commands or values.
const POD_TEMPLATE_READS = [
  'metadata.labels',
  'spec.serviceAccountName',
  'spec.volumes[].secret.secretName',
  'spec.volumes[].secret.optional',
  'spec.volumes[].configMap.name',
  'spec.volumes[].configMap.optional',
  ...['initContainers', 'containers'].flatMap((list) =>
    ['envFrom[].secretRef', 'envFrom[].configMapRef', 'env[].valueFrom.secretKeyRef', 'env[].valueFrom.configMapKeyRef'].flatMap((ref) => [
      `spec.${list}[].${ref}.name`,
      `spec.${list}[].${ref}.optional`,
    ]),
  ),
];

const WEBHOOK_READS = [
  'webhooks[].failurePolicy',
  'webhooks[].clientConfig.service.name',
  'webhooks[].clientConfig.service.namespace',
  'webhooks[].rules[].apiGroups',
  'webhooks[].rules[].resources',
  'webhooks[].rules[].operations',
  'webhooks[].namespaceSelector',
  'webhooks[].objectSelector',
];

/** What `convergenceProblems` reads of each object. */
export const CONVERGENCE_READS: ReadPaths = {
  // The wave annotation's key holds dots, which a path cannot name, so every annotation; every
  // object's labels, which webhooks' object selectors (and a Namespace's, their namespace
  // selectors) are matched with.
  '*': ['apiVersion', 'kind', 'metadata.name', 'metadata.namespace', 'metadata.annotations', 'metadata.labels'],
  ...Object.fromEntries(Object.entries(TEMPLATE_PATHS).map(([kind, path]) => [kind, POD_TEMPLATE_READS.map((read) => [...path, read].join('.'))])),
  Service: ['spec.selector'],
  MutatingWebhookConfiguration: WEBHOOK_READS,
  ValidatingWebhookConfiguration: WEBHOOK_READS,
  Issuer: ['spec.ca.secretName'],
  Certificate: ['spec.secretName', 'spec.issuerRef.kind', 'spec.issuerRef.name'],
  ExternalSecret: ['spec.target.name'],
  Application: ['spec.project', 'spec.source.path'],
};

function podTemplateOf(manifest: Manifest): Manifest | undefined {
  const path = TEMPLATE_PATHS[String(manifest.kind)];
  if (!path) return undefined;
  const template = path.reduce<any>((value, key) => value?.[key], manifest);
  return template?.spec ? template : undefined;
}

const BUILT_IN_PLURALS: Record<string, string> = { Ingress: 'ingresses', Endpoints: 'endpoints', NetworkPolicy: 'networkpolicies' };

// The project's CRDs, read once per process: customKinds() fingerprints the CRD folder per call.
let plurals: Map<string, string> | undefined;
let customApiKinds: Set<string> | undefined;
function pluralOf(group: string, kind: string): string {
  plurals ??= new Map(customKinds().map((custom) => [`${groupOf(custom.apiVersion)}/${custom.kind}`, custom.plural]));
  return plurals.get(`${group}/${kind}`) ?? BUILT_IN_PLURALS[kind] ?? `${kind.toLowerCase()}s`;
}
function isCustomKind(apiVersion: string, kind: string): boolean {
  customApiKinds ??= new Set(customKinds().map((custom) => `${custom.apiVersion}/${custom.kind}`));
  return customApiKinds.has(`${apiVersion}/${kind}`);
}

/** What one rendered object, or the pods its template makes, needs. */
interface Requirement {
  readonly need: Need;
  readonly field: string;
  readonly what: string;
  readonly provider: Provider | undefined;
}

/**
 * Every object whose need (CRD, namespace, admitting webhook, the Secret, ConfigMap or service
 * account its pods use, the CA Secret its Issuer reads, its AppProject) is delivered in a later
 * wave or a later Application, one line per need naming both objects.
 */
export function convergenceProblems(rendered: RenderedOutline): DeliveryProblem[] {
  const env = rendered.env.name;
  const components = new Map(rendered.components.map((component) => [component.name, component]));
  const root = `${env}-root`;

  const placed: Placed[] = rendered.objects
    .filter(({ manifest }) => !String(manifest.apiVersion).startsWith('kustomize.config.k8s.io/'))
    .map(({ component, file, manifest }) => {
      const delivery = components.get(component)?.delivery;
      // The root applies the argocd folder; Argo CD's own install is there before the root
      // (the bootstrap applies it by hand) and is then only ever upgraded.
      const place: Place =
        component === ARGOCD_COMPONENT
          ? { application: root, appWave: waveOf(manifest), objectWave: waveOf(manifest) }
          : { application: `${env}-${component}`, appWave: delivery?.syncWave ?? 0, objectWave: waveOf(manifest) };
      const namespace = isClusterScoped(String(manifest.apiVersion), String(manifest.kind))
        ? undefined
        : (manifest.metadata?.namespace ?? delivery?.namespace);
      const withNamespace = namespace && !manifest.metadata?.namespace ? { ...manifest, metadata: { ...manifest.metadata, namespace } } : manifest;
      return { component, file, manifest: withNamespace, place, label: labelOf(withNamespace) };
    });
  const installed = placed.filter((object) => object.component === ARGOCD_INSTALL_COMPONENT);
  const applied = placed.filter((object) => object.component !== ARGOCD_INSTALL_COMPONENT);

  const upstreams = rendered.components.flatMap((component) =>
    (component.upstream ?? []).map((upstream) => ({
      upstream,
      provider: { label: `upstream ${env}-${upstream.name}`, place: { application: `${env}-${upstream.name}`, appWave: upstream.syncWave, objectWave: 0 } },
    })),
  );

  const byKey = new Map<string, Placed[]>();
  const key = (kind: string, namespace: string | undefined, name: string) => `${kind}|${namespace ?? ''}|${name}`;
  for (const object of applied) {
    const entry = key(String(object.manifest.kind), object.manifest.metadata?.namespace, String(object.manifest.metadata?.name));
    if (!byKey.has(entry)) byKey.set(entry, []);
    byKey.get(entry)!.push(object);
  }
  const find = (kind: string, namespace: string | undefined, name: string) => byKey.get(key(kind, namespace, name))?.[0];

  const namespaceLabels = new Map<string, Readonly<Record<string, string>>>(
    applied.filter(({ manifest }) => manifest.kind === 'Namespace').map(({ manifest }) => [String(manifest.metadata.name), manifest.metadata.labels ?? {}]),
  );

  // The CRD of a custom kind: a rendered CRD, an upstream source naming it, or Argo CD's own;
  // looked up once per kind (every app's TargetGroupBinding needs the same CRD).
  const crdProviders = new Map<string, Provider | undefined>();
  const crdProviderOf = (group: string, kind: string): Provider | undefined => {
    if (group === 'argoproj.io') return installed.length > 0 || rendered.env.argocd.managedBy !== undefined ? BEFORE_ANY_SYNC : undefined;
    const name = `${pluralOf(group, kind)}.${group}`;
    const renderedCrd = find('CustomResourceDefinition', undefined, name);
    if (renderedCrd) return renderedCrd;
    const matches = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(name);
    return upstreams.find(({ upstream }) =>
      upstream.clusterResources.map(parseClusterResource).some((item) => item.kind === 'CustomResourceDefinition' && item.name !== undefined && matches(item.name)),
    )?.provider;
  };
  const crdProvider = (group: string, kind: string): Provider | undefined => {
    const entry = `${group}/${kind}`;
    if (!crdProviders.has(entry)) crdProviders.set(entry, crdProviderOf(group, kind));
    return crdProviders.get(entry);
  };

  const namespaceProvider = (namespace: string): Provider | undefined => {
    if (PRESENT_NAMESPACES.has(namespace)) return BEFORE_ANY_SYNC;
    return find('Namespace', undefined, namespace) ?? upstreams.find(({ upstream }) => upstream.namespace === namespace)?.provider;
  };

  // A Secret comes from a rendered Secret, or from the first Certificate or ExternalSecret that writes it.
  const writers = new Map<string, Placed>();
  for (const object of applied) {
    const { manifest } = object;
    const written = manifest.kind === 'Certificate' ? manifest.spec?.secretName : manifest.kind === 'ExternalSecret' ? (manifest.spec?.target?.name ?? manifest.metadata?.name) : undefined;
    const entry = key('Secret', manifest.metadata?.namespace, String(written));
    if (written !== undefined && !writers.has(entry)) writers.set(entry, object);
  }
  const secretProvider = (namespace: string, name: string): Provider | undefined => find('Secret', namespace, name) ?? writers.get(key('Secret', namespace, name));

  // Webhooks that fail closed, each with the Deployment serving it.
  const webhooks = applied
    .filter(({ manifest }) => manifest.kind === 'MutatingWebhookConfiguration' || manifest.kind === 'ValidatingWebhookConfiguration')
    .flatMap((configuration) =>
      ((configuration.manifest.webhooks ?? []) as Manifest[])
        .filter((webhook) => (webhook.failurePolicy ?? 'Fail') === 'Fail' && webhook.clientConfig?.service)
        .map((webhook) => {
          const service = find('Service', webhook.clientConfig.service.namespace, webhook.clientConfig.service.name);
          const selector = service?.manifest.spec?.selector;
          const server = selector
            ? applied.find(
                (object) =>
                  object.manifest.metadata?.namespace === service!.manifest.metadata?.namespace &&
                  podTemplateOf(object.manifest) !== undefined &&
                  selectorMatches({ matchLabels: selector }, podTemplateOf(object.manifest)!.metadata?.labels ?? {}),
              )
            : undefined;
          return { configuration, webhook, server };
        }),
    );

  const admittedBy = (group: string, resource: string, namespace: string | undefined, labels: Readonly<Record<string, string>>) =>
    webhooks.filter(({ webhook }) => {
      const ruled = ((webhook.rules ?? []) as Manifest[]).some(
        (rule) =>
          (rule.apiGroups ?? []).some((g: string) => g === '*' || g === group) &&
          (rule.resources ?? []).some((r: string) => r === '*' || r === resource) &&
          (rule.operations ?? []).some((o: string) => o === '*' || o === 'CREATE'),
      );
      if (!ruled) return false;
      if (namespace !== undefined && !selectorMatches(webhook.namespaceSelector, namespaceLabels.get(namespace) ?? {})) return false;
      return selectorMatches(webhook.objectSelector, labels);
    });

  const problems: DeliveryProblem[] = [];
  for (const object of applied) {
    const { manifest } = object;
    const apiVersion = String(manifest.apiVersion);
    const kind = String(manifest.kind);
    const group = groupOf(apiVersion);
    const namespace: string | undefined = manifest.metadata?.namespace;
    const requirements: Requirement[] = [];

    if (isCustomKind(apiVersion, kind)) {
      requirements.push({ need: 'existence', field: 'apiVersion', what: `its CRD (${pluralOf(group, kind)}.${group})`, provider: crdProvider(group, kind) });
    }
    if (namespace !== undefined) requirements.push({ need: 'existence', field: 'metadata.namespace', what: `namespace ${namespace}`, provider: namespaceProvider(namespace) });

    for (const { configuration, server } of admittedBy(group, pluralOf(group, kind), namespace, manifest.metadata?.labels ?? {})) {
      if (server && server !== object) {
        requirements.push({ need: 'readiness', field: 'kind', what: `the webhook ${configuration.manifest.metadata.name} that admits it`, provider: server });
      }
    }

    if (kind === 'Issuer' && manifest.spec?.ca?.secretName) {
      const provider = secretProvider(String(namespace), manifest.spec.ca.secretName);
      requirements.push({ need: 'readiness', field: 'spec.ca.secretName', what: `CA Secret ${manifest.spec.ca.secretName}`, provider });
    }
    if (kind === 'Certificate' && manifest.spec?.issuerRef?.kind !== 'ClusterIssuer' && manifest.spec?.issuerRef?.name) {
      requirements.push({ need: 'existence', field: 'spec.issuerRef', what: `Issuer ${manifest.spec.issuerRef.name}`, provider: find('Issuer', namespace, manifest.spec.issuerRef.name) });
    }
    if (apiVersion === 'argoproj.io/v1alpha1' && kind === 'Application') {
      const project = String(manifest.spec?.project);
      // A root is applied by hand together with the bootstrap project.
      const handApplied = project === BOOTSTRAP_PROJECT && manifest.spec?.source?.path === `gitops/${env}/${ARGOCD_COMPONENT}`;
      const appProject = find('AppProject', ARGOCD_NAMESPACE, project);
      requirements.push({ need: 'readiness', field: 'spec.project', what: `AppProject ${project}`, provider: handApplied ? BEFORE_ANY_SYNC : appProject });
    }

    const template = podTemplateOf(manifest);
    if (template) {
      const pod = template.spec;
      const podLabels = template.metadata?.labels ?? {};
      const podNamespace = namespace ?? 'default';
      for (const { configuration, server } of admittedBy('', 'pods', podNamespace, podLabels)) {
        if (server && server !== object) {
          requirements.push({ need: 'readiness', field: 'spec.template', what: `the webhook ${configuration.manifest.metadata.name} that admits its pods`, provider: server });
        }
      }
      const account = pod.serviceAccountName;
      if (account && account !== 'default') {
        requirements.push({ need: 'existence', field: 'serviceAccountName', what: `ServiceAccount ${account}`, provider: find('ServiceAccount', podNamespace, account) });
      }
      const containers: Manifest[] = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
      const secrets = new Set<string>();
      const configMaps = new Set<string>();
      for (const volume of (pod.volumes ?? []) as Manifest[]) {
        if (volume.secret?.secretName && !volume.secret.optional) secrets.add(volume.secret.secretName);
        if (volume.configMap?.name && !volume.configMap.optional) configMaps.add(volume.configMap.name);
      }
      for (const container of containers) {
        for (const source of (container.envFrom ?? []) as Manifest[]) {
          if (source.secretRef?.name && !source.secretRef.optional) secrets.add(source.secretRef.name);
          if (source.configMapRef?.name && !source.configMapRef.optional) configMaps.add(source.configMapRef.name);
        }
        for (const variable of (container.env ?? []) as Manifest[]) {
          const from = variable.valueFrom ?? {};
          if (from.secretKeyRef?.name && !from.secretKeyRef.optional) secrets.add(from.secretKeyRef.name);
          if (from.configMapKeyRef?.name && !from.configMapKeyRef.optional) configMaps.add(from.configMapKeyRef.name);
        }
      }
      for (const name of [...secrets].sort()) {
        requirements.push({ need: 'existence', field: 'spec.template.spec', what: `Secret ${name}`, provider: secretProvider(podNamespace, name) });
      }
      for (const name of [...configMaps].sort()) {
        requirements.push({ need: 'existence', field: 'spec.template.spec', what: `ConfigMap ${name}`, provider: find('ConfigMap', podNamespace, name) });
      }
    }

    for (const { need, field, what, provider } of requirements) {
      // A need nothing here delivers is the reference checks' business (or comes from outside).
      if (!provider) continue;
      const late = lateness(provider, object.place, need);
      if (!late) continue;
      problems.push({
        env,
        component: object.component,
        file: `gitops/${env}/${object.file}`,
        parameter: field,
        message: `${object.label} (wave ${object.place.objectWave} of ${object.place.application}) needs ${what}, which ${provider.label} delivers ${late}`,
      });
    }
  }
  return problems;
}
