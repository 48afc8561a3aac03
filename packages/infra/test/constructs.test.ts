import { parameters, values, type ParameterDefinition } from '@gitops/contract';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ContractParameter, loadBalancerControllerStatements, wildcardFindings } from '../src/index';
import { fixtureEnv } from './support';

const env = fixtureEnv();
const stack = () => new Stack(new App({ builtinCloudFormationValidation: false }), 'Probe', { env: { account: env.account, region: env.region } });

describe('ContractParameter', () => {
  it("takes the name, type and description from the contract's definition", () => {
    // GIVEN a stack WHEN the VPC ID is published
    const scope = stack();
    new ContractParameter(scope, 'Vpc', { definition: parameters.vpcId, env, value: 'vpc-0123456789abcdef0' });
    // THEN the SSM parameter is the contract's
    Template.fromStack(scope).hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/fargate-gitops/qa/network/vpc-id',
      Type: 'String',
      Value: 'vpc-0123456789abcdef0',
      Description: parameters.vpcId.description,
      Tier: 'Standard',
    });
  });

  it('writes a StringList definition as a StringList', () => {
    const list: ParameterDefinition = { path: 'network/private-subnet-ids', type: 'StringList', description: 'probe', kind: values.listOf(values.vpcId) };
    const scope = stack();
    new ContractParameter(scope, 'List', { definition: list, env, value: ['vpc-0123456789abcdef0', 'vpc-0123456789abcdef1'] });
    Template.fromStack(scope).hasResourceProperties('AWS::SSM::Parameter', { Type: 'StringList', Value: 'vpc-0123456789abcdef0,vpc-0123456789abcdef1' });
  });

  it('refuses a known value the contract would reject when the generator reads it', () => {
    expect(() => new ContractParameter(stack(), 'Bad', { definition: parameters.vpcId, env, value: 'sg-0123456789abcdef0' })).toThrow(
      /network\/vpc-id: value "sg-0123456789abcdef0" is not a VPC ID/,
    );
  });

  it("refuses a name that breaks SSM's rules, which CDK does not check", () => {
    const reserved = { ...env, ssmPrefix: '/aws/qa' };
    expect(() => new ContractParameter(stack(), 'Reserved', { definition: parameters.vpcId, env: reserved, value: 'vpc-0123456789abcdef0' })).toThrow(
      'SSM parameter /aws/qa/network/vpc-id: names must not begin with "aws" or "ssm"',
    );
  });

  it('refuses a single value for a StringList and a list for a String', () => {
    expect(() => new ContractParameter(stack(), 'Wrong', { definition: parameters.vpcId, env, value: ['vpc-0123456789abcdef0'] })).toThrow(/is a String: pass one value/);
  });
});

describe('the AWS Load Balancer Controller policy', () => {
  const statements = loadBalancerControllerStatements(env).map((statement) => statement.toStatementJson());
  const actionsOf = (statement: any): string[] => [statement.Action].flat();
  const resourcesOf = (statement: any): string[] => [statement.Resource].flat();
  const tagConditioned = (statement: any) => JSON.stringify(statement.Condition ?? {}).includes('elbv2.k8s.aws/cluster');

  it('has the 80 actions of the documented v3.5.0 policy (identical to v2.17.1)', () => {
    expect(new Set(statements.flatMap(actionsOf)).size).toBe(80);
  });

  it('guards every create, delete and attribute change of load balancers, target groups and security groups with the cluster tag', () => {
    const guarded = [
      'elasticloadbalancing:CreateLoadBalancer',
      'elasticloadbalancing:CreateTargetGroup',
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:ModifyLoadBalancerAttributes',
      'elasticloadbalancing:SetSecurityGroups',
      'ec2:DeleteSecurityGroup',
      'ec2:DeleteTags',
    ];
    for (const action of guarded) {
      const granting = statements.filter((statement) => actionsOf(statement).includes(action));
      expect(granting.length, action).toBeGreaterThan(0);
      for (const statement of granting) expect(tagConditioned(statement), `${action} in ${statement.Sid}`).toBe(true);
    }
  });

  it("names this env's partition, region and account in every ARN, never another's", () => {
    const arns = statements.flatMap(resourcesOf).filter((resource) => resource !== '*');
    expect(arns.length).toBeGreaterThan(0);
    for (const arn of arns) expect(arn).toMatch(/^arn:aws:(ec2|elasticloadbalancing):ap-northeast-1:444444444444:/);
  });

  it('lets the controller create only the Elastic Load Balancing service-linked role', () => {
    const [statement] = statements.filter((s) => actionsOf(s).includes('iam:CreateServiceLinkedRole'));
    expect(statement.Condition).toEqual({ StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } });
  });

  it('names each wildcard of the policy for cdk-nag', () => {
    const findings = wildcardFindings(loadBalancerControllerStatements(env));
    expect(findings).toContain('AwsSolutions-IAM5[Resource::*]');
    expect(findings).toContain('AwsSolutions-IAM5[Resource::arn:aws:elasticloadbalancing:ap-northeast-1:444444444444:targetgroup/*/*]');
    expect(findings.every((finding) => finding.includes('*'))).toBe(true);
  });
});
