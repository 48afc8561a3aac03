import { defineApp } from '@gitops/app';

// An internal back-office tool behind an ALB that its Ingress makes: reachable from the VPC only,
// its DNS record written by ExternalDNS, its routing changed without an infra deploy.
export default defineApp({
  name: 'admin',
  image: 'public.ecr.aws/example-org/admin:2.3.0',
  ports: [{ port: 8080 }],
  resources: { cpu: '250m', memory: '256Mi' },
  // Each env names its own host inside its zone (clusters/<env>/env.ts, apps.admin.expose.host).
  expose: { via: 'ingress', host: 'admin.example.com', group: 'internal', scheme: 'internal' },
  // The ALB health-checks this path too: through an Ingress, the readiness probe is the health check.
  probes: { readiness: { httpGet: '/healthz' }, liveness: { httpGet: '/livez', periodSeconds: 20 } },
});
