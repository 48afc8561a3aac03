import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkSpec, describeGiven, didYouMean, formatPath, integer, patterned } from '../src/index';

describe('spec problems', () => {
  it('formats field paths as a person writes them', () => {
    expect(formatPath(['apps', 'web', 'env', 'LOG_LEVEL'])).toBe('apps.web.env.LOG_LEVEL');
    expect(formatPath(['fargateProfiles', 1, 'selectors', 0, 'labels', 'app.kubernetes.io/name'])).toBe('fargateProfiles[1].selectors[0].labels["app.kubernetes.io/name"]');
    expect(formatPath([])).toBe('');
  });

  it('describes what was given without echoing whole objects or long strings', () => {
    expect(describeGiven(undefined)).toBe('nothing');
    expect(describeGiven(3e9)).toBe('3000000000');
    expect(describeGiven('x'.repeat(100))).toBe(`"${'x'.repeat(77)}..."`);
    expect(describeGiven([1, 2])).toBe('a list of 2');
    expect(describeGiven({ a: 1 })).toBe('an object');
    expect(describeGiven(() => 1)).toBe('a function');
  });

  it('suggests the known name a near miss meant, and nothing for a far one', () => {
    const known = ['logging', 'fargateProfiles', 'healthCheckPath'];
    expect(didYouMean('loging', known)).toBe('logging');
    expect(didYouMean('fargateProfile', known)).toBe('fargateProfiles');
    expect(didYouMean('HealthCheckPath', known)).toBe('healthCheckPath');
    expect(didYouMean('colour', known)).toBeUndefined();
  });

  it('reports every issue once, each with its field, what was given and what was expected', () => {
    const schema = z.strictObject({ port: integer(1, 65535, 'a port'), host: patterned(/^[a-z.]+$/, 'a host name'), nested: z.strictObject({ on: z.boolean().optional() }).optional() });
    expect(checkSpec(schema, { port: 70000, host: 'A B', nested: { of: true }, hots: 'x' }).map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      'port: given 70000; expected a port: an integer from 1 to 65535',
      'host: given "A B"; expected a host name',
      'nested.of: unknown field; did you mean "on"? (expected one of: on)',
      'hots: unknown field; did you mean "host"? (expected one of: port, host, nested)',
    ]);
    expect(checkSpec(schema, { port: 80, host: 'example.com' })).toEqual([]);
  });
});
