import { defineEnvironment } from '@gitops/core';

export default defineEnvironment({
  name: 'dev',
  account: '111111111111',
  region: 'ap-northeast-1',
  ssmPrefix: '/fargate-gitops/dev',
  cluster: { name: 'fargate-gitops-dev', kubernetesVersion: '1.33' },
  argocd: { repoURL: 'https://github.com/example-org/fargate-gitops.git', targetRevision: 'main' },
  fargateProfiles: [
    {
      name: 'platform',
      selectors: [{ namespace: 'kube-system' }, { namespace: 'cert-manager' }, { namespace: 'argocd' }],
    },
    { name: 'apps', selectors: [{ namespace: 'web' }, { namespace: 'api' }, { namespace: 'worker' }] },
  ],
  logging: {
    logStreamPrefix: 'dev-',
    // Fluent Bit's own logs, to debug the router while the logging setup is new.
    fluentBitProcessLogs: true,
  },
  apps: {
    web: { replicas: 1 },
    api: { replicas: 1, env: { LOG_LEVEL: 'debug' } },
    worker: {},
  },
});
