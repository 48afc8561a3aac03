import { Tags } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';

/** Role tags the AWS Load Balancer Controller discovers subnets by (docs, deploy/subnet_discovery.md). */
export const SUBNET_ROLE_TAGS = { public: 'kubernetes.io/role/elb', private: 'kubernetes.io/role/internal-elb' } as const;

/**
 * Tags the public subnets for internet-facing load balancers and the private ones for internal
 * ones. IngressClassParams name their subnets explicitly, so the tags do not choose them; they
 * keep the controller's own discovery (any class without explicit subnets, and its checks of the
 * named ones) from guessing by route tables.
 */
export function tagSubnetsForDiscovery(vpc: ec2.IVpc): void {
  for (const subnet of vpc.publicSubnets) Tags.of(subnet).add(SUBNET_ROLE_TAGS.public, '1');
  for (const subnet of vpc.privateSubnets) Tags.of(subnet).add(SUBNET_ROLE_TAGS.private, '1');
}
