import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { labels, names } from './names';

export interface ControllerServiceAccountProps {
  /** IAM role the controller assumes through IRSA (made by packages/infra, read from SSM). */
  readonly roleArn: string;
}

/**
 * The controller's identity, in Kubernetes and in AWS. IRSA is the only way a Fargate pod gets
 * AWS credentials: EKS Pod Identity does not support Fargate, and the Fargate pod execution role
 * cannot be assumed by containers (EKS user guide, service-accounts and security-iam pages).
 */
export class ControllerServiceAccount extends Construct {
  constructor(scope: Construct, id: string, props: ControllerServiceAccountProps) {
    super(scope, id);
    new k8s.KubeServiceAccount(this, 'resource', {
      metadata: {
        name: names.controller,
        namespace: names.namespace,
        labels,
        annotations: { 'eks.amazonaws.com/role-arn': props.roleArn },
      },
      // The controller calls the Kubernetes API with this token; the IRSA web identity token is
      // projected separately by EKS's pod identity webhook.
      automountServiceAccountToken: true,
    });
  }
}
