import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { clusterAdminPolicyArn } from './fargate-cluster';

export interface ArgoCdDeployerRoleProps {
  /** The role's name (fixed, see `argocdDeployerRoleName`). */
  readonly roleName: string;
  /** The EKS cluster (its `ref`, the name) the hub deploys to. */
  readonly clusterName: string;
  readonly region: string;
  /** Roles of the hub Argo CD, all in one account, allowed to assume this role. */
  readonly hubRoleArns: readonly string[];
}

/**
 * The role a hub Argo CD assumes to deploy into this env's cluster: the hub's cluster Secret names
 * it in `awsAuthConfig.roleARN` (Argo CD declarative-setup, "EKS"), and an EKS access entry maps
 * it to cluster admin, since Argo CD applies cluster-scoped objects (CRDs, webhooks, ClusterRoles).
 * It has no AWS permissions: it only authenticates to the Kubernetes API.
 */
export class ArgoCdDeployerRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ArgoCdDeployerRoleProps) {
    super(scope, id);
    const hubAccount = props.hubRoleArns[0]!.split(':')[4]!;
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      // The hub's account with an aws:PrincipalArn condition, not the roles themselves as
      // principals: IAM pins a role principal to the role's unique ID, so a hub role recreated
      // under the same name would silently lose access (IAM user guide, reference_policies_elements_principal).
      assumedBy: new iam.AccountPrincipal(hubAccount).withConditions({ ArnEquals: { 'aws:PrincipalArn': [...props.hubRoleArns] } }),
      description: 'Assumed by the hub Argo CD to deploy to this cluster; no AWS permissions',
    });
    new eks.CfnAccessEntry(this, 'AccessEntry', {
      clusterName: props.clusterName,
      principalArn: this.role.roleArn,
      type: 'STANDARD',
      accessPolicies: [{ policyArn: clusterAdminPolicyArn(props.region), accessScope: { type: 'cluster' } }],
    });
  }
}
