import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';

export interface AppServiceAccountProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The IRSA role the pods assume. @default none: the pods get no API token at all */
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
      // Without IRSA the app has no reason to call the Kubernetes API, so no token is mounted. With
      // IRSA the default stays: the role is assumed with a token the EKS pod identity webhook
      // projects into the pod, and no EKS document says the webhook still does so for a pod that
      // opts out of service account tokens.
      ...(props.roleArn ? {} : { automountServiceAccountToken: false }),
    });
  }
}
