import { defineApp } from '@gitops/app';

// A static site behind the shared ALB, with no AWS access.
export default defineApp({
  name: 'web',
  // nginx-unprivileged listens on 8080 as user 101 and keeps its pid and caches under /tmp.
  image: 'public.ecr.aws/nginx/nginx-unprivileged:1.27.3',
  ports: [{ port: 8080 }],
  resources: { cpu: '250m', memory: '256Mi' },
  expose: { host: 'www.example.com', healthCheckPath: '/' },
  probes: { liveness: { tcpSocket: true, periodSeconds: 20 } },
});
