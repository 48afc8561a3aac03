export { FARGATE_READS, lintFargate, type FargateInput, type FargateProblem } from './lint';
export { profileFor, selectorMatches } from './profiles';
export { parseQuantity } from './quantity';
export { fargatePrice, PRICED_REGIONS, type FargatePrice } from './prices';
export { fargateSummary, workloadSizes, type WorkloadSize } from './report';
export { fargateSizingWarnings } from './sizing-advice';
export { FARGATE_MAX, FARGATE_OVERHEAD_BYTES, FARGATE_SIZES, fargateSize, podRequests, type FargateSize, type PodResources } from './sizing';
export { namespaceOf, podTemplates, type PodTemplate, type RenderedObjectLike } from './workloads';
