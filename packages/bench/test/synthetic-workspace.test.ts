import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAll } from '@gitops/synth';
import { afterAll, describe, expect, it } from 'vitest';
import { cloneAppSource, cloneParameterValue, createSyntheticWorkspace, syntheticApps } from '../src/synthetic-workspace';
import { spreadOf } from '../src/measure';

// The benchmark's figures mean something only if its synthetic workspaces are real ones: they
// must pass every check synth runs, with every app rendered in every env.

const repo = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
const temp = mkdtempSync(join(tmpdir(), 'bench-test-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('a synthetic workspace', () => {
  it('renders every cloned app in every env and passes every check synth runs', async () => {
    const workspace = createSyntheticWorkspace({ repo, dir: join(temp, 'seven'), apps: 7 });

    const { rendered } = await renderAll({ root: workspace.dir });

    expect(rendered.map(({ env }) => env.name)).toEqual(workspace.envs);
    for (const { env, components, objects } of rendered) {
      const appComponents = components.map((component) => component.name).filter((name) => name.startsWith('app-'));
      expect(appComponents, env.name).toEqual(workspace.apps.map(({ name }) => `app-${name}`));
      for (const { name } of workspace.apps) {
        expect(objects.some(({ manifest }) => manifest.kind === 'Deployment' && manifest.metadata.name === name), `${env.name} ${name}`).toBe(true);
      }
    }
  });

  it('mixes the sample shapes: two APIs, two sites and one worker in every five apps', () => {
    expect(syntheticApps(5)).toEqual([
      { name: 'api-001', shape: 'api' },
      { name: 'web-002', shape: 'web' },
      { name: 'api-003', shape: 'api' },
      { name: 'worker-004', shape: 'worker' },
      { name: 'web-005', shape: 'web' },
    ]);
  });

  it('puts every env in one account when asked, ARNs in its snapshot included', () => {
    const workspace = createSyntheticWorkspace({ repo, dir: join(temp, 'one-account'), apps: 3, account: '111111111111' });

    for (const env of workspace.envs) {
      const snapshot = JSON.parse(readFileSync(join(workspace.dir, 'clusters', env, 'ssm-snapshot.json'), 'utf8'));
      const accounts = Object.values(snapshot.parameters as Record<string, { value: string }>).flatMap(({ value }) => value.match(/:\d{12}:/g) ?? []);
      expect(snapshot.source.account).toBe('111111111111');
      expect(accounts.length).toBeGreaterThan(0);
      expect(new Set(accounts)).toEqual(new Set([':111111111111:']));
      expect(readFileSync(join(workspace.dir, 'clusters', env, 'env.ts'), 'utf8')).toContain('account: "111111111111"');
    }
  });
});

describe('cloning a sample app', () => {
  it('renames the app and gives it its own ALB host', () => {
    const source = "defineApp({\n  name: 'web',\n  image: 'nginx:1',\n  expose: { host: 'www.example.com' },\n});\n";

    expect(cloneAppSource(source, 'web', 'web-012')).toBe("defineApp({\n  name: 'web-012',\n  image: 'nginx:1',\n  expose: { host: 'web-012.example.com' },\n});\n");
    expect(() => cloneAppSource(source, 'api', 'api-001')).toThrow("apps/api/src/index.ts has no name: 'api'");
  });

  it("renames the app in its parameters' values, with a target group ID of its own", () => {
    const targetGroup = 'arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/dev-web/0123456789abcdef';
    const role = 'arn:aws:iam::111111111111:role/fargate-gitops-dev-app-web';

    const clonedGroup = cloneParameterValue(targetGroup, 'web', 'web-012');

    expect(clonedGroup).toMatch(/^arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup\/dev-web-012\/[0-9a-f]{16}$/);
    expect(clonedGroup).not.toBe(cloneParameterValue(targetGroup, 'web', 'web-013').replace('web-013', 'web-012'));
    expect(cloneParameterValue(role, 'web', 'web-012')).toBe('arn:aws:iam::111111111111:role/fargate-gitops-dev-app-web-012');
  });
});

describe('spreadOf', () => {
  it('gives the median of an odd and of an even number of runs, and the extremes', () => {
    expect(spreadOf([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(spreadOf([])).toBeUndefined();
  });
});
