import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { customKinds } from '../src/crds';
import { SchemaValidator } from '../src/validate';
import { SCHEMA_CACHE_DIR } from '../src/validator-cache';
import { exampleCrd } from './support/crd';

// Compiled validators and parsed CRDs are cached on disk across processes; a stale entry would
// validate against an old schema. These tests change a CRD and expect the new schema to apply.

const widgetCrd = (specProperties: string, required = '') => exampleCrd('Widget', 'widgets', specProperties, required);

const widget = (spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });

const folders: string[] = [];
function crdFolder(crd: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'validator-cache-'));
  folders.push(dir);
  writeFileSync(join(dir, 'widget.yaml'), crd);
  return dir;
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const cacheEntries = () => new Set(readdirSync(SCHEMA_CACHE_DIR));

describe('the on-disk validator cache', () => {
  it('gives a second validator (as in a later process) the same verdicts as the one that compiled', () => {
    const dir = crdFolder(widgetCrd('                size:\n                  type: integer'));
    const first = new SchemaValidator(dir);
    const verdict = first.validate(widget({ size: 'big', colour: 'red' }));
    const before = cacheEntries();

    const second = new SchemaValidator(dir);

    expect(verdict).toEqual([
      { path: '/spec', message: 'unknown field "colour"' },
      { path: '/spec/size', message: 'must be integer' },
    ]);
    expect(second.validate(widget({ size: 'big', colour: 'red' }))).toEqual(verdict);
    expect(second.validate(widget({ size: 3 }))).toEqual([]);
    // The second one loaded what the first one wrote; it compiled nothing new.
    expect([...cacheEntries()].filter((entry) => !before.has(entry) && !entry.endsWith('.v8'))).toEqual([]);
  });

  it('applies a changed CRD at once: a field made required is required', () => {
    const optional = crdFolder(widgetCrd('                size:\n                  type: integer'));
    expect(new SchemaValidator(optional).validate(widget({}))).toEqual([]);

    writeFileSync(join(optional, 'widget.yaml'), widgetCrd('                size:\n                  type: integer', 'required: [size]'));

    expect(new SchemaValidator(optional).validate(widget({}))).toEqual([{ path: '/spec', message: "must have required property 'size'" }]);
  });

  it('gives customKinds the changed scope of a changed CRD', () => {
    const dir = crdFolder(widgetCrd('                size:\n                  type: integer'));
    expect(customKinds(dir).map((kind) => kind.scope)).toEqual(['Namespaced']);

    writeFileSync(join(dir, 'widget.yaml'), widgetCrd('                size:\n                  type: integer').replace('scope: Namespaced', 'scope: Cluster'));

    expect(customKinds(dir).map((kind) => kind.scope)).toEqual(['Cluster']);
  });
});
