import { fargateSize, podRequests, type FargateSize } from './sizing';
import { podTemplates } from './workloads';
import type { FargateInput } from './lint';

/** Fargate on-demand prices, Linux/x86, USD per hour. */
export interface FargatePrice {
  readonly vcpuHour: number;
  readonly gbHour: number;
}

// Third-party quotes (FACTS B3; the official price page was not available): ap-northeast-1 from
// clyr.co.jp (2025-09), us-east-1 from vantage.sh. Billing follows the provisioned size, per second.
export const FARGATE_PRICES: Readonly<Record<string, FargatePrice>> = {
  'ap-northeast-1': { vcpuHour: 0.05056, gbHour: 0.005536 },
  'us-east-1': { vcpuHour: 0.04048, gbHour: 0.004445 },
};
const FALLBACK_REGION = 'ap-northeast-1';

/** A workload's pods, each at its Fargate size. */
export interface WorkloadSize {
  /** Path inside `gitops/<env>/`. */
  readonly file: string;
  readonly pods: number;
  readonly size: FargateSize;
}

/** Sizes of the workloads whose pods keep running (Jobs and CronJobs come and go; oversized pods are lint problems). */
export function workloadSizes(input: FargateInput): WorkloadSize[] {
  const components = new Map(input.components.map((component) => [component.name, component]));
  return podTemplates(input.objects, components).flatMap((template) => {
    const size = fargateSize(podRequests(template.spec));
    return template.steadyReplicas === undefined || !size ? [] : [{ file: template.object.file, pods: template.steadyReplicas, size }];
  });
}

const amount = (n: number) => String(Number(n.toFixed(2)));

/**
 * Summary lines for one env: pods, vCPU and GB at Fargate sizes and an hourly cost estimate,
 * then one line per workload.
 */
export function fargateSummary(input: FargateInput): string[] {
  const sizes = workloadSizes(input);
  const pods = sizes.reduce((n, w) => n + w.pods, 0);
  const vcpu = sizes.reduce((n, w) => n + w.pods * w.size.vcpu, 0);
  const gb = sizes.reduce((n, w) => n + w.pods * w.size.memoryGb, 0);
  const region = FARGATE_PRICES[input.env.region] ? input.env.region : FALLBACK_REGION;
  const price = FARGATE_PRICES[region]!;
  const hourly = vcpu * price.vcpuHour + gb * price.gbHour;
  const priceNote = region === input.env.region ? `${region} prices` : `${region} prices (none known for ${input.env.region})`;
  return [
    `fargate: ${pods} pods, ${amount(vcpu)} vCPU, ${amount(gb)} GB; estimated $${hourly.toFixed(4)}/hour at ${priceNote} ` +
      `($${price.vcpuHour}/vCPU-hour, $${price.gbHour}/GB-hour, third-party quotes; an estimate, not a bill)`,
    ...sizes.map((w) => `  ${w.file}: ${w.pods} × ${amount(w.size.vcpu)} vCPU / ${amount(w.size.memoryGb)} GB`),
  ];
}
