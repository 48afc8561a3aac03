import { defineInfraSettings } from '../settings';

// Account IDs, zone IDs and CIDRs here are placeholders, like the ones in clusters/dev/.
export default defineInfraSettings({
  vpcCidr: '10.10.0.0/16',
  availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
  natGateways: 1,
  apiPublicAccessCidrs: ['203.0.113.0/24'],
  clusterAdminRoleArns: ['arn:aws:iam::111111111111:role/fargate-gitops-platform-admin'],
  certificate: { domainName: '*.dev.example.com' },
  dns: { hostedZoneId: 'Z0000000000000000DEV', zoneName: 'dev.example.com' },
  // The apps name their production hosts; this env serves them under its own zone.
  appHosts: { api: 'api.dev.example.com', web: 'www.dev.example.com' },
  logRetentionDays: 7,
  protectFromDeletion: false,
});
