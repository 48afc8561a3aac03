import { defineApp } from '@gitops/app';

export default defineApp({
  name: 'worker',
  image: 'public.ecr.aws/example-org/worker:2.0.1',
});
