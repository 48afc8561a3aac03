import type { EnvironmentSpec } from '@gitops/core';
import type { FargateInput } from './lint';
import { FARGATE_OVERHEAD_BYTES, FARGATE_SIZES, fargateSize, podRequests, type FargateSize, type PodResources } from './sizing';
import { podTemplates } from './workloads';

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** The size the requests would get if Fargate added nothing: where the overhead's push starts. */
function sizeWithoutOverhead(requests: PodResources): FargateSize | undefined {
  for (const { vcpu, memoryGb } of FARGATE_SIZES) {
    if (vcpu * 1000 < requests.milliCpu) continue;
    const memory = memoryGb.find((gb) => gb * GIB >= requests.memoryBytes);
    if (memory !== undefined) return { vcpu, memoryGb: memory };
  }
  return undefined;
}

const amount = (n: number) => String(Number(n.toFixed(2)));
const sizeText = (size: FargateSize) => `${amount(size.vcpu)} vCPU / ${amount(size.memoryGb)} GB`;
const mib = (bytes: number) => `${Math.floor(bytes / MIB)}Mi`;

/** Where a person changes the requests of a component's pods, if it is an app's: its env override if it has one, else its definition. */
function sourceOf(component: string, env: EnvironmentSpec): string | undefined {
  // Components come as outlines, so the env spec tells the apps: app <name> renders into
  // `app-<name>`, with `env.apps.<name>` as its overrides (packages/synth components.ts).
  const app = component.startsWith('app-') ? component.slice('app-'.length) : undefined;
  if (app === undefined || !Object.hasOwn(env.apps, app)) return undefined;
  return env.apps[app]!.resources !== undefined ? `clusters/${env.name}/env.ts apps.${app}.resources` : `apps/${app}/src/index.ts resources`;
}

/**
 * Warnings (synth prints them and carries on) for pods that Fargate's 256 MB overhead pushes into
 * a larger size than their requests alone would take: Fargate adds 256 MB to the memory request
 * and rounds up to the next vCPU/memory combination (EKS user guide, fargate-pod-configuration),
 * so 1 vCPU / 2Gi is billed as 1 vCPU / 3 GB. Each names the memory request that fits the smaller
 * size, and the most the larger one it already pays for would hold.
 */
export function fargateSizingWarnings(input: FargateInput): string[] {
  const components = new Map(input.components.map((component) => [component.name, component]));
  return podTemplates(input.objects, components).flatMap((template) => {
    const requests = podRequests(template.spec);
    const billed = fargateSize(requests);
    const wanted = sizeWithoutOverhead(requests);
    if (!billed || !wanted || (billed.vcpu === wanted.vcpu && billed.memoryGb === wanted.memoryGb)) return [];
    const fits = wanted.memoryGb * GIB - FARGATE_OVERHEAD_BYTES;
    const holds = billed.memoryGb * GIB - FARGATE_OVERHEAD_BYTES;
    const source = sourceOf(template.object.component, input.env);
    return [
      `warning: ${template.object.file}: requests ${amount(requests.milliCpu / 1000)} vCPU / ${mib(requests.memoryBytes)} run as ${sizeText(billed)}, ` +
        `because Fargate adds 256 MB; request ${mib(fits)} memory to run as ${sizeText(wanted)}` +
        ` (or up to ${mib(holds)}, which ${sizeText(billed)} holds)${source ? `: ${source}` : ''}`,
    ];
  });
}
