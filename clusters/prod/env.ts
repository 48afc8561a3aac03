import { defineEnvironment } from '@gitops/core';
import { argocd, dropHealthChecks, fargateProfiles, region } from '../shared';

export default defineEnvironment({
  name: 'prod',
  account: '333333333333',
  region,
  ssmPrefix: '/fargate-gitops/prod',
  cluster: { name: 'fargate-gitops-prod', kubernetesVersion: '1.32' },
  argocd,
  fargateProfiles,
  logging: {
    logStreamPrefix: 'prod-',
    fluentBitProcessLogs: false,
    lineFilters: [dropHealthChecks],
  },
  apps: {
    web: { replicas: 3 },
    // 1 vCPU / 2 GB once Fargate adds its 256 MB (2Gi would be billed as 3 GB).
    api: { replicas: 3, resources: { cpu: '1', memory: '1792Mi' } },
    worker: {},
  },
});
