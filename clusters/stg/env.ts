import { defineEnvironment } from '@gitops/core';
import { argocd, dropHealthChecks, fargateProfiles, region } from '../shared';

export default defineEnvironment({
  name: 'stg',
  account: '222222222222',
  region,
  ssmPrefix: '/fargate-gitops/stg',
  cluster: { name: 'fargate-gitops-stg', kubernetesVersion: '1.33' },
  argocd,
  fargateProfiles,
  logging: {
    logStreamPrefix: 'stg-',
    fluentBitProcessLogs: false,
    lineFilters: [dropHealthChecks],
  },
  apps: {
    web: { replicas: 2 },
    api: { replicas: 2 },
    worker: {},
  },
});
