import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ListenerRulePlan, TargetGroupPlan } from './plan';
import { WebAcl } from './web-acl';

export interface SharedLoadBalancerProps {
  readonly vpc: ec2.IVpc;
  /** The security group of the pods (the cluster security group, on Fargate). */
  readonly podSecurityGroupId: string;
  readonly certificate: acm.ICertificate;
  /** One per exposed app. */
  readonly targetGroups: readonly TargetGroupPlan[];
  /** Each at its stable priority (see plan.ts), in priority order. */
  readonly listenerRules: readonly ListenerRulePlan[];
  /** Alias records for these hosts in this zone. @default no records */
  readonly dns?: { readonly zone: route53.IHostedZone; readonly hosts: readonly string[] };
  /** Days to keep access logs. */
  readonly accessLogRetentionDays: number;
  /** Prefix of WAF metric names. */
  readonly metricPrefix: string;
  /** ALB deletion protection, RETAIN of the access log bucket. @default false */
  readonly protectFromDeletion?: boolean;
}

/**
 * How often and how strictly each target group checks its pods. The API's defaults (every 30 s,
 * 5 healthy checks in a row) keep a new pod out for about 2.5 minutes; with readiness gates the
 * pod is not Ready until its target is healthy, so every pod of a rollout (maxUnavailable 0) waits
 * that long. Checking every 5 s (the shortest interval ALB allows), healthy after 2, makes a
 * healthy pod ready about 10 s after it registers, well within 30 s; 2 failures (10 s) take a
 * broken one out. The timeout must be shorter than the interval.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
export const TARGET_HEALTH_CHECK = { intervalSeconds: 5, timeoutSeconds: 4, healthyThresholdCount: 2, unhealthyThresholdCount: 2 } as const;

/** Whether a host can be an alias record in the zone: inside it, no `?`, `*` only as a whole first label. */
function aliasable(host: string, zoneName: string): boolean {
  const inZone = host === zoneName || host.endsWith(`.${zoneName}`);
  return inZone && !host.includes('?') && !/.\*|\*[^.]/.test(host);
}

/**
 * The ALB every exposed app shares: internet-facing in the public subnets, HTTPS with the env's
 * certificate, HTTP redirected to HTTPS, a WAF web ACL, one `ip` target group per app (Fargate
 * pods can only be IP targets) and one listener rule per app path. Pods join their target group
 * through the controller's TargetGroupBinding; no Ingress ever owns this ALB, so re-applying
 * manifests cannot drop its WAF, certificate or DNS (aws-load-balancer-controller docs,
 * targetgroupbinding).
 */
export class SharedLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  readonly httpsListener: elbv2.ApplicationListener;
  /** By app name. */
  readonly targetGroups: ReadonlyMap<string, elbv2.ApplicationTargetGroup>;
  readonly webAcl: WebAcl;

  constructor(scope: Construct, id: string, props: SharedLoadBalancerProps) {
    super(scope, id);
    const removalPolicy = props.protectFromDeletion ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Shared ALB: HTTPS and HTTP (redirect) from the internet, app ports to the pods',
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet');
    this.securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from the internet, redirected to HTTPS');
    Validations.of(this.securityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'The internet-facing ALB serves the public apps: 443 (behind the WAF web ACL) and 80 (only a redirect to 443) are open to any IPv4 address by design.',
    });
    for (const port of [...new Set(props.targetGroups.map((group) => group.port))].sort((a, b) => a - b)) {
      this.securityGroup.addEgressRule(ec2.Peer.securityGroupId(props.podSecurityGroupId), ec2.Port.tcp(port), `App traffic and health checks on ${port}`);
    }

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: props.protectFromDeletion ?? false,
    });
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // ALB access logs support only SSE-S3 (Elastic Load Balancing user guide, enable-access-logging).
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogRetentionDays) }],
      removalPolicy,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket holds the ALB access logs; logging access to the log bucket itself would need yet another bucket, and ELB writes here under its own service principal only.',
    });
    this.loadBalancer.logAccessLogs(accessLogs, 'alb');

    this.httpsListener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(props.certificate)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not found' }),
      open: false,
    });
    this.loadBalancer.addListener('Http', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      open: false,
    });

    const groups = new Map<string, elbv2.ApplicationTargetGroup>();
    for (const plan of props.targetGroups) {
      groups.set(
        plan.app,
        new elbv2.ApplicationTargetGroup(this, `TargetGroup-${plan.app}`, {
          vpc: props.vpc,
          targetType: elbv2.TargetType.IP,
          protocol: elbv2.ApplicationProtocol.HTTP,
          port: plan.port,
          // Equal to the app's shutdown timing, so the ALB waits for in-flight requests exactly as
          // long as the pod keeps serving after deregistration (its preStop delay plus drain).
          deregistrationDelay: Duration.seconds(plan.deregistrationDelaySeconds),
          healthCheck: {
            path: plan.healthCheckPath,
            protocol: elbv2.Protocol.HTTP,
            // The readiness probe passes on 2xx and 3xx; the ALB agrees with it.
            healthyHttpCodes: '200-399',
            interval: Duration.seconds(TARGET_HEALTH_CHECK.intervalSeconds),
            timeout: Duration.seconds(TARGET_HEALTH_CHECK.timeoutSeconds),
            healthyThresholdCount: TARGET_HEALTH_CHECK.healthyThresholdCount,
            unhealthyThresholdCount: TARGET_HEALTH_CHECK.unhealthyThresholdCount,
          },
        }),
      );
    }
    this.targetGroups = groups;

    for (const rule of props.listenerRules) {
      const conditions = [
        ...(rule.host ? [elbv2.ListenerCondition.hostHeaders([rule.host])] : []),
        elbv2.ListenerCondition.pathPatterns([rule.path]),
      ];
      new elbv2.ApplicationListenerRule(this, `Rule-${rule.id}`, {
        listener: this.httpsListener,
        priority: rule.priority,
        conditions,
        action: elbv2.ListenerAction.forward([groups.get(rule.app)!]),
      });
    }

    this.webAcl = new WebAcl(this, 'WebAcl', { resourceArn: this.loadBalancer.loadBalancerArn, metricPrefix: props.metricPrefix });

    if (props.dns) {
      const target = route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer));
      for (const host of props.dns.hosts.filter((name) => aliasable(name, props.dns!.zone.zoneName))) {
        new route53.ARecord(this, `Alias-${host}`, { zone: props.dns.zone, recordName: `${host}.`, target });
      }
    }
  }
}
