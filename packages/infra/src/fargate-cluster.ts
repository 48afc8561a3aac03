import { partitionOf } from '@gitops/contract';
import type { FargateProfileSpec } from '@gitops/core';
import { Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ClusterOidc } from './irsa-role';

export interface FargateClusterProps {
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. `1.33`. */
  readonly kubernetesVersion: string;
  readonly region: string;
  readonly account: string;
  /** Private subnets in two AZs: the control plane's ENIs and every pod go there. */
  readonly privateSubnetIds: readonly string[];
  /** The env's Fargate profiles, created exactly as given. */
  readonly fargateProfiles: readonly FargateProfileSpec[];
  /** CIDRs allowed to the public API endpoint. */
  readonly apiPublicAccessCidrs: readonly string[];
  /** Roles given cluster admin through access entries. */
  readonly clusterAdminRoleArns: readonly string[];
  /** Name of the log group Fargate's log router writes pod logs to. */
  readonly podLogGroupName: string;
  /**
   * Whether the log router also ships its own logs (`flb_log_cw: "true"`), to the log group
   * `<cluster>-fluent-bit-logs` (EKS user guide, fargate-logging).
   * @default false
   */
  readonly fluentBitProcessLogs?: boolean;
  readonly logRetention: logs.RetentionDays;
  /** EKS deletion protection; RETAIN for the log groups. @default false */
  readonly protectFromDeletion?: boolean;
}

/** AWS managed EKS access policy granting cluster-admin (EKS user guide, access-policies). */
export function clusterAdminPolicyArn(region: string): string {
  return `arn:${partitionOf(region)}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;
}

/**
 * An EKS cluster whose only data plane is Fargate, made from the CloudFormation resources
 * (AWS::EKS::Cluster, FargateProfile, Addon) rather than aws-eks's `FargateCluster`: that L2 (and
 * aws-eks-v2's) patches CoreDNS through a kubectl Lambda that needs a kubectl layer package, and
 * runs the cluster itself through a custom resource. Here CoreDNS is moved to Fargate by its EKS
 * add-on setting `computeType: Fargate`, so nothing runs kubectl at deploy time and synth needs
 * nothing but aws-cdk-lib.
 */
export class FargateCluster extends Construct {
  readonly cluster: eks.CfnCluster;
  readonly podExecutionRole: iam.Role;
  readonly podLogGroup: logs.LogGroup;
  /** Present when `fluentBitProcessLogs` is. */
  readonly fluentBitLogGroup?: logs.LogGroup;
  readonly oidc: ClusterOidc;
  readonly profiles: readonly eks.CfnFargateProfile[];

  constructor(scope: Construct, id: string, props: FargateClusterProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    const removalPolicy = props.protectFromDeletion ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const clusterRole = new iam.Role(this, 'ClusterRole', {
      assumedBy: new iam.ServicePrincipal('eks.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSClusterPolicy')],
      description: `EKS control plane of ${props.clusterName}`,
    });
    Validations.of(clusterRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
      reason: 'The EKS cluster service role takes the AWS managed AmazonEKSClusterPolicy (EKS user guide, cluster-iam-role); AWS keeps it in step with the control plane.',
    });
    // EKS creates /aws/eks/<cluster>/cluster with no expiry when control plane logging is on;
    // creating it first gives it a retention.
    const controlPlaneLogs = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${props.clusterName}/cluster`,
      retention: props.logRetention,
      removalPolicy,
    });

    this.cluster = new eks.CfnCluster(this, 'Cluster', {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: clusterRole.roleArn,
      resourcesVpcConfig: {
        subnetIds: [...props.privateSubnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: [...props.apiPublicAccessCidrs],
      },
      // Access entries instead of the aws-auth ConfigMap: who may act in the cluster is decided here,
      // in review, and not by whoever ran the deployment (no implicit creator admin).
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      // The self-managed vpc-cni and kube-proxy are DaemonSets, and Fargate runs none: each Fargate
      // pod brings its own kubelet, kube-proxy and networking (EKS user guide, fargate). CoreDNS is
      // added below as a managed add-on.
      bootstrapSelfManagedAddons: false,
      logging: {
        clusterLogging: {
          enabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((type) => ({ type })),
        },
      },
      deletionProtection: props.protectFromDeletion ?? false,
    });
    this.cluster.node.addDependency(controlPlaneLogs);
    // Kubernetes API data (Secrets included) is envelope-encrypted by default on EKS 1.28 and
    // later (EKS user guide, envelope-encryption), so no customer key is configured here.
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-EKS1',
      reason:
        'The public API endpoint is limited to apiPublicAccessCidrs of the env (operators, CI, a hub Argo CD outside the VPC) and every request is authenticated by IAM through access entries; pods reach it privately.',
    });

    this.podLogGroup = new logs.LogGroup(this, 'PodLogs', {
      logGroupName: props.podLogGroupName,
      retention: props.logRetention,
      removalPolicy,
    });
    if (props.fluentBitProcessLogs) {
      this.fluentBitLogGroup = new logs.LogGroup(this, 'FluentBitLogs', {
        logGroupName: `${props.clusterName}-fluent-bit-logs`,
        retention: props.logRetention,
        removalPolicy,
      });
    }
    this.podExecutionRole = new iam.Role(this, 'PodExecutionRole', {
      // The condition keeps the role to this cluster's profiles (confused deputy protection;
      // EKS user guide, pod-execution-role).
      assumedBy: new iam.ServicePrincipal('eks-fargate-pods.amazonaws.com', {
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${partition}:eks:${props.region}:${props.account}:fargateprofile/${props.clusterName}/*` },
        },
      }),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSFargatePodExecutionRolePolicy')],
      description: `Fargate pod execution role of ${props.clusterName}: image pulls and the log router`,
    });
    Validations.of(this.podExecutionRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy]',
      reason: 'Fargate requires AmazonEKSFargatePodExecutionRolePolicy on the pod execution role for image pulls (EKS user guide, pod-execution-role).',
    });
    // What Fargate's built-in Fluent Bit needs to ship pod logs to CloudWatch (EKS user guide,
    // fargate-logging; aws-samples/amazon-eks-fluent-logging-examples), on these log groups only.
    this.podExecutionRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'FargateLogRouter',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents', 'logs:PutRetentionPolicy'],
        resources: [this.podLogGroup, this.fluentBitLogGroup].flatMap((group) => (group ? [group.logGroupArn] : [])),
      }),
    );

    // EKS creates one Fargate profile at a time per cluster and refuses a second while one is
    // CREATING or DELETING, so each profile waits for the previous one.
    const profiles: eks.CfnFargateProfile[] = [];
    for (const spec of props.fargateProfiles) {
      const profile = new eks.CfnFargateProfile(this, `Profile-${spec.name}`, {
        clusterName: this.cluster.ref,
        fargateProfileName: spec.name,
        podExecutionRoleArn: this.podExecutionRole.roleArn,
        subnets: [...props.privateSubnetIds],
        selectors: spec.selectors.map((selector) => ({
          namespace: selector.namespace,
          ...(selector.labels
            ? { labels: Object.entries(selector.labels).map(([key, value]) => ({ key, value })) }
            : {}),
        })),
      });
      const previous = profiles.at(-1);
      if (previous) profile.node.addDependency(previous);
      profiles.push(profile);
    }
    this.profiles = profiles;

    // CoreDNS ships annotated `eks.amazonaws.com/compute-type: ec2`; the add-on's computeType
    // setting removes it so the kube-system profile can schedule it (aws/containers-roadmap #1813;
    // EKS add-ons advanced configuration). It needs its profile first.
    const coreDns = new eks.CfnAddon(this, 'CoreDns', {
      clusterName: this.cluster.ref,
      addonName: 'coredns',
      resolveConflicts: 'OVERWRITE',
      configurationValues: JSON.stringify({ computeType: 'Fargate' }),
    });
    for (const profile of profiles) coreDns.node.addDependency(profile);

    props.clusterAdminRoleArns.forEach((principalArn, index) => {
      new eks.CfnAccessEntry(this, `Admin${index}`, {
        clusterName: this.cluster.ref,
        principalArn,
        type: 'STANDARD',
        accessPolicies: [{ policyArn: clusterAdminPolicyArn(props.region), accessScope: { type: 'cluster' } }],
      });
    });

    const provider = new iam.OidcProviderNative(this, 'OidcProvider', {
      url: this.cluster.attrOpenIdConnectIssuerUrl,
      clientIds: ['sts.amazonaws.com'],
    });
    this.oidc = {
      providerArn: provider.oidcProviderArn,
      issuer: Fn.select(1, Fn.split('https://', this.cluster.attrOpenIdConnectIssuerUrl)),
    };
  }
}
