import { fileURLToPath } from 'node:url';
import type { AppDefinition } from '@gitops/app';
import type { EnvironmentSpec } from '@gitops/core';
import { SynthError, type Problem } from '@gitops/core';
import type { Workspace } from '@gitops/workspace';
import type { InfraSettings } from '../src/index';

/** The repository root (clusters/, apps/, gitops/). */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** A valid env in the shape of clusters/<env>/env.ts, with `overrides` on top. */
export function fixtureEnv(overrides: Partial<EnvironmentSpec> = {}): EnvironmentSpec {
  return {
    name: 'qa',
    account: '444444444444',
    region: 'ap-northeast-1',
    ssmPrefix: '/fargate-gitops/qa',
    cluster: { name: 'fargate-gitops-qa', kubernetesVersion: '1.33' },
    argocd: { repoURL: 'https://github.com/example-org/fargate-gitops.git', targetRevision: 'main' },
    fargateProfiles: [
      { name: 'platform', selectors: [{ namespace: 'kube-system' }, { namespace: 'cert-manager' }, { namespace: 'argocd' }] },
      { name: 'apps', selectors: [{ namespace: 'shop' }, { namespace: 'jobs' }] },
    ],
    apps: { shop: {}, jobs: {} },
    ...overrides,
  };
}

/** An exposed app with AWS access, and a worker with AWS access. */
export const fixtureApps: readonly AppDefinition[] = [
  {
    name: 'shop',
    image: 'public.ecr.aws/example-org/shop:1.0.0',
    ports: [{ port: 8080 }],
    // The more specific path first: an app's rules are evaluated in the order of its paths.
    expose: { host: 'shop.qa.example.com', paths: ['/api/*', '/*'], healthCheckPath: '/healthz' },
    shutdown: { preStopSeconds: 20, drainSeconds: 10 },
    aws: { policy: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::shop-assets/*'] }] },
  },
  {
    name: 'jobs',
    image: 'public.ecr.aws/example-org/jobs:1.0.0',
    aws: { policy: [{ Action: ['sqs:ReceiveMessage'], Resource: ['arn:aws:sqs:ap-northeast-1:444444444444:jobs'] }] },
  },
];

export function fixtureSettings(overrides: Partial<InfraSettings> = {}): InfraSettings {
  return {
    vpcCidr: '10.40.0.0/16',
    availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
    apiPublicAccessCidrs: ['203.0.113.0/24'],
    clusterAdminRoleArns: ['arn:aws:iam::444444444444:role/platform-admin'],
    certificate: { domainName: '*.qa.example.com' },
    dns: { hostedZoneId: 'Z00000000000000000QA', zoneName: 'qa.example.com' },
    logRetentionDays: 30,
    ...overrides,
  };
}

/** A workspace held in memory: these envs and apps, no files. */
export function fixtureWorkspace(envs: readonly EnvironmentSpec[] = [fixtureEnv()], apps: readonly AppDefinition[] = fixtureApps): Workspace {
  return {
    root: repoRoot,
    environments: new Map(envs.map((env) => [env.name, env])),
    apps: new Map(apps.map((app) => [app.name, app])),
  };
}

/** The problems of the SynthError `action` throws; fails the test when it throws something else or nothing. */
export function problemsOf(action: () => unknown): readonly Problem[] {
  try {
    action();
  } catch (error) {
    if (error instanceof SynthError) return error.problems;
    throw error;
  }
  throw new Error('expected a SynthError, but nothing was thrown');
}

type Template = { Resources: Record<string, any> };

/** The resources of one CloudFormation type, with their logical IDs. */
export function resourcesOf(template: Template, type: string): [string, any][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/**
 * The literal text of a CloudFormation string value: tokens (Ref, GetAtt, Select) become `<token>`.
 * IRSA trust conditions are Fn::Join strings whose literal parts name the service account.
 */
export function literalText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'Fn::Join' in value) {
    const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return parts.map(literalText).join(separator);
  }
  return '<token>';
}

/** The logical ID a `{Ref}` or `{Fn::GetAtt}` points at. */
export function referencedId(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    if ('Ref' in value) return (value as { Ref: string }).Ref;
    if ('Fn::GetAtt' in value) return (value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  }
  return undefined;
}

/**
 * The service accounts an IAM role's trust policy admits through web identity: the `sub`
 * values of its StringEquals condition, resolved through the CfnJson custom resource it points at.
 */
export function trustedServiceAccounts(template: Template, roleId: string): { subjects: string[]; audiences: string[] } {
  const statements: any[] = template.Resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement;
  const subjects: string[] = [];
  const audiences: string[] = [];
  for (const statement of statements.filter((s) => s.Action === 'sts:AssumeRoleWithWebIdentity')) {
    const jsonId = referencedId(statement.Condition.StringEquals)!;
    const conditions = JSON.parse(literalText(template.Resources[jsonId]!.Properties.Value)) as Record<string, string>;
    for (const [key, value] of Object.entries(conditions)) {
      if (key === '<token>:sub') subjects.push(value);
      else if (key === '<token>:aud') audiences.push(value);
      else throw new Error(`unexpected condition key ${key} on ${roleId}`);
    }
  }
  return { subjects, audiences };
}
