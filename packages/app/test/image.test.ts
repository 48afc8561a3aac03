import { describe, expect, it } from 'vitest';
import { parseImage } from '../src/index';

describe('parseImage', () => {
  it.each([
    ['public.ecr.aws/nginx/nginx-unprivileged:1.27.3', { name: 'public.ecr.aws/nginx/nginx-unprivileged', tag: '1.27.3' }],
    ['111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/shop:v2', { name: '111111111111.dkr.ecr.ap-northeast-1.amazonaws.com/shop', tag: 'v2' }],
    ['localhost:5000/team/app_x:1.0-rc.1', { name: 'localhost:5000/team/app_x', tag: '1.0-rc.1' }],
    [`shop@sha256:${'0'.repeat(64)}`, { name: 'shop', digest: `sha256:${'0'.repeat(64)}` }],
  ])('reads %s', (image, parts) => {
    expect(parseImage(image)).toEqual({ ok: true, image: parts });
  });

  it.each([
    ['Registry.example.com/Shop:1.0', /is not an image reference/],
    ['shop:1.0 ', /is not an image reference/],
    ['shop::1.0', /is not an image reference/],
    ['shop', /has no tag or digest/],
    ['shop:latest', /uses the tag "latest"/],
  ])('refuses %j', (image, problem) => {
    const parsed = parseImage(image);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });
});
