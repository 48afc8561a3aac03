import { mergeReadPaths, type ComponentOutline, type EnvironmentSpec, type ReadPaths } from '@gitops/core';
import { profileFor, selectorMatches } from './profiles';
import { parseQuantity } from './quantity';
import { FARGATE_MAX, FARGATE_OVERHEAD_BYTES, fargateSize, POD_REQUEST_READS, podRequests } from './sizing';
import { namespaceOf, podTemplateReads, podTemplates, type PodTemplate, type RenderedObjectLike } from './workloads';

/** One Fargate violation: env, component, file and field, in the shape synth reports. */
export interface FargateProblem {
  readonly env: string;
  readonly component: string;
  /** `gitops/<env>/<component>/<file>`, or the env spec for an upstream source. */
  readonly file: string;
  /** Dotted path of the offending field. */
  readonly parameter: string;
  readonly message: string;
}

/** One rendered env, as synth hands it to checks. */
export interface FargateInput {
  readonly env: EnvironmentSpec;
  readonly components: readonly ComponentOutline[];
  readonly objects: readonly RenderedObjectLike[];
}

// Volume types a Fargate pod can mount (EKS UG, fargate.adoc). AWS publishes no allow-list: these
// are the types seen working (the controller's chart mounts a Secret; service account tokens are
// projected), plus persistentVolumeClaim, checked separately because only statically provisioned
// EFS volumes mount (no dynamic provisioning, no EBS). Everything else is refused: hostPath, CSI
// inline and EBS were all seen rejected with "Pod not supported on Fargate: volumes not supported".
const FARGATE_VOLUME_TYPES = new Set(['configMap', 'secret', 'emptyDir', 'projected', 'downwardAPI']);
const EFS_CSI_DRIVER = 'efs.csi.aws.com';
const BASE_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';
const GIB = 2 ** 30;
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Every path of an object that `lintFargate` reads, and so `fargateSummary`, `workloadSizes` and
 * `fargateSizingWarnings`, which read pod templates and their requests only. A volume is read
 * whole (its type is whichever key it has besides its name), and so are a ServiceAccount's
 * annotations: the IRSA annotation's key holds dots, which a path cannot name.
 */
export const FARGATE_READS: ReadPaths = mergeReadPaths(
  podTemplateReads([
    'hostNetwork',
    'hostPID',
    'hostIPC',
    'serviceAccountName',
    'serviceAccount',
    'volumes',
    ...CONTAINER_LISTS.flatMap((list) =>
      ['name', 'securityContext.privileged', 'ports[].hostPort', 'resources.requests', 'resources.limits'].map((path) => `${list}[].${path}`),
    ),
    ...POD_REQUEST_READS,
  ]),
  {
    '*': ['kind'],
    ServiceAccount: ['metadata.name', 'metadata.namespace', 'metadata.annotations'],
    Service: ['metadata.name', 'metadata.namespace', 'spec.ports[].name', 'spec.ports[].port'],
    TargetGroupBinding: ['metadata.namespace', 'spec.targetType', 'spec.serviceRef.name', 'spec.serviceRef.port'],
    PersistentVolumeClaim: ['metadata.name', 'metadata.namespace', 'spec.volumeName'],
    PersistentVolume: ['metadata.name', 'spec.csi.driver'],
  },
);

const formatGb = (bytes: number) => `${Number((bytes / GIB).toFixed(2))} GB`;

/**
 * Every way the rendered env breaks a Fargate rule, one problem per violation: pods Fargate
 * refuses or cannot size, namespaces no profile selects, and broken references (bindings to
 * missing Services or ports, missing or unused service accounts).
 */
export function lintFargate({ env, components, objects }: FargateInput): FargateProblem[] {
  const byName = new Map(components.map((component) => [component.name, component]));
  const problems: FargateProblem[] = [];
  const report = (object: RenderedObjectLike, parameter: string, message: string) =>
    problems.push({ env: env.name, component: object.component, file: `gitops/${env.name}/${object.file}`, parameter, message });
  const templates = podTemplates(objects, byName);
  const ofKind = (kind: string) => objects.filter((object) => object.manifest.kind === kind);
  const key = (namespace: string, name: string) => `${namespace}/${name}`;

  // Namespaces where an upstream source (a chart or a Git folder Argo CD installs) runs pods: its
  // pods and service accounts are not rendered here, so references into them cannot be checked.
  const upstreamNamespaces = new Set(
    components.flatMap((component) => (component.upstream ?? []).filter((source) => source.runsPods).map((source) => source.namespace)),
  );

  for (const object of ofKind('DaemonSet')) {
    report(object, 'kind', 'Fargate runs no DaemonSets; run the agent as a sidecar container instead (EKS UG, Fargate considerations)');
  }

  for (const template of templates) lintPod(template, env, (parameter, message) => report(template.object, parameter, message), objects, byName);

  const serviceAccounts = new Set(ofKind('ServiceAccount').map((object) => key(namespaceOf(object, byName), object.manifest.metadata?.name)));
  const usedServiceAccounts = new Set<string>();
  for (const template of templates) {
    const name: string = template.spec.serviceAccountName ?? template.spec.serviceAccount ?? 'default';
    usedServiceAccounts.add(key(template.namespace, name));
    if (name === 'default' || serviceAccounts.has(key(template.namespace, name)) || upstreamNamespaces.has(template.namespace)) continue;
    report(template.object, `${template.specPath}.serviceAccountName`, `service account "${name}" does not exist in namespace ${template.namespace}; the pod would never be created`);
  }
  for (const object of ofKind('ServiceAccount')) {
    const namespace = namespaceOf(object, byName);
    const name = object.manifest.metadata?.name;
    if (object.manifest.metadata?.annotations?.[IRSA_ANNOTATION] === undefined) continue;
    if (usedServiceAccounts.has(key(namespace, name)) || upstreamNamespaces.has(namespace)) continue;
    report(object, `metadata.annotations.${IRSA_ANNOTATION}`, `no pod in namespace ${namespace} runs as service account "${name}"; an unused IAM role is access nobody needs`);
  }

  const services = new Map(ofKind('Service').map((object) => [key(namespaceOf(object, byName), object.manifest.metadata?.name), object.manifest]));
  for (const object of ofKind('TargetGroupBinding')) {
    const spec = object.manifest.spec ?? {};
    if (spec.targetType !== 'ip') {
      report(object, 'spec.targetType', `is ${spec.targetType === undefined ? 'unset' : `"${spec.targetType}"`}; Fargate pods can only be registered by IP (targetType: ip)`);
    }
    const namespace = namespaceOf(object, byName);
    const ref = spec.serviceRef ?? {};
    const service = services.get(key(namespace, ref.name));
    if (!service) {
      report(object, 'spec.serviceRef.name', `Service "${ref.name}" does not exist in namespace ${namespace}`);
      continue;
    }
    const ports: { name?: string; port: number }[] = service.spec?.ports ?? [];
    const found = ports.some((port) => (typeof ref.port === 'number' ? port.port === ref.port : port.name === ref.port));
    if (!found) {
      const known = ports.map((port) => (port.name ? `${port.port} (${port.name})` : String(port.port))).join(', ') || 'none';
      report(object, 'spec.serviceRef.port', `Service "${ref.name}" has no port ${JSON.stringify(ref.port)}; its ports: ${known}`);
    }
  }

  for (const component of components) {
    for (const source of component.upstream ?? []) {
      if (!source.runsPods) continue;
      // Upstream pods' labels are not known here, so a selector of the namespace counts.
      if (env.fargateProfiles.some((profile) => profile.selectors.some((selector) => selectorMatches({ namespace: selector.namespace }, source.namespace, {})))) continue;
      problems.push({
        env: env.name,
        component: component.name,
        file: `clusters/${env.name}/env.ts`,
        parameter: 'fargateProfiles',
        message: `upstream ${source.name} runs pods in namespace ${source.namespace}, which no Fargate profile selects; they would stay Pending`,
      });
    }
  }
  return problems;
}

function lintPod(
  template: PodTemplate,
  env: EnvironmentSpec,
  report: (parameter: string, message: string) => void,
  objects: readonly RenderedObjectLike[],
  components: ReadonlyMap<string, ComponentOutline>,
): void {
  const { spec, specPath } = template;
  if (spec.hostNetwork) report(`${specPath}.hostNetwork`, 'Fargate refuses hostNetwork (EKS UG, Fargate considerations)');
  if (spec.hostPID) report(`${specPath}.hostPID`, 'Fargate pods are isolated VMs and share no host process namespace; hostPID is refused');
  if (spec.hostIPC) report(`${specPath}.hostIPC`, 'Fargate pods are isolated VMs and share no host IPC namespace; hostIPC is refused');

  for (const list of CONTAINER_LISTS) {
    (spec[list] ?? []).forEach((container: Record<string, any>, index: number) => {
      const path = `${specPath}.${list}[${index}]`;
      if (container.securityContext?.privileged) {
        report(`${path}.securityContext.privileged`, `container ${container.name}: Fargate refuses privileged containers (EKS UG, Fargate considerations)`);
      }
      (container.ports ?? []).forEach((port: Record<string, any>, p: number) => {
        if (port.hostPort) report(`${path}.ports[${p}].hostPort`, `container ${container.name}: Fargate refuses hostPort (EKS UG, Fargate considerations)`);
      });
      for (const field of ['requests', 'limits'] as const) {
        for (const [resource, quantity] of Object.entries((container.resources?.[field] ?? {}) as Record<string, string | number>)) {
          if (!BASE_RESOURCES.has(resource)) {
            report(`${path}.resources.${field}.${resource}`, `container ${container.name}: Fargate has no GPUs or other extended resources (EKS UG, Fargate considerations)`);
          } else if (parseQuantity(quantity) === undefined) {
            report(`${path}.resources.${field}.${resource}`, `container ${container.name}: "${quantity}" is not a resource quantity`);
          }
        }
      }
    });
  }

  (spec.volumes ?? []).forEach((volume: Record<string, any>, index: number) => {
    const path = `${specPath}.volumes[${index}]`;
    const type = Object.keys(volume).find((k) => k !== 'name') ?? 'none';
    if (FARGATE_VOLUME_TYPES.has(type)) return;
    if (type === 'persistentVolumeClaim') {
      const problem = claimProblem(volume.persistentVolumeClaim?.claimName, template.namespace, objects, components);
      if (problem) report(`${path}.persistentVolumeClaim`, `volume ${volume.name}: ${problem}`);
      return;
    }
    report(`${path}.${type}`, `volume ${volume.name}: Fargate does not mount ${type} volumes (it mounts configMap, secret, emptyDir, projected, downwardAPI, and statically provisioned EFS claims)`);
  });

  const requests = podRequests(spec);
  if (!fargateSize(requests)) {
    report(
      `${specPath}.containers`,
      `the pod requests ${requests.milliCpu / 1000} vCPU and ${formatGb(requests.memoryBytes + FARGATE_OVERHEAD_BYTES)} with Fargate's 256 MB; ` +
        `the largest Fargate pod is ${FARGATE_MAX.vcpu} vCPU / ${FARGATE_MAX.memoryGb} GB`,
    );
  }

  if (!profileFor(env.fargateProfiles, template.namespace, template.labels)) {
    const labels = Object.entries(template.labels).map(([k, v]) => `${k}=${v}`).join(',') || 'none';
    report(
      'metadata.namespace',
      `no Fargate profile of ${env.name} selects pods of namespace ${template.namespace} (labels ${labels}); they would stay Pending. Add a selector to fargateProfiles in clusters/${env.name}/env.ts`,
    );
  }
}

/**
 * Why a claim cannot be mounted on Fargate, if it cannot: only statically provisioned EFS volumes
 * mount, so the claim must be rendered here, bound by `volumeName` to a pre-made volume, and that
 * volume (when rendered here) must be an EFS CSI one.
 */
function claimProblem(
  claimName: string | undefined,
  namespace: string,
  objects: readonly RenderedObjectLike[],
  components: ReadonlyMap<string, ComponentOutline>,
): string | undefined {
  const claim = objects.find(
    (object) => object.manifest.kind === 'PersistentVolumeClaim' && object.manifest.metadata?.name === claimName && namespaceOf(object, components) === namespace,
  );
  if (!claim) return `claim "${claimName}" is not rendered in namespace ${namespace}; Fargate mounts only statically provisioned EFS volumes, so render the claim with spec.volumeName`;
  const volumeName = claim.manifest.spec?.volumeName;
  if (!volumeName) return `claim "${claimName}" sets no spec.volumeName; Fargate has no dynamic provisioning, bind it to a pre-made EFS PersistentVolume`;
  const volume = objects.find((object) => object.manifest.kind === 'PersistentVolume' && object.manifest.metadata?.name === volumeName);
  const driver = volume?.manifest.spec?.csi?.driver;
  if (volume && driver !== EFS_CSI_DRIVER) return `PersistentVolume "${volumeName}" is not an EFS volume (csi.driver ${EFS_CSI_DRIVER}); Fargate mounts no other kind`;
  return undefined;
}
