import { partitionOf } from '@gitops/contract';
import * as iam from 'aws-cdk-lib/aws-iam';

/** Where the controller's resources live: its env's partition, region and account. */
export interface ControllerScope {
  readonly region: string;
  readonly account: string;
}

// The tag the controller puts on every load balancer, target group and security group it creates
// (the v2 name; v1 used ingress.k8s.aws/cluster). Conditions on it keep the controller's writes
// to the resources it made itself.
const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/**
 * The AWS Load Balancer Controller's IAM policy, written for this project from the documented
 * v3.5.0 policy (kubernetes-sigs/aws-load-balancer-controller@v3.5.0, docs/install/iam_policy.json,
 * byte-identical to v2.17.1's; 80 actions): the same actions and the same `elbv2.k8s.aws/cluster`
 * tag conditions.
 * One tightening: where upstream writes `arn:aws:<service>:*:*:...`, these ARNs name the env's own
 * partition, region and account. Writes to load balancers and security groups stay limited by the
 * tag conditions to the resources the controller created itself.
 */
export function loadBalancerControllerStatements(scope: ControllerScope): iam.PolicyStatement[] {
  const arn = (service: string, resource: string) =>
    `arn:${partitionOf(scope.region)}:${service}:${scope.region}:${scope.account}:${resource}`;
  const securityGroups = arn('ec2', 'security-group/*');
  const targetGroups = arn('elasticloadbalancing', 'targetgroup/*/*');
  const loadBalancers = [arn('elasticloadbalancing', 'loadbalancer/net/*/*'), arn('elasticloadbalancing', 'loadbalancer/app/*/*')];
  const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, Record<string, unknown>>) =>
    new iam.PolicyStatement({ sid, effect: iam.Effect.ALLOW, actions, resources, ...(conditions ? { conditions } : {}) });

  return [
    // The ELB service-linked role is created on first use in an account; only that one.
    allow('CreateElbServiceLinkedRole', ['iam:CreateServiceLinkedRole'], ['*'], {
      StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' },
    }),
    // Describe/Get calls do not support resource-level permissions: "*" is the only resource they take.
    allow(
      'DescribeNetworkAndLoadBalancers',
      [
        'ec2:DescribeAccountAttributes',
        'ec2:DescribeAddresses',
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs',
        'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags',
        'ec2:GetCoipPoolUsage',
        'ec2:DescribeCoipPools',
        'ec2:GetSecurityGroupsForVpc',
        'ec2:DescribeIpamPools',
        'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeListenerCertificates',
        'elasticloadbalancing:DescribeSSLPolicies',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetGroupAttributes',
        'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags',
        'elasticloadbalancing:DescribeTrustStores',
        'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeCapacityReservation',
      ],
      ['*'],
    ),
    allow(
      'ReadCertificatesAndProtections',
      [
        'cognito-idp:DescribeUserPoolClient',
        'acm:ListCertificates',
        'acm:DescribeCertificate',
        'iam:ListServerCertificates',
        'iam:GetServerCertificate',
        'waf-regional:GetWebACL',
        'waf-regional:GetWebACLForResource',
        'waf-regional:AssociateWebACL',
        'waf-regional:DisassociateWebACL',
        'wafv2:GetWebACL',
        'wafv2:GetWebACLForResource',
        'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL',
        'shield:GetSubscriptionState',
        'shield:DescribeProtection',
        'shield:CreateProtection',
        'shield:DeleteProtection',
      ],
      ['*'],
    ),
    // A TargetGroupBinding's `networking` opens the pods' security group to the load balancer's.
    allow('ManagePodSecurityGroupRules', ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], ['*']),
    allow('CreateSecurityGroup', ['ec2:CreateSecurityGroup'], ['*']),
    allow('TagSecurityGroupOnCreate', ['ec2:CreateTags'], [securityGroups], {
      StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' },
      Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' },
    }),
    allow('RetagOwnSecurityGroups', ['ec2:CreateTags', 'ec2:DeleteTags'], [securityGroups], {
      Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true', [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' },
    }),
    allow(
      'ManageOwnSecurityGroups',
      ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
      ['*'],
      { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } },
    ),
    allow('CreateTaggedLoadBalancers', ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'], ['*'], {
      Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' },
    }),
    allow(
      'ManageListenersAndRules',
      ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'],
      ['*'],
    ),
    allow('RetagOwnLoadBalancers', ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], [targetGroups, ...loadBalancers], {
      Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'true', [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' },
    }),
    allow(
      'TagListenersAndRules',
      ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      [
        arn('elasticloadbalancing', 'listener/net/*/*/*'),
        arn('elasticloadbalancing', 'listener/app/*/*/*'),
        arn('elasticloadbalancing', 'listener-rule/net/*/*/*'),
        arn('elasticloadbalancing', 'listener-rule/app/*/*/*'),
      ],
    ),
    allow(
      'ModifyOwnLoadBalancers',
      [
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation',
        'elasticloadbalancing:ModifyIpPools',
      ],
      ['*'],
      { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'false' } },
    ),
    allow('TagOnCreate', ['elasticloadbalancing:AddTags'], [targetGroups, ...loadBalancers], {
      StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] },
      Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: 'false' },
    }),
    // What a TargetGroupBinding does all day: register and deregister pod IPs.
    allow('RegisterTargets', ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], [targetGroups]),
    allow(
      'ModifyListenersAndRules',
      [
        'elasticloadbalancing:SetWebAcl',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
      ],
      ['*'],
    ),
  ];
}
