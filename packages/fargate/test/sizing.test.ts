import { describe, expect, it } from 'vitest';
import { FARGATE_SIZES, fargateSize, parseQuantity, podRequests } from '../src/index';

const MIB = 2 ** 20;
const GIB = 2 ** 30;
const pod = (...containers: { cpu?: string; memory?: string }[]) => ({
  containers: containers.map((requests) => ({ resources: { requests: Object.fromEntries(Object.entries(requests)) } })),
});

describe('fargateSize', () => {
  it('turns 1 vCPU / 8 GB into 2 vCPU / 9 GB, the documented example', () => {
    // GIVEN a pod requesting exactly the largest memory of the 1 vCPU row
    const requests = podRequests(pod({ cpu: '1', memory: '8Gi' }));
    // WHEN Fargate adds its 256 MB and rounds up
    // THEN 8.25 GB no longer fits 1 vCPU, and the next row's next 1 GB step is 9 GB
    expect(fargateSize(requests)).toEqual({ vcpu: 2, memoryGb: 9 });
  });

  it('gives a pod without requests the smallest size, 0.25 vCPU / 0.5 GB', () => {
    expect(fargateSize(podRequests({ containers: [{}] }))).toEqual({ vcpu: 0.25, memoryGb: 0.5 });
  });

  it.each([
    [{ cpu: '250m', memory: '256Mi' }, { vcpu: 0.25, memoryGb: 0.5 }],
    [{ cpu: '250m', memory: '257Mi' }, { vcpu: 0.25, memoryGb: 1 }],
    [{ cpu: '250m', memory: '2Gi' }, { vcpu: 0.5, memoryGb: 3 }],
    [{ cpu: '251m', memory: '100Mi' }, { vcpu: 0.5, memoryGb: 1 }],
    [{ cpu: '500m', memory: '1Gi' }, { vcpu: 0.5, memoryGb: 2 }],
    [{ cpu: '1500m', memory: '1Gi' }, { vcpu: 2, memoryGb: 4 }],
    [{ cpu: '4', memory: '30Gi' }, { vcpu: 8, memoryGb: 32 }],
    [{ cpu: '5', memory: '17Gi' }, { vcpu: 8, memoryGb: 20 }],
    [{ cpu: '8', memory: '60Gi' }, { vcpu: 16, memoryGb: 64 }],
    [{ cpu: '16', memory: '119Gi' }, { vcpu: 16, memoryGb: 120 }],
  ])('sizes requests %o as %o', (requests, size) => {
    expect(fargateSize(podRequests(pod(requests)))).toEqual(size);
  });

  it('returns every combination of the table for requests 256 MB below it', () => {
    // GIVEN each documented combination, requested minus the 256 MB Fargate adds
    for (const { vcpu, memoryGb } of FARGATE_SIZES) {
      for (const gb of memoryGb) {
        const requests = { milliCpu: vcpu * 1000, memoryBytes: gb * GIB - 256 * MIB };
        // THEN Fargate runs the pod at exactly that combination
        const size = fargateSize(requests);
        expect(size?.memoryGb).toBe(gb);
        expect(size?.vcpu).toBe(vcpu);
      }
    }
  });

  it('lists the documented rows, 1 GB steps up to 4 vCPU, 4 GB at 8 vCPU and 8 GB at 16 vCPU', () => {
    expect(FARGATE_SIZES.map(({ vcpu, memoryGb }) => [vcpu, memoryGb[0], memoryGb.at(-1), memoryGb.length])).toEqual([
      [0.25, 0.5, 2, 3],
      [0.5, 1, 4, 4],
      [1, 2, 8, 7],
      [2, 4, 16, 13],
      [4, 8, 30, 23],
      [8, 16, 60, 12],
      [16, 32, 120, 12],
    ]);
  });

  it('has no size for a pod over 16 vCPU or 120 GB', () => {
    expect(fargateSize(podRequests(pod({ cpu: '17', memory: '1Gi' })))).toBeUndefined();
    expect(fargateSize(podRequests(pod({ cpu: '1', memory: '120Gi' })))).toBeUndefined();
  });
});

describe('podRequests', () => {
  it('takes the larger of the biggest init container and the sum of the containers, per resource', () => {
    // GIVEN two containers (0.5 vCPU, 1.5 GiB together) and init containers of 1 vCPU and 512 MiB
    const spec = {
      containers: [{ resources: { requests: { cpu: '250m', memory: '1Gi' } } }, { resources: { requests: { cpu: '250m', memory: '512Mi' } } }],
      initContainers: [{ resources: { requests: { cpu: '1', memory: '128Mi' } } }, { resources: { requests: { cpu: '100m', memory: '512Mi' } } }],
    };
    // THEN cpu comes from the init container, memory from the sum
    expect(podRequests(spec)).toEqual({ milliCpu: 1000, memoryBytes: 1.5 * GIB });
  });

  it('uses a limit where the request is missing, as Kubernetes defaults it', () => {
    expect(podRequests({ containers: [{ resources: { limits: { cpu: '2', memory: '4Gi' } } }] })).toEqual({ milliCpu: 2000, memoryBytes: 4 * GIB });
  });
});

describe('parseQuantity', () => {
  it.each([
    ['250m', 0.25],
    ['2', 2],
    ['0.5', 0.5],
    ['1Gi', GIB],
    ['512Mi', 512 * MIB],
    ['1G', 1e9],
    ['1e3', 1000],
    [1.5, 1.5],
  ])('reads %s as %d', (quantity, value) => {
    expect(parseQuantity(quantity)).toBe(value);
  });

  it.each(['2 cores', '1gb', '', '-1', 'Gi'])('refuses %j', (quantity) => {
    expect(parseQuantity(quantity)).toBeUndefined();
  });
});
