import {
  TargetGroupBinding,
  TargetGroupBindingSpecNetworkingIngressPortsProtocol,
  TargetGroupBindingSpecTargetType,
} from '@gitops/schemas/imports/elbv2.k8s.aws';
import { Construct } from 'constructs';

export interface AppTargetGroupBindingProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The target group packages/infra made for the app (from SSM). */
  readonly targetGroupArn: string;
  readonly vpcId: string;
  /** The shared ALB's security group (from SSM): the only source allowed to the pods. */
  readonly albSecurityGroupId: string;
  /** The app's Service and the Service port whose endpoints become targets. */
  readonly service: string;
  readonly servicePort: number;
  /** The container port the ALB connects to (targets are pod IPs and this port). */
  readonly containerPort: number;
}

/** Binds the app's pods to its target group on the shared ALB. */
export class AppTargetGroupBinding extends Construct {
  constructor(scope: Construct, id: string, props: AppTargetGroupBindingProps) {
    super(scope, id);
    new TargetGroupBinding(this, 'resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: {
        targetGroupArn: props.targetGroupArn,
        // Fargate pods have no node port to register, so ip is the only target type (EKS UG,
        // fargate considerations); set explicitly, since the webhook would otherwise ask AWS.
        targetType: TargetGroupBindingSpecTargetType.IP,
        // The controller cannot discover the VPC from instance metadata on Fargate, and vpcID is
        // immutable: stating it keeps the object equal to what Argo CD applied.
        vpcId: props.vpcId,
        serviceRef: { name: props.service, port: props.servicePort },
        networking: {
          ingress: [
            {
              from: [{ securityGroup: { groupId: props.albSecurityGroupId } }],
              ports: [{ protocol: TargetGroupBindingSpecNetworkingIngressPortsProtocol.TCP, port: props.containerPort }],
            },
          ],
        },
      },
    });
  }
}
