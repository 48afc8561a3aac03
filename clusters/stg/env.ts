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
  apps: {
    web: { replicas: 2 },
    api: { replicas: 2 },
    worker: {},
  },
});
