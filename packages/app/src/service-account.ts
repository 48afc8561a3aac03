import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';

export interface AppServiceAccountProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The IRSA role the pods assume. @default none */
  readonly roleArn?: string;
}

/**
 * The app's own service account. With a role it carries the IRSA annotation: Pod Identity does
 * not work on Fargate (EKS UG, service-accounts.adoc), so IRSA is how a pod gets AWS credentials.
 */
export class AppServiceAccount extends Construct {
  constructor(scope: Construct, id: string, props: AppServiceAccountProps) {
    super(scope, id);
    new k8s.KubeServiceAccount(this, 'resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...props.labels },
        ...(props.roleArn ? { annotations: { 'eks.amazonaws.com/role-arn': props.roleArn } } : {}),
      },
      // No Kubernetes API token by default, IRSA or not: the role is assumed with the token the
      // EKS pod identity webhook projects as a volume of its own, whatever
      // automountServiceAccountToken says (amazon-eks-pod-identity-webhook pkg/handler/handler.go).
      // A pod that calls the Kubernetes API opts in on the pod (AppDefinition.serviceAccountToken).
      automountServiceAccountToken: false,
    });
  }
}
