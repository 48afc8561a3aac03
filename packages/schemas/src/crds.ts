import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { JsonSchema } from './kubernetes';
import { cachedDerivation } from './validator-cache';

// CustomResourceDefinitions written by this project (packages/schemas/crds/) from the documented
// APIs, turned into strict JSON Schemas: every object schema that lists properties is closed
// unless it says `x-kubernetes-preserve-unknown-fields`, and int-or-string fields accept both.

export const CRD_DIR = new URL('../crds/', import.meta.url).pathname;

export interface CustomKind {
  /** `group/version`. */
  readonly apiVersion: string;
  readonly kind: string;
  /** The resource name (`targetgroupbindings`), as webhook rules and RBAC name it. */
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly schema: JsonSchema;
  /** The CRD file it comes from, relative to packages/schemas. */
  readonly file: string;
}

function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-')) continue;
    result[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strict(v)])) : strict(value);
  }
  const source = schema as Record<string, unknown>;
  if (source['x-kubernetes-int-or-string']) {
    delete result.type;
    result.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (source.properties && source.additionalProperties === undefined && !source['x-kubernetes-preserve-unknown-fields']) {
    result.additionalProperties = false;
  }
  return result;
}

/** Every served version of every CRD in `dir`; parsed once (per content of the folder), and cached on disk. */
export function customKinds(dir: string = CRD_DIR): CustomKind[] {
  return [...cachedDerivation('custom-kinds', dir, () => parseCustomKinds(dir))];
}

function parseCustomKinds(dir: string): CustomKind[] {
  const kinds: CustomKind[] = [];
  for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort()) {
    for (const document of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const crd = document.toJS() as any;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions) {
        if (!version.served) continue;
        const schema = strict(version.schema.openAPIV3Schema) as JsonSchema;
        kinds.push({ apiVersion: `${crd.spec.group}/${version.name}`, kind: crd.spec.names.kind, plural: crd.spec.names.plural, scope: crd.spec.scope, schema, file: `crds/${file}` });
      }
    }
  }
  return kinds;
}
