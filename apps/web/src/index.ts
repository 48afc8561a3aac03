import { defineApp } from '@gitops/app';

export default defineApp({
  name: 'web',
  image: 'public.ecr.aws/nginx/nginx-unprivileged:1.27.3',
});
