import { defineEnvironment } from '@gitops/core';

export default defineEnvironment({
  name: 'stg',
  account: '222222222222',
  region: 'ap-northeast-1',
  ssmPrefix: '/fargate-gitops/stg',
  cluster: { name: 'fargate-gitops-stg', kubernetesVersion: '1.33' },
  argocd: { repoURL: 'https://github.com/example-org/fargate-gitops.git', targetRevision: 'main' },
  fargateProfiles: [
    {
      name: 'platform',
      selectors: [{ namespace: 'kube-system' }, { namespace: 'cert-manager' }, { namespace: 'argocd' }],
    },
    { name: 'apps', selectors: [{ namespace: 'web' }, { namespace: 'api' }, { namespace: 'worker' }] },
  ],
  logging: {
    logStreamPrefix: 'stg-',
    fluentBitProcessLogs: false,
    extraFilters: [
      // Drop health-check access lines: kubelet probes and ALB target health checks identify
      // themselves by user agent. They are most of an idle service's log volume.
      { Name: 'grep', Match: 'kube.*', Exclude: 'log (kube-probe|ELB-HealthChecker)/' },
    ],
  },
  apps: {
    web: { replicas: 2 },
    api: { replicas: 2 },
    worker: {},
  },
});
