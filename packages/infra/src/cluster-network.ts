import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface ClusterNetworkProps {
  /** IPv4 CIDR of the VPC. */
  readonly cidr: string;
  /** Exactly two AZs, named (never looked up). */
  readonly availabilityZones: readonly [string, string];
  /** @default 1 */
  readonly natGateways?: number;
  /** Retention of the VPC flow logs, in days. */
  readonly flowLogRetentionDays: logs.RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The env's VPC: a public subnet per AZ for the internet-facing ALB and the NAT gateways, and a
 * private subnet per AZ for the cluster and its pods, because Fargate runs pods only in private
 * subnets (EKS user guide, fargate: "only private subnets are supported").
 */
export class ClusterNetwork extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: ClusterNetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      availabilityZones: [...props.availabilityZones],
      natGateways: props.natGateways ?? 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        // Every Fargate pod takes one private IP; a /19 per AZ leaves room for ~8000 pods.
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 19 },
      ],
      // Nothing uses the default security group; closing it keeps a forgotten ENI from being open.
      restrictDefaultSecurityGroup: true,
    });
    Validations.of(this.vpc).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'The AZs are named in the env settings on purpose: synth never looks them up, and the subnets must not move when AWS lists zones differently.',
    });
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetentionDays,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
  }

  /** The private subnets, where the control plane ENIs and every Fargate pod live. */
  get privateSubnetIds(): string[] {
    return this.vpc.privateSubnets.map((subnet) => subnet.subnetId);
  }
}
