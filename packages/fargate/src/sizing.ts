import { parseQuantity } from './quantity';

/** CPU in millicores and memory in bytes. */
export interface PodResources {
  readonly milliCpu: number;
  readonly memoryBytes: number;
}

/** A size Fargate runs a pod at (and bills for). */
export interface FargateSize {
  readonly vcpu: number;
  /** Memory in GB as Fargate counts it (1 GB = 1024 MiB). */
  readonly memoryGb: number;
}

const MIB = 2 ** 20;
const GIB = 2 ** 30;
/** Fargate adds this to every pod's memory for kubelet, kube-proxy and containerd (EKS UG, fargate-pod-configuration). */
export const FARGATE_OVERHEAD_BYTES = 256 * MIB;

const range = (from: number, to: number, step: number) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/** The vCPU and memory combinations Fargate offers for pods (EKS UG, fargate-pod-configuration). */
export const FARGATE_SIZES: readonly { readonly vcpu: number; readonly memoryGb: readonly number[] }[] = [
  { vcpu: 0.25, memoryGb: [0.5, 1, 2] },
  { vcpu: 0.5, memoryGb: range(1, 4, 1) },
  { vcpu: 1, memoryGb: range(2, 8, 1) },
  { vcpu: 2, memoryGb: range(4, 16, 1) },
  { vcpu: 4, memoryGb: range(8, 30, 1) },
  { vcpu: 8, memoryGb: range(16, 60, 4) },
  { vcpu: 16, memoryGb: range(32, 120, 8) },
];

/** The largest pod Fargate runs. */
export const FARGATE_MAX: FargateSize = { vcpu: 16, memoryGb: 120 };

/**
 * The size Fargate gives a pod requesting `requests`: memory plus 256 MB, rounded up to the next
 * valid combination (1 vCPU / 8 GB becomes 2 vCPU / 9 GB); undefined when no size is large enough.
 */
export function fargateSize(requests: PodResources): FargateSize | undefined {
  const memoryBytes = requests.memoryBytes + FARGATE_OVERHEAD_BYTES;
  for (const { vcpu, memoryGb } of FARGATE_SIZES) {
    if (vcpu * 1000 < requests.milliCpu) continue;
    const memory = memoryGb.find((gb) => gb * GIB >= memoryBytes);
    if (memory !== undefined) return { vcpu, memoryGb: memory };
  }
  return undefined;
}

interface ContainerLike {
  readonly resources?: { readonly requests?: Record<string, string | number>; readonly limits?: Record<string, string | number> };
}

/** A container's request of a resource: its request, else its limit (Kubernetes defaults one to the other). */
function requestOf(container: ContainerLike, resource: 'cpu' | 'memory'): number {
  const quantity = container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource];
  return quantity === undefined ? 0 : (parseQuantity(quantity) ?? 0);
}

/** What `podRequests` reads of a pod spec. */
export const POD_REQUEST_READS: readonly string[] = ['initContainers', 'containers'].flatMap((list) =>
  ['requests', 'limits'].flatMap((field) => ['cpu', 'memory'].map((resource) => `${list}[].resources.${field}.${resource}`)),
);

/**
 * What Fargate sizes a pod from: per resource, the larger of the largest init container request
 * and the sum of the regular containers' requests (EKS UG, fargate-pod-configuration).
 */
export function podRequests(podSpec: { readonly containers?: readonly ContainerLike[]; readonly initContainers?: readonly ContainerLike[] }): PodResources {
  const total = (resource: 'cpu' | 'memory') => {
    const sum = (podSpec.containers ?? []).reduce((acc, c) => acc + requestOf(c, resource), 0);
    const init = Math.max(0, ...(podSpec.initContainers ?? []).map((c) => requestOf(c, resource)));
    return Math.max(sum, init);
  };
  return { milliCpu: Math.ceil(total('cpu') * 1000), memoryBytes: Math.ceil(total('memory')) };
}
