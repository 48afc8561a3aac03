import { defineEnvironment } from '@gitops/core';
import { argocd, fargateProfiles, region } from '../shared';

export default defineEnvironment({
  name: 'dev',
  account: '111111111111',
  region,
  ssmPrefix: '/fargate-gitops/dev',
  cluster: { name: 'fargate-gitops-dev', kubernetesVersion: '1.33' },
  argocd,
  fargateProfiles,
  logging: {
    logStreamPrefix: 'dev-',
    // Fluent Bit's own logs, to debug the router while the logging setup is new.
    fluentBitProcessLogs: true,
  },
  // One internal ALB made from Ingresses, for the internal tools; ExternalDNS writes their records
  // into the env's zone and, in dev, also removes the records of Ingresses that go away.
  ingress: { groups: { internal: { scheme: 'internal' } }, dnsPolicy: 'sync' },
  apps: {
    web: { replicas: 1 },
    api: { replicas: 1, env: { LOG_LEVEL: 'debug' } },
    worker: {},
    admin: { replicas: 1, expose: { host: 'admin.dev.example.com' } },
  },
});
