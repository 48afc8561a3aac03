import { defineApp } from '@gitops/app';

// A queue consumer: calls AWS through its IRSA role, serves no traffic.
export default defineApp({
  name: 'worker',
  image: 'public.ecr.aws/example-org/worker:2.0.1',
  // 1792Mi + Fargate's 256 MB fills 1 vCPU / 2 GB exactly; 2Gi would be billed as 3 GB.
  resources: { cpu: '1', memory: '1792Mi' },
  env: { QUEUE_NAME: 'jobs', RESULTS_PREFIX: 'results/' },
  replicas: 1,
  // A job in flight finishes or is handed back to the queue within 60 s of SIGTERM; no ALB is
  // involved, so no preStop delay is needed.
  shutdown: { preStopSeconds: 0, drainSeconds: 60 },
  aws: {
    // The env's own queue; the results bucket's prefix (object keys are only known at run time).
    policy: (aws) => [
      { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'], Resource: [aws.arn('sqs', 'jobs')] },
      { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [aws.arn('s3', 'example-org-results/results/*', { global: true })] },
    ],
  },
});
