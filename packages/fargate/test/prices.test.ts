import { describe, expect, it } from 'vitest';
import { fargatePrice, fargateSummary, PRICED_REGIONS } from '../src/index';
import { container, deployment, env, input, podSpec } from './support';

/** An env in `region` running 4 pods of 1 vCPU / 2 GiB requests: Fargate sizes each at 1 vCPU / 3 GB (2 GiB + 256 MB, rounded up). */
function summaryIn(region: string): string {
  const resources = { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } };
  const workload = deployment(podSpec({ containers: [container({ resources })] }));
  const rendered = input([{ ...workload, spec: { ...workload.spec, replicas: 4 } }]);
  return fargateSummary({ ...rendered, env: { ...env, region } })[0]!;
}

describe('the Fargate cost line', () => {
  it("prices an env in us-west-2 at us-west-2's prices", () => {
    // 4 vCPU × $0.04048 + 12 GB × $0.004445 = 0.16192 + 0.05334 = 0.21526
    expect(summaryIn('us-west-2')).toBe(
      'fargate: 4 pods, 4 vCPU, 12 GB; estimated $0.2153/hour at us-west-2 prices ($0.04048/vCPU-hour, $0.004445/GB-hour; ' +
        'official price page as transcribed by theuves/fgcalc, 2021-01; an estimate, not a bill)',
    );
  });

  it("prices an env in eu-west-1 at eu-west-1's prices", () => {
    // Ireland's Linux/x86 figures equal N. Virginia's: 0.16192 + 0.05334 = 0.21526
    expect(summaryIn('eu-west-1')).toBe(
      'fargate: 4 pods, 4 vCPU, 12 GB; estimated $0.2153/hour at eu-west-1 prices ($0.04048/vCPU-hour, $0.004445/GB-hour; ' +
        'official price page as transcribed by theuves/fgcalc, 2021-01; an estimate, not a bill)',
    );
  });

  it('uses each region its own figures', () => {
    // 4 × $0.04656 + 12 × $0.00511 = 0.18624 + 0.06132 = 0.24756; 4 × $0.05056 + 12 × $0.005536 = 0.20224 + 0.066432 = 0.268672
    expect(summaryIn('eu-central-1')).toMatch(/^fargate: 4 pods, 4 vCPU, 12 GB; estimated \$0\.2476\/hour at eu-central-1 prices \(\$0\.04656\/vCPU-hour, \$0\.00511\/GB-hour; /);
    expect(summaryIn('ap-northeast-1')).toMatch(/estimated \$0\.2687\/hour at ap-northeast-1 prices \(\$0\.05056\/vCPU-hour, \$0\.005536\/GB-hour; clyr\.co\.jp quote, 2025-09;/);
  });

  it('says "unknown" for a region without a sourced price, and quotes no other region', () => {
    expect(summaryIn('ap-southeast-5')).toBe('fargate: 4 pods, 4 vCPU, 12 GB; cost unknown: no sourced Fargate price for ap-southeast-5 (packages/fargate/src/prices.ts)');
  });
});

describe('fargatePrice', () => {
  it('gives a sourced price for each priced region, and none for any other', () => {
    for (const region of PRICED_REGIONS) {
      const price = fargatePrice(region)!;
      expect(price.vcpuHour, region).toBeGreaterThan(0);
      expect(price.gbHour, region).toBeGreaterThan(0);
      expect(price.source, region).toMatch(/\d{4}/);
    }
    expect(PRICED_REGIONS).toHaveLength(20);
    for (const region of ['us-gov-west-1', 'ap-northeast-3', 'eu-central-2', 'constructor', 'toString']) expect(fargatePrice(region), region).toBeUndefined();
  });
});
