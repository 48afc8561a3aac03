import {
  IngressClassParams,
  IngressClassParamsSpecIpAddressType,
  IngressClassParamsSpecScheme,
  IngressClassParamsSpecTargetType,
} from '@gitops/schemas/imports/elbv2.k8s.aws';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';

export interface AlbGroupClassProps {
  readonly env: string;
  /** IngressGroup name: every Ingress of the class joins this one ALB. */
  readonly group: string;
  readonly scheme: 'internal' | 'internet-facing';
  /** The only namespaces whose Ingresses may use the class. */
  readonly namespaces: readonly string[];
  /** From SSM: the HTTPS listener's certificate. */
  readonly certificateArn: string;
  /** From SSM: the regional WAFv2 web ACL. */
  readonly webAclArn: string;
  /** From SSM: private subnets for an internal ALB, public ones for an internet-facing one. */
  readonly subnetIds: readonly string[];
}

/** The IngressClass and IngressClassParams name of a group (the app layer uses the same rule). */
export const albGroupClassName = (group: string) => `alb-${group}`;

/**
 * The TLS policy of every listener: TLS 1.3 and 1.2 only, the policy the shared ALB uses too
 * (aws-cdk-lib SslPolicy.RECOMMENDED_TLS; ELB docs, describe-ssl-policies).
 */
export const INGRESS_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * An ALB group's IngressClass and its IngressClassParams. Every setting that makes the ALB safe
 * is a params field, and a params field overrides the Ingress annotation of the same meaning
 * (aws-load-balancer-controller docs, ingress_class.md): an Ingress re-applied without the WAF
 * annotation, or with another scheme or certificate, changes nothing. Application teams own their
 * Ingress rules; the platform owns this.
 */
export class AlbGroupClass extends Construct {
  constructor(scope: Construct, id: string, props: AlbGroupClassProps) {
    super(scope, id);
    const name = albGroupClassName(props.group);
    const labels = { 'app.kubernetes.io/name': 'ingress-classes', 'app.kubernetes.io/part-of': 'platform' };
    new IngressClassParams(this, 'params', {
      metadata: { name, labels },
      spec: {
        // Only these namespaces may use the class: joining an ALB (and so its listener rules and
        // its security group) is granted here, not by whoever can write an Ingress.
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...props.namespaces] }] },
        group: { name: props.group },
        scheme: props.scheme === 'internal' ? IngressClassParamsSpecScheme.INTERNAL : IngressClassParamsSpecScheme.INTERNET_HYPHEN_FACING,
        ipAddressType: IngressClassParamsSpecIpAddressType.IPV4,
        // IP targets are the only kind that reaches Fargate pods (EKS user guide, Fargate considerations).
        targetType: IngressClassParamsSpecTargetType.IP,
        // Named explicitly rather than found by the subnet role tags: the ALB cannot land in a
        // subnet someone tagged later (infra tags them anyway, for the controller's checks).
        subnets: { ids: [...props.subnetIds] },
        certificateArn: [props.certificateArn],
        sslPolicy: INGRESS_SSL_POLICY,
        // HTTP only redirects to HTTPS.
        sslRedirectPort: '443',
        wafv2AclArn: props.webAclArn,
        loadBalancerAttributes: [
          // Requests with header names that are not valid HTTP are dropped, not passed to the app
          // (ELB docs, application load balancer attributes; cdk-nag ELB rules).
          { key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' },
        ],
        tags: [
          { key: 'fargate-gitops/env', value: props.env },
          { key: 'fargate-gitops/ingress-group', value: props.group },
        ],
      },
    });
    // The controller takes an Ingress whose ingressClassName names a class with this controller
    // value, whatever its --ingress-class flag says (that flag matches the old annotation only:
    // aws-load-balancer-controller pkg/ingress/group_loader.go, classifyIngress).
    new k8s.KubeIngressClass(this, 'class', {
      metadata: { name, labels },
      spec: {
        controller: 'ingress.k8s.aws/alb',
        parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name },
      },
    });
  }
}
