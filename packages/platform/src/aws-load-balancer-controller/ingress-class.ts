import {
  IngressClassParams,
  IngressClassParamsSpecScheme,
  IngressClassParamsSpecTargetType,
} from '@gitops/schemas/imports/elbv2.k8s.aws';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { labels, names } from './names';

/**
 * IngressClass `alb` and its IngressClassParams. The apps reach the ALB through
 * TargetGroupBindings to an ALB that infrastructure code owns, not through Ingresses; this class
 * exists so that an Ingress someone does create gets settings safe for Fargate. Fields set in the
 * params override the same Ingress annotations.
 *
 * The params carry the controller's name label, which the IngressClassParams validating webhook
 * excludes (as the chart's do), so they apply before the controller is serving.
 */
export class AlbIngressClass extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new IngressClassParams(this, 'params', {
      metadata: { name: names.ingressClass, labels },
      spec: {
        // IP targets are the only kind that reaches Fargate pods.
        targetType: IngressClassParamsSpecTargetType.IP,
        // An ALB made from an Ingress is internal unless someone deliberately changes this here:
        // internet-facing load balancers belong to infrastructure code, with their WAF.
        scheme: IngressClassParamsSpecScheme.INTERNAL,
      },
    });
    new k8s.KubeIngressClass(this, 'class', {
      metadata: { name: names.ingressClass, labels },
      spec: {
        controller: 'ingress.k8s.aws/alb',
        parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: names.ingressClass },
      },
    });
  }
}
