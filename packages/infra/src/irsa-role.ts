import { CfnJson, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ServiceAccountRef } from './plan';

/** The cluster's OIDC identity, as an IRSA trust policy needs it. */
export interface ClusterOidc {
  /** ARN of the IAM OIDC provider registered for the cluster's issuer. */
  readonly providerArn: string;
  /** The issuer without `https://` (`oidc.eks.<region>.amazonaws.com/id/<id>`): the prefix of the token's claim keys. */
  readonly issuer: string;
}

export interface IrsaRoleProps {
  readonly oidc: ClusterOidc;
  /** The one service account allowed to assume the role. */
  readonly serviceAccount: ServiceAccountRef;
  /** What the role may do; at least one statement. */
  readonly statements: readonly iam.PolicyStatement[];
  /** @default none */
  readonly description?: string;
  /**
   * Why the wildcards in `statements` are acceptable; each wildcard action and resource is then
   * acknowledged to cdk-nag (AwsSolutions-IAM5) by name, with this reason.
   * @default none acknowledged: a wildcard fails synth
   */
  readonly wildcardReason?: string;
}

/** The AwsSolutions-IAM5 finding IDs of the wildcard actions and resources in the statements. */
export function wildcardFindings(statements: readonly iam.PolicyStatement[]): string[] {
  const findings = new Set<string>();
  for (const statement of statements) {
    const json = statement.toStatementJson() as { Action?: string | string[]; Resource?: string | string[] };
    for (const action of [json.Action ?? []].flat()) if (action.includes('*')) findings.add(`Action::${action}`);
    for (const resource of [json.Resource ?? []].flat()) if (resource.includes('*')) findings.add(`Resource::${resource}`);
  }
  return [...findings].sort().map((finding) => `AwsSolutions-IAM5[${finding}]`);
}

/** The audience the EKS pod identity webhook requests for IRSA tokens (EKS user guide, "IAM roles for service accounts"). */
export const IRSA_AUDIENCE = 'sts.amazonaws.com';

/**
 * An IAM role for one Kubernetes service account (IRSA): it trusts web identity tokens of the
 * cluster's issuer whose `sub` is exactly `system:serviceaccount:<namespace>:<name>` and whose
 * `aud` is `sts.amazonaws.com`. IRSA rather than EKS Pod Identity, because Pod Identity's agent is
 * a DaemonSet and does not work on Fargate (EKS user guide, pod-identities: Fargate not supported).
 */
export class IrsaRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    if (props.statements.length === 0) throw new Error(`IRSA role for ${props.serviceAccount.namespace}/${props.serviceAccount.name} has no policy`);
    // The condition keys embed the issuer, which exists only once the cluster does; CloudFormation
    // cannot compute object keys, so CfnJson resolves the whole condition at deploy time.
    const conditions = new CfnJson(this, 'TrustConditions', {
      value: {
        [`${props.oidc.issuer}:sub`]: `system:serviceaccount:${props.serviceAccount.namespace}:${props.serviceAccount.name}`,
        [`${props.oidc.issuer}:aud`]: IRSA_AUDIENCE,
      },
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.WebIdentityPrincipal(props.oidc.providerArn, { StringEquals: conditions }),
      description: props.description,
      inlinePolicies: { access: new iam.PolicyDocument({ statements: [...props.statements] }) },
    });
    if (props.wildcardReason) {
      for (const id of wildcardFindings(props.statements)) Validations.of(this).acknowledge({ id, reason: props.wildcardReason });
    }
  }
}
