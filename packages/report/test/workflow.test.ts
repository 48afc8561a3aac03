import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const workflow = parse(readFileSync(new URL('../../../.github/workflows/pull-request.yml', import.meta.url), 'utf8'));

describe('the pull-request workflow', () => {
  it('posts the report from its own job, the only one allowed to write to the pull request, after synth --check passed', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const writers = Object.entries<any>(workflow.jobs).filter(([, job]) => job.permissions?.['pull-requests'] === 'write');
    expect(writers.map(([name]) => name)).toEqual(['report']);
    const report = workflow.jobs.report;
    // After typecheck and test, and after every env's shard of synth --check (refusing placeholders).
    expect(report.needs).toEqual(['check', 'synth-check']);
    expect(workflow.jobs['synth-check'].steps.map((step: any) => step.run)).toContain(
      'pnpm exec turbo run //#synth:check --cache-dir=.turbo/cache -- --env ${{ matrix.env }} --refuse-placeholders',
    );
    const runs = report.steps.map((step: any) => step.run ?? '').join('\n');
    expect(runs).toMatch(/pnpm --silent report --base "origin\/\$\{BASE_REF\}"/);
    // One sticky comment: found again by its marker and edited, created only when absent.
    expect(runs).toContain('--method PATCH');
    expect(runs).toContain('gh pr comment');
    expect(report.steps.find((step: any) => step.uses === 'actions/checkout@v4').with['fetch-depth']).toBe(0);
  });
});
