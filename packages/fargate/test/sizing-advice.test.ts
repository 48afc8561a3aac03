import type { AppOverrides } from '@gitops/core';
import { describe, expect, it } from 'vitest';
import { fargateSizingWarnings } from '../src/index';
import { container, deployment, input, podSpec } from './support';

const sized = (cpu: string, memory: string) =>
  deployment(podSpec({ containers: [container({ resources: { requests: { cpu, memory }, limits: { cpu, memory } } })] }));

describe('fargateSizingWarnings', () => {
  it("warns when Fargate's 256 MB pushes 1 vCPU / 2Gi into 1 vCPU / 3 GB, naming 1792Mi, which fits 2 GB", () => {
    expect(fargateSizingWarnings(input([sized('1', '2Gi')]))).toEqual([
      'warning: app-shop/deployment-shop.yaml: requests 1 vCPU / 2048Mi run as 1 vCPU / 3 GB, because Fargate adds 256 MB; ' +
        'request 1792Mi memory to run as 1 vCPU / 2 GB (or up to 2816Mi, which 1 vCPU / 3 GB holds)',
    ]);
  });

  it('warns when the overhead pushes a pod past its vCPU size: 0.25 vCPU / 2Gi runs as 0.5 vCPU / 3 GB', () => {
    expect(fargateSizingWarnings(input([sized('250m', '2Gi')]))).toEqual([
      'warning: app-shop/deployment-shop.yaml: requests 0.25 vCPU / 2048Mi run as 0.5 vCPU / 3 GB, because Fargate adds 256 MB; ' +
        'request 1792Mi memory to run as 0.25 vCPU / 2 GB (or up to 2816Mi, which 0.5 vCPU / 3 GB holds)',
    ]);
  });

  it.each([
    ['1', '1792Mi'],
    ['250m', '256Mi'],
    ['500m', '768Mi'],
    // Between sizes: 1200Mi + 256 MB takes 2 GB either way, no larger size because of the overhead.
    ['500m', '1200Mi'],
  ])('says nothing for %s / %s, which the overhead does not push into a larger size', (cpu, memory) => {
    expect(fargateSizingWarnings(input([sized(cpu, memory)]))).toEqual([]);
  });

  it('names where an app sets its requests: its env override before its definition', () => {
    // GIVEN component app-shop, which the env runs as app shop
    const base = input([sized('1', '2Gi')]);
    const app = (overrides: AppOverrides) => ({ ...base, env: { ...base.env, apps: { shop: overrides } } });

    expect(fargateSizingWarnings(base)[0]).not.toMatch(/resources$/);

    expect(fargateSizingWarnings(app({}))[0]).toMatch(/: apps\/shop\/src\/index\.ts resources$/);
    expect(fargateSizingWarnings(app({ resources: { cpu: '1', memory: '2Gi' } }))[0]).toMatch(/: clusters\/test\/env\.ts apps\.shop\.resources$/);
  });
});
