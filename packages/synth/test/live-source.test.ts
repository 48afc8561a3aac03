import { parameters } from '@gitops/contract';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { encryptedValueOf, startSsmServer, type SsmParameterInput, type SsmServer } from '@gitops/ssm-server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  componentsFor,
  discoverModules,
  formatProblem,
  LiveSource,
  loadWorkspace,
  readSnapshot,
  renderAll,
  synth,
  type Workspace,
} from '../src/index';
import { repoRoot } from './support/scratch';
import { failure } from './support/failure';

// The real @aws-sdk/client-ssm client, through LiveSource, against a local server speaking
// SSM's JSON protocol. Credentials are fake and passed in the client options: no AWS account,
// profile or network is involved.
const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };
const modules = discoverModules(repoRoot);

let workspace: Workspace;
let dev: EnvironmentSpec;
let committed: SsmParameterInput[];
beforeAll(async () => {
  workspace = await loadWorkspace(repoRoot, modules);
  dev = workspace.environments.get('dev')!;
  committed = Object.entries(readSnapshot(repoRoot, dev).parameters).map(([name, { type, value }]) => ({ name, type, value }));
});

/** 13 extra parameters beside the committed ones, so the prefix spans more than two pages of 10. */
const extras = Array.from({ length: 13 }, (_, i) => ({ name: `/fargate-gitops/dev/extra/p${String(i).padStart(2, '0')}`, value: `v${i}` }));
/** Under a sibling path that shares the prefix's characters, and under another env: never returned. */
const decoys = [
  { name: '/fargate-gitops/devel/network/vpc-id', value: 'vpc-0000000000000000d' },
  { name: '/fargate-gitops/stg/network/vpc-id', value: 'vpc-0000000000000000e' },
];

let server: SsmServer;
afterEach(async () => server?.close());

const live = (options: { maxAttempts?: number } = {}) => new LiveSource({ endpoint: server.endpoint, credentials, ...options });

describe('LiveSource reads GetParametersByPath through the SDK paginator', () => {
  it('reads more than 10 parameters across pages: one call per page, nothing outside the prefix', async () => {
    // GIVEN
    server = await startSsmServer({ parameters: [...committed, ...extras, ...decoys] });
    const expected = committed.length + extras.length;
    const pages = Math.ceil(expected / 10);
    expect(pages).toBeGreaterThanOrEqual(3);

    // WHEN
    const found = await live().read(dev);

    // THEN
    expect([...found.keys()].sort()).toEqual([...committed, ...extras].map((p) => p.name).sort());
    for (const p of committed) expect(found.get(p.name)).toMatchObject({ type: p.type, value: p.value });
    expect(server.calls.GetParametersByPath).toBe(pages);
    expect(server.requests.map((r) => r.body)).toEqual(
      Array.from({ length: pages }, (_, i) => ({
        Path: '/fargate-gitops/dev',
        Recursive: true,
        WithDecryption: false,
        MaxResults: 10,
        ...(i > 0 ? { NextToken: expect.any(String) } : {}),
      })),
    );
  });

  it('follows a NextToken past empty pages', async () => {
    server = await startSsmServer({ parameters: [...committed, ...extras] });
    server.inject('EmptyPage', 2);

    const found = await live().read(dev);

    expect(found.size).toBe(committed.length + extras.length);
    // The pages the parameters fill (10 each), after the two empty ones.
    const pages = Math.ceil((committed.length + extras.length) / 10);
    expect(server.requests.map((r) => r.fault)).toEqual(['EmptyPage', 'EmptyPage', ...Array.from({ length: pages }, () => undefined)]);
    expect(server.calls.GetParametersByPath).toBe(2 + pages);
  });

  it('retries a ThrottlingException and then succeeds, repeating the same request', async () => {
    server = await startSsmServer({ parameters: [...committed, ...extras] });
    server.inject('ThrottlingException');

    const found = await live().read(dev);

    expect(found.size).toBe(committed.length + extras.length);
    // One throttled call, repeated, then the rest of the pages.
    expect(server.calls.GetParametersByPath).toBe(1 + Math.ceil((committed.length + extras.length) / 10));
    expect(server.requests[0]).toMatchObject({ status: 400, fault: 'ThrottlingException' });
    expect(server.requests[1]!.body).toEqual(server.requests[0]!.body);
    expect(server.requests[1]!.status).toBe(200);
  });

  it('gives up on throttling after maxAttempts with one line naming env, path and attempts', async () => {
    server = await startSsmServer({ parameters: committed });
    server.inject('ThrottlingException', Infinity);

    const error = await failure(live({ maxAttempts: 2 }).read(dev));

    expect(error.problems.map(formatProblem)).toEqual([
      'error: env dev: /fargate-gitops/dev: reading SSM failed after 2 attempts (ThrottlingException): Rate exceeded',
    ]);
    expect(server.calls.GetParametersByPath).toBe(2);
  });

  it('turns AccessDeniedException into one clear line naming env, path and the permission needed, without retrying', async () => {
    server = await startSsmServer({ parameters: committed });
    server.inject('AccessDeniedException', Infinity);

    const error = await failure(live().read(dev));

    expect(error.problems).toHaveLength(1);
    const line = formatProblem(error.problems[0]!);
    expect(line).toMatch(/^error: env dev: \/fargate-gitops\/dev: SSM denied GetParametersByPath in ap-northeast-1 \(account 111111111111\): /);
    expect(line).toContain('the caller needs ssm:GetParametersByPath on arn:aws:ssm:ap-northeast-1:111111111111:parameter/fargate-gitops/dev');
    expect(line).not.toContain('\n');
    expect(server.calls.GetParametersByPath).toBe(1);
  });

  it('refuses answers from another account (the wrong AWS profile)', async () => {
    server = await startSsmServer({ parameters: committed, account: '999999999999' });

    const error = await failure(live().read(dev));

    expect(error.problems.map(formatProblem)).toEqual([
      'error: env dev: /fargate-gitops/dev: SSM answered from account 999999999999, but env dev is in 111111111111; check AWS_PROFILE',
    ]);
  });
});

describe('synth --live', () => {
  it('renders exactly what the snapshot renders when SSM holds the snapshot values', async () => {
    server = await startSsmServer({ parameters: [...committed, ...extras] });

    const fromSsm = await renderAll({ root: repoRoot, modules, envs: ['dev'], source: live() });
    const fromSnapshot = await renderAll({ root: repoRoot, modules, envs: ['dev'] });

    expect([...fromSsm.rendered[0]!.files]).toEqual([...fromSnapshot.rendered[0]!.files]);
    expect(server.calls.GetParametersByPath).toBeGreaterThanOrEqual(3);
  });

  it('refuses a SecureString a component needs, and its value appears nowhere', async () => {
    const secret = 'vpc-0fedcba9876543210-TOP-SECRET';
    const name = '/fargate-gitops/dev/network/vpc-id';
    server = await startSsmServer({ parameters: [...committed.filter((p) => p.name !== name), { name, value: secret, type: 'SecureString' }] });
    const needsVpc: Component = { name: 'needs-vpc', parameters: [parameters.vpcId], render: () => undefined };
    const components = (env: EnvironmentSpec, ws: Workspace) => [...componentsFor(env, ws), needsVpc];

    const error = await failure(synth({ root: repoRoot, modules, envs: ['dev'], source: live(), components, check: true }));

    const lines = error.problems.map(formatProblem);
    expect(lines).toContain(
      `error: env dev: component needs-vpc: SSM /fargate-gitops/dev in ap-northeast-1: ${name}: ` +
        'is a SecureString, which the generator refuses to read; expected String holding a VPC ID (vpc- followed by 8 or 17 hex digits)',
    );
    const everything = `${lines.join('\n')}\n${error.message}\n${JSON.stringify(error.problems)}`;
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(encryptedValueOf(name));
    // Read without decryption: the plaintext never even reached this process.
    expect(server.requests.every((r) => r.body.WithDecryption === false)).toBe(true);
  });
});

