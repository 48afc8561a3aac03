import { defineApp } from '@gitops/app';

// An HTTP API behind the shared ALB that reads one DynamoDB table through its IRSA role.
export default defineApp({
  name: 'api',
  image: 'public.ecr.aws/example-org/api:1.4.2',
  ports: [{ port: 8080 }],
  // 768Mi + Fargate's 256 MB fills 0.5 vCPU / 1 GB exactly; 1Gi would be billed as 2 GB.
  resources: { cpu: '500m', memory: '768Mi' },
  env: { TABLE_NAME: 'orders', LOG_FORMAT: 'json' },
  expose: { host: 'api.example.com', healthCheckPath: '/healthz' },
  probes: { liveness: { httpGet: '/livez', periodSeconds: 20 } },
  // Long-polling endpoints answer within 20 s; the pod keeps serving that long after SIGTERM.
  shutdown: { drainSeconds: 20 },
  aws: {
    policy: [
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Resource: ['arn:aws:dynamodb:*:*:table/orders', 'arn:aws:dynamodb:*:*:table/orders/index/*'],
      },
    ],
  },
});
