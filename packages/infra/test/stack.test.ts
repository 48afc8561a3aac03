import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDefinition } from '@gitops/app';
import { buildInfraApp, derivedPriorityBlock, type EnvironmentStack } from '../src/index';
import { fixtureApps, fixtureEnv, fixtureSettings, fixtureWorkspace, resourcesOf, trustedServiceAccounts } from './support';

// GIVEN the fixture env `qa` (apps: `shop`, exposed on two paths with AWS access; `jobs`, a
// worker with AWS access) as a spoke of a hub Argo CD, synthesized once for the whole file.
let stack: EnvironmentStack;
let template: Template;
let json: ReturnType<Template['toJSON']> & { Resources: Record<string, any> };

beforeAll(() => {
  const env = fixtureEnv({ argocd: { ...fixtureEnv().argocd, managedBy: 'hub' } });
  const settings = fixtureSettings({
    argocdHub: { roleArns: ['arn:aws:iam::999999999999:role/hub-argocd-application-controller', 'arn:aws:iam::999999999999:role/hub-argocd-server'] },
  });
  const infra = buildInfraApp({ workspace: fixtureWorkspace([env]), settings: { qa: settings }, nag: false, cloudFormationValidation: false });
  stack = infra.stacks.get('qa')!;
  template = Template.fromStack(stack);
  json = template.toJSON() as typeof json;
});

const id = (type: string, match: (properties: any) => boolean) => {
  const found = resourcesOf(json, type).filter(([, resource]) => match(resource.Properties));
  expect(found).toHaveLength(1);
  return found[0]![0];
};

describe('the env stack', () => {
  it('lives in the env account and region, named after the cluster', () => {
    expect(stack.account).toBe('444444444444');
    expect(stack.region).toBe('ap-northeast-1');
    expect(stack.stackName).toBe('fargate-gitops-qa-infra');
  });

  it('makes a VPC in two named AZs with a public and a private subnet each, and NAT', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.40.0.0/16' });
    const subnets = resourcesOf(json, 'AWS::EC2::Subnet').map(([, subnet]) => subnet.Properties);
    expect(subnets.map((subnet) => [subnet.AvailabilityZone, subnet.MapPublicIpOnLaunch]).sort()).toEqual([
      ['ap-northeast-1a', false],
      ['ap-northeast-1a', false],
      ['ap-northeast-1c', false],
      ['ap-northeast-1c', false],
    ]);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  it('makes a Fargate-only EKS cluster in the private subnets with access entries and control plane logs', () => {
    const privateSubnets = resourcesOf(json, 'AWS::EC2::Subnet')
      .filter(([, subnet]) => subnet.Properties.Tags.some((tag: any) => tag.Key === 'aws-cdk:subnet-type' && tag.Value === 'Private'))
      .map(([logicalId]) => ({ Ref: logicalId }));
    expect(privateSubnets).toHaveLength(2);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Name: 'fargate-gitops-qa',
      Version: '1.33',
      ResourcesVpcConfig: { SubnetIds: privateSubnets, EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] },
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      BootstrapSelfManagedAddons: false,
      Logging: { ClusterLogging: { EnabledTypes: Match.arrayWith([{ Type: 'audit' }, { Type: 'authenticator' }]) } },
    });
    template.resourceCountIs('AWS::EKS::Nodegroup', 0);
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::444444444444:role/platform-admin',
      AccessPolicies: [{ PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', AccessScope: { Type: 'cluster' } }],
    });
  });

  it('makes exactly the env Fargate profiles, in the private subnets, one after the other', () => {
    const profiles = resourcesOf(json, 'AWS::EKS::FargateProfile');
    expect(profiles.map(([, profile]) => [profile.Properties.FargateProfileName, profile.Properties.Selectors])).toEqual([
      ['platform', [{ Namespace: 'kube-system' }, { Namespace: 'cert-manager' }, { Namespace: 'argocd' }]],
      ['apps', [{ Namespace: 'shop' }, { Namespace: 'jobs' }]],
    ]);
    for (const [, profile] of profiles) expect(profile.Properties.Subnets).toHaveLength(2);
    // EKS refuses a profile while another is being created.
    expect(profiles[1]![1].DependsOn).toContain(profiles[0]![0]);
  });

  it('moves CoreDNS to Fargate through its add-on, after the profiles exist', () => {
    const [[, coreDns]] = resourcesOf(json, 'AWS::EKS::Addon') as [[string, any]];
    expect(coreDns.Properties).toMatchObject({ AddonName: 'coredns', ResolveConflicts: 'OVERWRITE' });
    expect(JSON.parse(coreDns.Properties.ConfigurationValues)).toEqual({ computeType: 'Fargate' });
    expect(coreDns.DependsOn).toEqual(expect.arrayContaining(resourcesOf(json, 'AWS::EKS::FargateProfile').map(([logicalId]) => logicalId)));
  });

  it('gives the pod execution role the Fargate trust with a source ARN, its managed policy and log permissions on the log group', () => {
    const roleId = id('AWS::IAM::Role', (p) => JSON.stringify(p.AssumeRolePolicyDocument).includes('eks-fargate-pods.amazonaws.com'));
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
            Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:eks:ap-northeast-1:444444444444:fargateprofile/fargate-gitops-qa/*' } },
          },
        ],
      },
      ManagedPolicyArns: [Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy'])] })],
    });
    const logGroupId = id('AWS::Logs::LogGroup', (p) => p.LogGroupName === '/eks/fargate-gitops-qa/pods');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents', 'logs:PutRetentionPolicy'],
            Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
          },
        ],
      },
    });
  });

  it('keeps every log group for the configured retention', () => {
    const groups = resourcesOf(json, 'AWS::Logs::LogGroup').map(([, group]) => [group.Properties.LogGroupName ?? 'flow logs', group.Properties.RetentionInDays]);
    expect(groups).toEqual(
      expect.arrayContaining([
        ['/aws/eks/fargate-gitops-qa/cluster', 30],
        ['/eks/fargate-gitops-qa/pods', 30],
        ['flow logs', 30],
      ]),
    );
  });

  it('registers the cluster issuer as an IAM OIDC provider for sts.amazonaws.com', () => {
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: { 'Fn::GetAtt': [Match.anyValue(), 'OpenIdConnectIssuerUrl'] },
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('trusts exactly one service account per IRSA role, with audience sts.amazonaws.com', () => {
    const irsaRoles = resourcesOf(json, 'AWS::IAM::Role').filter(([, role]) =>
      role.Properties.AssumeRolePolicyDocument.Statement.some((s: any) => s.Action === 'sts:AssumeRoleWithWebIdentity'),
    );
    const trusts = Object.fromEntries(irsaRoles.map(([logicalId]) => [logicalId, trustedServiceAccounts(json, logicalId)]));
    expect(Object.values(trusts).sort((a, b) => (a.subjects[0]! < b.subjects[0]! ? -1 : 1))).toEqual([
      { subjects: ['system:serviceaccount:jobs:jobs'], audiences: ['sts.amazonaws.com'] },
      { subjects: ['system:serviceaccount:kube-system:aws-load-balancer-controller'], audiences: ['sts.amazonaws.com'] },
      { subjects: ['system:serviceaccount:shop:shop'], audiences: ['sts.amazonaws.com'] },
    ]);
  });

  it("attaches an app's own policy statements to its role", () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shop-assets/*' }] } }],
    });
  });

  it('makes an internet-facing ALB in the public subnets, its security group open on 443 and 80 only, egress to the pods on the app port', () => {
    const publicSubnets = resourcesOf(json, 'AWS::EC2::Subnet')
      .filter(([, subnet]) => subnet.Properties.Tags.some((tag: any) => tag.Key === 'aws-cdk:subnet-type' && tag.Value === 'Public'))
      .map(([logicalId]) => ({ Ref: logicalId }));
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Type: 'application',
      Subnets: publicSubnets,
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }, { Key: 'access_logs.s3.enabled', Value: 'true' }]),
    });
    const clusterId = resourcesOf(json, 'AWS::EKS::Cluster')[0]![0];
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 }),
      ],
      SecurityGroupEgress: [
        Match.objectLike({ DestinationSecurityGroupId: { 'Fn::GetAtt': [clusterId, 'ClusterSecurityGroupId'] }, FromPort: 8080, ToPort: 8080, IpProtocol: 'tcp' }),
      ],
    });
  });

  it('serves HTTPS with the ACM certificate, validated in the hosted zone, and redirects HTTP to HTTPS', () => {
    const certificateId = id('AWS::CertificateManager::Certificate', (p) => p.DomainName === '*.qa.example.com');
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: '*.qa.example.com', HostedZoneId: 'Z00000000000000000QA' }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: certificateId } }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
  });

  it('associates a regional WAF web ACL of AWS managed rule groups with the ALB', () => {
    const aclId = id('AWS::WAFv2::WebACL', () => true);
    const acl = json.Resources[aclId].Properties;
    expect(acl.Scope).toBe('REGIONAL');
    expect(acl.Rules.map((rule: any) => [rule.Statement.ManagedRuleGroupStatement.VendorName, rule.Statement.ManagedRuleGroupStatement.Name])).toEqual([
      ['AWS', 'AWSManagedRulesAmazonIpReputationList'],
      ['AWS', 'AWSManagedRulesCommonRuleSet'],
      ['AWS', 'AWSManagedRulesKnownBadInputsRuleSet'],
    ]);
    const albId = resourcesOf(json, 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0]![0];
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { Ref: albId }, WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] } });
  });

  it("makes one ip target group per exposed app with its health check and a deregistration delay from the app's shutdown", () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Protocol: 'HTTP',
      Port: 8080,
      HealthCheckPath: '/healthz',
      Matcher: { HttpCode: '200-399' },
      // preStop 20 + drain 10
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
  });

  it('health-checks every 5 s, healthy after 2, so a healthy pod is ready within 30 s of registering', () => {
    for (const [, group] of resourcesOf(json, 'AWS::ElasticLoadBalancingV2::TargetGroup')) {
      const p = group.Properties;
      expect(p).toMatchObject({ HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 4, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2 });
      // The first check runs at registration, the next one interval later; the timeout must be shorter than the interval.
      expect(p.HealthCheckIntervalSeconds * p.HealthyThresholdCount).toBeLessThanOrEqual(30);
      expect(p.HealthCheckTimeoutSeconds).toBeLessThan(p.HealthCheckIntervalSeconds);
    }
  });

  it("routes by host and path, the longer path first, at priorities from the app's own block", () => {
    const rules = resourcesOf(json, 'AWS::ElasticLoadBalancingV2::ListenerRule')
      .map(([, rule]) => rule.Properties)
      .sort((a, b) => a.Priority - b.Priority)
      .map((rule) => [rule.Priority, rule.Conditions.map((c: any) => c.HostHeaderConfig?.Values[0] ?? c.PathPatternConfig?.Values[0])]);
    // shop's block is FNV-1a("shop") % 499 + 1 = 239: priorities 23900, 23901 in the order of its paths.
    expect(derivedPriorityBlock('shop')).toBe(239);
    expect(rules).toEqual([
      [23900, ['shop.qa.example.com', '/api/*']],
      [23901, ['shop.qa.example.com', '/*']],
    ]);
  });

  it("keeps every existing rule's priority and logical ID when an app is added, and when it is removed again", () => {
    const blog: AppDefinition = { name: 'blog', image: 'public.ecr.aws/example-org/blog:1.0.0', ports: [{ port: 8080 }], expose: { host: 'blog.qa.example.com' } };
    const rulesOf = (apps: Record<string, object>) => {
      const env = fixtureEnv({ apps, argocd: { ...fixtureEnv().argocd, managedBy: 'hub' } });
      const settings = fixtureSettings({ argocdHub: { roleArns: ['arn:aws:iam::999999999999:role/hub-argocd-application-controller'] } });
      const infra = buildInfraApp({ workspace: fixtureWorkspace([env], [...fixtureApps, blog]), settings: { qa: settings }, nag: false, cloudFormationValidation: false });
      const built = Template.fromStack(infra.stacks.get('qa')!).toJSON() as typeof json;
      return new Map(resourcesOf(built, 'AWS::ElasticLoadBalancingV2::ListenerRule').map(([logicalId, rule]) => [logicalId, rule.Properties.Priority]));
    };
    const before = rulesOf({ shop: {}, jobs: {} });
    const after = rulesOf({ blog: {}, shop: {}, jobs: {} });

    expect(after.size).toBe(before.size + 1);
    for (const [logicalId, priority] of before) expect(after.get(logicalId)).toBe(priority);
    expect([...after.values()]).toContain(derivedPriorityBlock('blog') * 100);
    expect(rulesOf({ shop: {}, jobs: {} })).toEqual(before);
  });

  it('points an alias record for every app host at the ALB', () => {
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'shop.qa.example.com.',
      Type: 'A',
      HostedZoneId: 'Z00000000000000000QA',
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
    });
  });

  it('lets only the hub Argo CD roles assume the deployer role, mapped to cluster admin', () => {
    const roleId = id('AWS::IAM::Role', (p) => p.RoleName === 'fargate-gitops-qa-argocd-deployer');
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'fargate-gitops-qa-argocd-deployer',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Principal: { AWS: { 'Fn::Join': ['', Match.arrayWith([':iam::999999999999:root'])] } },
            Condition: {
              ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::999999999999:role/hub-argocd-application-controller', 'arn:aws:iam::999999999999:role/hub-argocd-server'] },
            },
          },
        ],
      },
    });
    expect(json.Resources[roleId].Properties.Policies).toBeUndefined();
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      AccessPolicies: [{ PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', AccessScope: { Type: 'cluster' } }],
    });
  });

  it('writes every identifier as an SSM String parameter under the env prefix', () => {
    const parameters = resourcesOf(json, 'AWS::SSM::Parameter').map(([, parameter]) => [parameter.Properties.Name, parameter.Properties.Type]);
    expect(parameters.sort()).toEqual(
      [
        '/fargate-gitops/qa/alb/security-group-id',
        '/fargate-gitops/qa/apps/jobs/role-arn',
        '/fargate-gitops/qa/apps/shop/role-arn',
        '/fargate-gitops/qa/apps/shop/target-group-arn',
        '/fargate-gitops/qa/argocd/deployer-role-arn',
        '/fargate-gitops/qa/cluster/certificate-authority-data',
        '/fargate-gitops/qa/cluster/endpoint',
        '/fargate-gitops/qa/cluster/name',
        '/fargate-gitops/qa/logging/fargate-log-group-name',
        '/fargate-gitops/qa/network/vpc-id',
        '/fargate-gitops/qa/platform/aws-load-balancer-controller/role-arn',
      ].map((name) => [name, 'String']),
    );
    const clusterId = resourcesOf(json, 'AWS::EKS::Cluster')[0]![0];
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/fargate-gitops/qa/cluster/endpoint', Value: { 'Fn::GetAtt': [clusterId, 'Endpoint'] } });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/fargate-gitops/qa/cluster/certificate-authority-data',
      Value: { 'Fn::GetAtt': [clusterId, 'CertificateAuthorityData'] },
    });
  });

  it('looks nothing up: the assembly has no missing context', () => {
    const assembly = stack.node.root as unknown as { synth(): { manifest: { missing?: unknown[] } } };
    expect(assembly.synth().manifest.missing ?? []).toEqual([]);
  });
});
