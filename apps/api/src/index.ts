import { defineApp } from '@gitops/app';

// An HTTP API behind the shared ALB that reads one DynamoDB table through its IRSA role. Its
// database password comes from Secrets Manager (the secret `<cluster>/api/orders-db` of each env,
// a JSON value with a `password` property, encrypted with the app's own KMS key), and a partner's
// API key from the SecureString parameter `/<cluster>/api/partner/api-key`.
export default defineApp({
  name: 'api',
  image: 'public.ecr.aws/example-org/api:1.4.2',
  ports: [{ port: 8080 }],
  // 768Mi + Fargate's 256 MB fills 0.5 vCPU / 1 GB exactly; 1Gi would be billed as 2 GB.
  resources: { cpu: '500m', memory: '768Mi' },
  env: { TABLE_NAME: 'orders', LOG_FORMAT: 'json' },
  secrets: {
    DB_PASSWORD: { secretsManager: 'orders-db', key: 'password', customerKey: true },
    PARTNER_API_KEY: { parameter: 'partner/api-key' },
  },
  expose: { host: 'api.example.com', healthCheckPath: '/healthz' },
  probes: { liveness: { httpGet: '/livez', periodSeconds: 20 } },
  // Long-polling endpoints answer within 20 s; the pod keeps serving that long after SIGTERM.
  shutdown: { drainSeconds: 20 },
  aws: {
    // The table and the one index the API queries, in the env's own account and region.
    policy: (aws) => [
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Resource: [aws.arn('dynamodb', 'table/orders'), aws.arn('dynamodb', 'table/orders/index/by-customer')],
      },
    ],
  },
});
