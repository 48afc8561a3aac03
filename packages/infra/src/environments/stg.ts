import { defineInfraSettings } from '../settings';

// Account IDs, zone IDs and CIDRs here are placeholders, like the ones in clusters/stg/.
export default defineInfraSettings({
  vpcCidr: '10.20.0.0/16',
  availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
  natGateways: 1,
  apiPublicAccessCidrs: ['203.0.113.0/24'],
  clusterAdminRoleArns: ['arn:aws:iam::222222222222:role/fargate-gitops-platform-admin'],
  certificate: { domainName: '*.stg.example.com' },
  dns: { hostedZoneId: 'Z0000000000000000STG', zoneName: 'stg.example.com' },
  // The apps name their production hosts; this env serves them under its own zone.
  appHosts: { api: 'api.stg.example.com', web: 'www.stg.example.com' },
  logRetentionDays: 30,
  protectFromDeletion: false,
});
