export { AppSecretAccess, appSecretsKeyAlias, type AppSecretAccessProps } from './app-secret-access';
export { ArgoCdDeployerRole, type ArgoCdDeployerRoleProps } from './argocd-deployer-role';
export { ClusterNetwork, type ClusterNetworkProps } from './cluster-network';
export { ContractParameter, type ContractParameterProps } from './contract-parameter';
export { EnvironmentStack, stackNameOf, type EnvironmentStackProps } from './environment-stack';
export { infraSettings } from './environments';
export { externalDnsServiceAccount, externalDnsStatements, hostedZoneArn } from './external-dns-role';
export { clusterAdminPolicyArn, FargateCluster, type FargateClusterProps } from './fargate-cluster';
export { buildInfraApp, type InfraApp, type InfraAppOptions } from './infra-app';
export { planIngress, type IngressPlan } from './ingress-plan';
export { IRSA_AUDIENCE, IrsaRole, wildcardFindings, type ClusterOidc, type IrsaRoleProps } from './irsa-role';
export { loadBalancerControllerStatements, type ControllerScope } from './load-balancer-controller-policy';
export {
  appServiceAccount,
  argocdDeployerRoleName,
  derivedPriorityBlock,
  certificateCovers,
  exposedPort,
  loadBalancerControllerServiceAccount,
  planEnvironment,
  profileSelects,
  wildcardPattern,
  type AppRolePlan,
  type EnvironmentPlan,
  type ListenerRulePlan,
  type ServiceAccountRef,
  type TargetGroupPlan,
} from './plan';
export { defineInfraSettings, infraSettingsSchema, type InfraSettings } from './settings';
export { SharedLoadBalancer, type SharedLoadBalancerProps } from './shared-load-balancer';
export { SUBNET_ROLE_TAGS, tagSubnetsForDiscovery } from './subnet-discovery-tags';
export { WebAcl, type WebAclProps } from './web-acl';
