import { fargatePrice } from './prices';
import { fargateSize, podRequests, type FargateSize } from './sizing';
import { podTemplates } from './workloads';
import type { FargateInput } from './lint';

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
  const { region } = input.env;
  const totals = `fargate: ${pods} pods, ${amount(vcpu)} vCPU, ${amount(gb)} GB`;
  // Another region's price would be a wrong figure presented as this one's.
  const price = fargatePrice(region);
  const cost = price
    ? `estimated $${(vcpu * price.vcpuHour + gb * price.gbHour).toFixed(4)}/hour at ${region} prices ` +
      `($${price.vcpuHour}/vCPU-hour, $${price.gbHour}/GB-hour; ${price.source}; an estimate, not a bill)`
    : `cost unknown: no sourced Fargate price for ${region} (packages/fargate/src/prices.ts)`;
  return [
    `${totals}; ${cost}`,
    ...sizes.map((w) => `  ${w.file}: ${w.pods} × ${amount(w.size.vcpu)} vCPU / ${amount(w.size.memoryGb)} GB`),
  ];
}
