import { defineInfraSettings } from '../settings';

// Account IDs, zone IDs and CIDRs here are placeholders, like the ones in clusters/prod/.
export default defineInfraSettings({
  vpcCidr: '10.30.0.0/16',
  availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
  natGateways: 2,
  apiPublicAccessCidrs: ['203.0.113.0/24'],
  clusterAdminRoleArns: ['arn:aws:iam::333333333333:role/fargate-gitops-platform-admin'],
  // Production serves the apps' own hosts (api.example.com, www.example.com).
  certificate: { domainName: '*.example.com' },
  dns: { hostedZoneId: 'Z0000000000000000PROD', zoneName: 'example.com' },
  logRetentionDays: 365,
  protectFromDeletion: true,
});
