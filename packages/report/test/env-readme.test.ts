// @vitest-environment jsdom
// Mermaid's own parser (the `mermaid` package) needs a DOM for its text sanitizer (DOMPurify): jsdom gives it one.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { trafficDiagram } from '../src/env-readme';
import { ingressInput, linkInput } from './env-readme-fixtures';

// jsdom replaces the global URL, which Node's fileURLToPath refuses: the path comes from the string.
const repoRoot = resolve(dirname(fileURLToPath(String(import.meta.url))), '../../..');
const envs = readdirSync(join(repoRoot, 'gitops'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
  .map((entry) => entry.name)
  .sort();
const diagramOf = (text: string) => /```mermaid\n([\s\S]*?)```/.exec(text)?.[1];

describe('gitops/<env>/README.md', () => {
  it('exists for every env', () => {
    expect(envs).toEqual(['dev', 'prod', 'stg']);
  });

  it.each(envs)('%s: its Mermaid flowchart parses with Mermaid, from the ALB through bindings and Services to Deployments, with SSM parameters', async (env) => {
    const readme = readFileSync(join(repoRoot, 'gitops', env, 'README.md'), 'utf8');
    const diagram = diagramOf(readme);
    expect(diagram).toBeDefined();
    await expect(mermaid.parse(diagram!)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
    expect(diagram).toContain('alb --> tg_web_web\n');
    expect(diagram).toContain('  tg_web_web --> TargetGroupBinding_web_web\n');
    expect(diagram).toContain('  TargetGroupBinding_web_web --> Service_web_web\n');
    expect(diagram).toContain('  Service_web_web --> Deployment_web_web\n');
    expect(diagram).toContain(`  ssm__fargate_gitops_${env}_apps_api_role_arn -.-> Deployment_api_api\n`);
    // The cluster name starts every role name: only a whole value counts as consuming it, so it
    // links to the controller (--cluster-name) and, where it runs, ExternalDNS (--txt-owner-id) only.
    const clusterNameUsers = [...diagram!.matchAll(/_cluster_name -\.-> (\S+)/g)].map((match) => match[1]);
    expect(clusterNameUsers).toContain('Deployment_kube_system_aws_load_balancer_controller');
    for (const user of clusterNameUsers) expect(user).toMatch(/^Deployment_kube_system_(aws_load_balancer_controller|external_dns)$/);
    expect(readme).toMatch(/\| -40 \| \S+-aws-observability \|/);
  });

  it('the parser is really checking: a broken diagram is refused', async () => {
    const readme = readFileSync(join(repoRoot, 'gitops', 'dev', 'README.md'), 'utf8');
    await expect(mermaid.parse(diagramOf(readme)!.replace('alb -->', 'alb --> -->'))).rejects.toThrow();
  });

  it('draws an Ingress through its Services to their Deployments, in a diagram Mermaid parses', async () => {
    const diagram = trafficDiagram(ingressInput());
    expect(diagram).toContain('  Ingress_shop_shop --> Service_shop_shop\n  Service_shop_shop --> Deployment_shop_shop\n');
    expect(diagram).toContain('Ingress shop/shop<br/>shop.example.com');
    await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
  });

  it('links a parameter to the objects holding its whole value (a field, a key, a --flag=value argument), never a part of it', () => {
    // GIVEN parameter image's value as a field, a --tag= argument, a key and part of a longer value; greeting's after a quote; role's on a ServiceAccount
    const diagram = trafficDiagram(linkInput());
    const linked = (parameter: string) => [...diagram.matchAll(new RegExp(`ssm__p_x_${parameter} -\\.-> (\\S+)`, 'g'))].map((match) => match[1]);
    expect(linked('image')).toEqual(['Deployment_n_field', 'Deployment_n_flag', 'Deployment_n_key']);
    // A value with a quote is found after a quote in a string, to the string's end.
    expect(linked('greeting')).toEqual(['Deployment_n_quoted']);
    // A ServiceAccount's role links to the Deployments running as it.
    expect(linked('role')).toEqual(['Deployment_n_runner']);
  });
});
