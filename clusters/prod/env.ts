import { defineEnvironment } from '@gitops/core';

export default defineEnvironment({
  name: 'prod',
  account: '333333333333',
  region: 'ap-northeast-1',
  ssmPrefix: '/fargate-gitops/prod',
  cluster: { name: 'fargate-gitops-prod', kubernetesVersion: '1.32' },
  argocd: { repoURL: 'https://github.com/example-org/fargate-gitops.git', targetRevision: 'main' },
  fargateProfiles: [
    {
      name: 'platform',
      selectors: [{ namespace: 'kube-system' }, { namespace: 'cert-manager' }, { namespace: 'argocd' }],
    },
    { name: 'apps', selectors: [{ namespace: 'web' }, { namespace: 'api' }, { namespace: 'worker' }] },
  ],
  logging: {
    logStreamPrefix: 'prod-',
    fluentBitProcessLogs: false,
    extraFilters: [
      // Drop health-check access lines: kubelet probes and ALB target health checks identify
      // themselves by user agent. They are most of an idle service's log volume.
      { Name: 'grep', Match: 'kube.*', Exclude: 'log (kube-probe|ELB-HealthChecker)/' },
    ],
  },
  apps: {
    web: { replicas: 3 },
    api: { replicas: 3, resources: { cpu: '1', memory: '2Gi' } },
    worker: {},
  },
});
