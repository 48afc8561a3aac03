import dev from '@gitops/clusters/dev/env';
import devSnapshot from '@gitops/clusters/dev/ssm-snapshot.json';
import prod from '@gitops/clusters/prod/env';
import prodSnapshot from '@gitops/clusters/prod/ssm-snapshot.json';
import { schemaValidator } from '@gitops/schemas';
import { describe, expect, it } from 'vitest';
import { fargateSizingWarnings, fargateSummary, lintFargate } from '../src/index';
import { renderSampleApps } from './rendered-apps';

describe.each([
  ['dev', dev, devSnapshot],
  ['prod', prod, prodSnapshot],
])('the sample apps in %s', (_name, env, snapshot) => {
  const rendered = renderSampleApps(env, snapshot);

  it('pass the Fargate linter', () => {
    expect(lintFargate(rendered)).toEqual([]);
  });

  it('validate strictly against the Kubernetes 1.29 and TargetGroupBinding schemas', () => {
    const kinds = rendered.objects.map((object) => object.manifest.kind);
    expect(kinds).toContain('TargetGroupBinding');
    for (const object of rendered.objects) expect({ file: object.file, violations: schemaValidator().validate(object.manifest) }).toEqual({ file: object.file, violations: [] });
  });

  it('are sized and priced in the summary', () => {
    const [summary, ...workloads] = fargateSummary(rendered);
    expect(summary).toMatch(/^fargate: \d+ pods, [\d.]+ vCPU, [\d.]+ GB; estimated \$[\d.]+\/hour at ap-northeast-1 prices .*an estimate/);
    expect(workloads).toEqual([
      expect.stringMatching(/^ {2}app-web\/deployment-web.yaml: \d+ × 0.25 vCPU \/ 0.5 GB$/),
      expect.stringMatching(/^ {2}app-api\/deployment-api.yaml: \d+ × (0.5 vCPU \/ 1 GB|1 vCPU \/ 2 GB)$/),
      '  app-worker/deployment-worker.yaml: 1 × 1 vCPU / 2 GB',
    ]);
  });

  it("fit their Fargate sizes: no pod is pushed into a larger size by Fargate's 256 MB", () => {
    expect(fargateSizingWarnings(rendered)).toEqual([]);
  });
});

describe('fargateSummary', () => {
  it('adds up pods at their Fargate sizes and prices them per hour', () => {
    // GIVEN prod: web and api at 3 replicas, api overridden to 1 vCPU / 1792Mi, worker at 1
    const [summary] = fargateSummary(renderSampleApps(prod, prodSnapshot));
    // THEN 3 × (0.25 vCPU, 0.5 GB) + 3 × (1, 2) + 1 × (1, 2) = 4.75 vCPU, 9.5 GB
    // at $0.05056 per vCPU-hour and $0.005536 per GB-hour: 0.24016 + 0.052592 = 0.292752
    expect(summary).toMatch(/^fargate: 7 pods, 4.75 vCPU, 9.5 GB; estimated \$0.2928\/hour at ap-northeast-1 prices/);
  });
});
