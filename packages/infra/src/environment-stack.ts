import { parameters, type ParameterDefinition } from '@gitops/contract';
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { AppSecretAccess } from './app-secret-access';
import { ArgoCdDeployerRole } from './argocd-deployer-role';
import { ClusterNetwork } from './cluster-network';
import { ContractParameter } from './contract-parameter';
import { externalDnsServiceAccount, externalDnsStatements } from './external-dns-role';
import { FargateCluster } from './fargate-cluster';
import { IrsaRole } from './irsa-role';
import { loadBalancerControllerStatements } from './load-balancer-controller-policy';
import { argocdDeployerRoleName, loadBalancerControllerServiceAccount, type EnvironmentPlan } from './plan';
import { SharedLoadBalancer } from './shared-load-balancer';
import { tagSubnetsForDiscovery } from './subnet-discovery-tags';

export interface EnvironmentStackProps extends Omit<StackProps, 'env'> {
  readonly plan: EnvironmentPlan;
}

/** The stack name of an env: `<cluster name>-infra`. */
export function stackNameOf(plan: Pick<EnvironmentPlan, 'env'>): string {
  return `${plan.env.cluster.name}-infra`;
}

/**
 * Every AWS resource of one environment, in the env's own account and region (explicit: nothing
 * is looked up), and the SSM parameters that hand their identifiers to the generator.
 */
export class EnvironmentStack extends Stack {
  readonly network: ClusterNetwork;
  readonly cluster: FargateCluster;
  readonly loadBalancer: SharedLoadBalancer;
  readonly loadBalancerControllerRole: IrsaRole;
  /** By app name. */
  readonly appRoles: ReadonlyMap<string, IrsaRole>;
  /** The secrets, key and grants of each app with `secrets`, by app name. */
  readonly appSecrets: ReadonlyMap<string, AppSecretAccess>;
  readonly argocdDeployerRole?: ArgoCdDeployerRole;
  /** ExternalDNS's role, in an env with Ingress apps. */
  readonly externalDnsRole?: IrsaRole;
  /** Every SSM parameter the stack writes, by full name. */
  readonly contractParameters: ReadonlyMap<string, ContractParameter>;

  /**
   * The env's AZs from its settings. A stack with an explicit account and region otherwise asks
   * AWS for them (an `availability-zones` context lookup, which the Vpc triggers even when given
   * its zones), and synth must run offline.
   */
  override get availabilityZones(): string[] {
    return [...this.zones];
  }

  private readonly zones: readonly string[];

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    const { env, settings } = props.plan;
    super(scope, id, {
      ...props,
      env: { account: env.account, region: env.region },
      description: `EKS on Fargate environment ${env.name}: network, cluster, IRSA roles, shared ALB; identifiers in SSM under ${env.ssmPrefix}`,
    });
    this.zones = settings.availabilityZones;
    const removal = { protectFromDeletion: settings.protectFromDeletion ?? false };

    this.network = new ClusterNetwork(this, 'Network', {
      cidr: settings.vpcCidr,
      availabilityZones: settings.availabilityZones,
      natGateways: settings.natGateways ?? 1,
      flowLogRetentionDays: settings.logRetentionDays,
      removalPolicy: removal.protectFromDeletion ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    tagSubnetsForDiscovery(this.network.vpc);

    this.cluster = new FargateCluster(this, 'Cluster', {
      clusterName: env.cluster.name,
      kubernetesVersion: env.cluster.kubernetesVersion,
      region: env.region,
      account: env.account,
      privateSubnetIds: this.network.privateSubnetIds,
      fargateProfiles: env.fargateProfiles,
      apiPublicAccessCidrs: settings.apiPublicAccessCidrs,
      clusterAdminRoleArns: settings.clusterAdminRoleArns,
      podLogGroupName: `/eks/${env.cluster.name}/pods`,
      fluentBitProcessLogs: env.logging?.fluentBitProcessLogs ?? false,
      logRetention: settings.logRetentionDays,
      ...removal,
    });

    this.loadBalancerControllerRole = new IrsaRole(this, 'LoadBalancerControllerRole', {
      oidc: this.cluster.oidc,
      serviceAccount: loadBalancerControllerServiceAccount,
      statements: loadBalancerControllerStatements(env),
      description: 'IRSA role of the AWS Load Balancer Controller (policy of v3.5.0)',
      wildcardReason:
        'The documented AWS Load Balancer Controller v3.5.0 policy: Describe calls take no resource ARNs, and ARN wildcards (pinned to this account and region) ' +
        'cover the load balancers, target groups and security groups the controller names at run time, its writes guarded by the elbv2.k8s.aws/cluster tag conditions.',
    });

    const appRoles = new Map<string, IrsaRole>();
    const appSecrets = new Map<string, AppSecretAccess>();
    for (const app of props.plan.appRoles) {
      const secretAccess =
        app.secrets.length > 0
          ? new AppSecretAccess(this, `AppSecrets-${app.app}`, {
              app: app.app,
              clusterName: env.cluster.name,
              region: env.region,
              references: app.secrets,
              removalPolicy: removal.protectFromDeletion ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
            })
          : undefined;
      if (secretAccess) appSecrets.set(app.app, secretAccess);
      appRoles.set(
        app.app,
        new IrsaRole(this, `AppRole-${app.app}`, {
          oidc: this.cluster.oidc,
          serviceAccount: app.serviceAccount,
          statements: [
            ...app.statements.map((statement) =>
              iam.PolicyStatement.fromJson({
                Effect: statement.Effect ?? 'Allow',
                Action: [...statement.Action],
                Resource: [...statement.Resource],
                ...(statement.Condition ? { Condition: statement.Condition } : {}),
              }),
            ),
            ...(secretAccess?.statements ?? []),
          ],
          description: `IRSA role of app ${app.app} (apps/${app.app}/src/index.ts)`,
          wildcardReason: `Wildcards written by app ${app.app} in its aws.policy (apps/${app.app}/src/index.ts), which is reviewed with the app.`,
        }),
      );
    }
    this.appRoles = appRoles;
    this.appSecrets = appSecrets;

    const zone = settings.dns
      ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: settings.dns.hostedZoneId, zoneName: settings.dns.zoneName })
      : undefined;
    const certificate =
      'arn' in settings.certificate
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', settings.certificate.arn)
        : new acm.Certificate(this, 'Certificate', {
            domainName: settings.certificate.domainName,
            subjectAlternativeNames: [...(settings.certificate.alternativeNames ?? [])],
            validation: acm.CertificateValidation.fromDns(zone),
          });

    this.loadBalancer = new SharedLoadBalancer(this, 'LoadBalancer', {
      vpc: this.network.vpc,
      podSecurityGroupId: this.cluster.cluster.attrClusterSecurityGroupId,
      certificate,
      targetGroups: props.plan.targetGroups,
      listenerRules: props.plan.listenerRules,
      ...(zone ? { dns: { zone, hosts: props.plan.hosts } } : {}),
      accessLogRetentionDays: settings.logRetentionDays,
      metricPrefix: env.cluster.name,
      ...removal,
    });

    if (settings.argocdHub) {
      this.argocdDeployerRole = new ArgoCdDeployerRole(this, 'ArgoCdDeployerRole', {
        roleName: argocdDeployerRoleName(env),
        clusterName: this.cluster.cluster.ref,
        region: env.region,
        hubRoleArns: settings.argocdHub.roleArns,
      });
    }

    const published = new Map<string, ContractParameter>();
    const publish = (id: string, definition: ParameterDefinition, value: string | string[]) => {
      const parameter = new ContractParameter(this, `Parameter-${id}`, { definition, env, value });
      published.set(parameter.parameterName, parameter);
    };
    publish('ClusterName', parameters.clusterName, this.cluster.cluster.ref);
    publish('ClusterEndpoint', parameters.clusterEndpoint, this.cluster.cluster.attrEndpoint);
    publish('ClusterCertificateAuthority', parameters.clusterCertificateAuthority, this.cluster.cluster.attrCertificateAuthorityData);
    publish('VpcId', parameters.vpcId, this.network.vpc.vpcId);
    publish('AlbSecurityGroupId', parameters.albSecurityGroupId, this.loadBalancer.securityGroup.securityGroupId);
    publish('LoadBalancerControllerRoleArn', parameters.loadBalancerControllerRoleArn, this.loadBalancerControllerRole.role.roleArn);
    publish('FargateLogGroupName', parameters.fargateLogGroupName, this.cluster.podLogGroup.logGroupName);
    if (this.argocdDeployerRole) publish('ArgoCdDeployerRoleArn', parameters.argocdDeployerRoleArn, this.argocdDeployerRole.role.roleArn);
    for (const [app, group] of this.loadBalancer.targetGroups) {
      publish(`TargetGroupArn-${app}`, parameters.appTargetGroupArn(app), group.targetGroupArn);
    }
    for (const [app, role] of appRoles) publish(`RoleArn-${app}`, parameters.appRoleArn(app), role.role.roleArn);
    if (props.plan.ingress) {
      const { hostedZoneId, zoneName } = props.plan.ingress;
      this.externalDnsRole = new IrsaRole(this, 'ExternalDnsRole', {
        oidc: this.cluster.oidc,
        serviceAccount: externalDnsServiceAccount,
        statements: externalDnsStatements(env.region, hostedZoneId),
        description: `IRSA role of ExternalDNS: records of hosted zone ${hostedZoneId} (${zoneName}) only`,
        wildcardReason: 'route53:ListHostedZones takes no resource ARN (Route 53 actions and resources); record changes are limited to the one hosted zone.',
      });
      // What the Ingress ALBs and ExternalDNS read. The certificate and the web ACL are the shared
      // ALB's: the same TLS names and the same WAF rules whichever way an app is exposed.
      publish('DnsHostedZoneId', parameters.dnsHostedZoneId, hostedZoneId);
      publish('DnsZoneName', parameters.dnsZoneName, zoneName);
      publish('IngressCertificateArn', parameters.ingressCertificateArn, certificate.certificateArn);
      publish('IngressWebAclArn', parameters.ingressWebAclArn, this.loadBalancer.webAcl.webAcl.attrArn);
      publish('PrivateSubnetIds', parameters.privateSubnetIds, this.network.vpc.privateSubnets.map((subnet) => subnet.subnetId));
      publish('PublicSubnetIds', parameters.publicSubnetIds, this.network.vpc.publicSubnets.map((subnet) => subnet.subnetId));
      publish('ExternalDnsRoleArn', parameters.externalDnsRoleArn, this.externalDnsRole.role.roleArn);
    }
    this.contractParameters = published;

  }
}
