import { loadWorkspace } from '@gitops/workspace';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInfraApp, IrsaRole, type InfraApp } from '../src/index';
import { repoRoot, resourcesOf } from './support';

// GIVEN the real workspace, synthesized exactly as `pnpm --filter @gitops/infra synth` does:
// cdk-nag's AwsSolutions pack and the CloudFormation schema validation both stop synth on a finding.
let infra: InfraApp;
let synthError: unknown;
const templates = new Map<string, { Resources: Record<string, any> }>();

beforeAll(async () => {
  infra = buildInfraApp({ workspace: await loadWorkspace(repoRoot) });
  try {
    const assembly = infra.app.synth();
    for (const stack of assembly.stacks) templates.set(stack.stackName, stack.template);
  } catch (error) {
    synthError = error;
  }
});

// aws-cdk-lib acknowledges these itself on the VPC flow log it generates (its reason: FlowLog
// DestinationOptions takes camelCase keys although the CloudFormation schema lists PascalCase).
const awsCdkLibOwn = new Set(['CloudFormation-Validate::F3002', 'CloudFormation-Validate::F3003']);

/** Every acknowledgment written into the templates' metadata: rule ID and reason. */
function acknowledgments(): { stack: string; resource: string; id: string; reason: string }[] {
  return [...templates].flatMap(([stack, template]) =>
    Object.entries(template.Resources).flatMap(([resource, body]) =>
      ((body.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string; reason: string }[]).map(({ id, reason }) => ({ stack, resource, id, reason })),
    ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('passes for every env: every finding is fixed or acknowledged', () => {
    expect(synthError).toBeUndefined();
    expect([...templates.keys()].sort()).toEqual(['fargate-gitops-dev-infra', 'fargate-gitops-prod-infra', 'fargate-gitops-stg-infra']);
  });

  it('acknowledges nothing without a reason of its own', () => {
    const all = acknowledgments().filter(({ id }) => !awsCdkLibOwn.has(id));
    expect(all.length).toBeGreaterThan(0);
    for (const { reason } of all) expect(reason.length).toBeGreaterThanOrEqual(60);
    // One reason per rule kind, never a copy-paste across unrelated rules.
    const reasonsByRule = new Map<string, Set<string>>();
    for (const { id, reason } of all) {
      const rule = id.replace(/\[.*$/, '');
      reasonsByRule.set(rule, (reasonsByRule.get(rule) ?? new Set()).add(reason));
    }
    const rulesByReason = new Map<string, Set<string>>();
    for (const [rule, reasons] of reasonsByRule) for (const reason of reasons) rulesByReason.set(reason, (rulesByReason.get(reason) ?? new Set()).add(rule));
    for (const rules of rulesByReason.values()) expect(rules.size).toBe(1);
  });

  it('acknowledges only the findings this package explains (and aws-cdk-lib its own)', () => {
    const rules = new Set(acknowledgments().map(({ id }) => id.replace(/\[.*$/, '')));
    expect([...rules].sort()).toEqual([
      'AwsSolutions-EC23',
      'AwsSolutions-EKS1',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
      ...awsCdkLibOwn,
      'CloudFormation-Validate::W3010',
    ]);
    const flowLog = acknowledgments().filter(({ id }) => awsCdkLibOwn.has(id));
    expect(new Set(flowLog.map(({ resource }) => resource.replace(/[0-9A-F]{8}$/, '')))).toEqual(
      new Set(['NetworkVpcFlowLog', 'NetworkVpcFlowLogIAMRole', 'NetworkVpcFlowLogIAMRoleDefaultPolicy']),
    );
    const managedPolicies = new Set(acknowledgments().filter(({ id }) => id.startsWith('AwsSolutions-IAM4')).map(({ id }) => id));
    expect([...managedPolicies].sort()).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy]',
    ]);
  });

  it('acknowledges secret rotation only on the empty app secrets, and no wildcard an app role does not need', () => {
    // Rotation (SMG4) is the credential owner's; only the secrets the stack creates empty carry it.
    for (const { stack, resource, id } of acknowledgments().filter(({ id }) => id === 'AwsSolutions-SMG4')) {
      expect(templates.get(stack)!.Resources[resource].Type, `${stack} ${resource} ${id}`).toBe('AWS::SecretsManager::Secret');
    }
    expect(acknowledgments().filter(({ id }) => id === 'AwsSolutions-SMG4').length).toBe(3);
    // The app roles' ARNs are exact; the one wildcard left is the worker's S3 key prefix, whose
    // object keys are only known at run time. The api role (table, index, its secret) has none.
    const appWildcards = acknowledgments().filter(({ resource, id }) => resource.startsWith('AppRole') && id.startsWith('AwsSolutions-IAM5'));
    expect(new Set(appWildcards.map(({ id }) => id))).toEqual(new Set(['AwsSolutions-IAM5[Resource::arn:aws:s3:::example-org-results/results/*]']));
    expect(appWildcards.filter(({ resource }) => resource.startsWith('AppRoleapi'))).toEqual([]);
  });

  it('acknowledges wildcards one by one, by name, never a blanket IAM5', () => {
    const wildcards = acknowledgments().filter(({ id }) => id.startsWith('AwsSolutions-IAM5'));
    expect(wildcards.length).toBeGreaterThan(0);
    for (const { id } of wildcards) expect(id).toMatch(/^AwsSolutions-IAM5\[(Action|Resource)::.*\*.*\]$/);
  });

  it('is active: an IRSA role with an unexplained wildcard fails the AwsSolutions checks', () => {
    // GIVEN a role with a wildcard action and no wildcardReason
    const app = new App();
    const stack = new Stack(app, 'Probe', { env: { account: '444444444444', region: 'ap-northeast-1' } });
    new IrsaRole(stack, 'Role', {
      oidc: { providerArn: 'arn:aws:iam::444444444444:oidc-provider/oidc.example.com', issuer: 'oidc.example.com' },
      serviceAccount: { namespace: 'ns', name: 'sa' },
      statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::bucket'] })],
    });
    // WHEN the pack checks it
    const report = new AwsSolutionsChecks(app).validateScope(stack);
    // THEN the wildcard is reported by name; acknowledging it (with a reason) clears it
    expect(report.violations.map((violation) => violation.ruleName)).toContain('AwsSolutions-IAM5[Action::s3:*]');
    Validations.of(stack).acknowledge({ id: 'AwsSolutions-IAM5[Action::s3:*]', reason: 'probe' });
    expect(new AwsSolutionsChecks(app).validateScope(stack).violations).toEqual([]);
  });

  it('writes the templates offline: no context lookups, no assets but the CDK custom resource handlers', () => {
    const assembly = infra.app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
    for (const template of templates.values()) {
      const functions = resourcesOf(template, 'AWS::Lambda::Function').length;
      // CfnJson (IRSA trust conditions) and the default security group restriction.
      expect(functions).toBe(2);
    }
  });
});
