import { defineApp } from '@gitops/app';

export default defineApp({
  name: 'api',
  image: 'public.ecr.aws/example-org/api:1.4.2',
});
