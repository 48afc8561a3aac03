import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SchemaValidator } from '../src/validate';
import { exampleCrd } from './support/crd';

// The OpenAPI formats the CRDs declare (int32 ports and percentages, base64 `byte` CA bundles)
// are checked, not ignored, both by a freshly compiled validator and by one loaded from the
// on-disk cache, and compiling one prints nothing.

const crd = exampleCrd(
  'Gadget',
  'gadgets',
  `                port:
                  type: integer
                  format: int32
                caBundle:
                  type: string
                  format: byte`,
);

const dir = mkdtempSync(join(tmpdir(), 'schema-formats-'));
writeFileSync(join(dir, 'gadget.yaml'), crd);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gadget = (spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec });

describe('JSON Schema formats', () => {
  it('refuses an int32 beyond 2^31-1, and a byte field that is not base64, silently, compiled and cached', () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    const bad = gadget({ port: 3_000_000_000, caBundle: 'not base64!' });
    const expected = [
      { path: '/spec/port', message: 'must match format "int32"' },
      { path: '/spec/caBundle', message: 'must match format "byte"' },
    ];

    expect(new SchemaValidator(dir).validate(bad)).toEqual(expected);
    expect(new SchemaValidator(dir).validate(bad)).toEqual(expected);
    expect(new SchemaValidator(dir).validate(gadget({ port: 8080, caBundle: Buffer.from('x').toString('base64') }))).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    warn.mockRestore();
    log.mockRestore();
  });
});
