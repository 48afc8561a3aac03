import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { k8s } from 'cdk8s-plus-29';

// The Kubernetes 1.29 API, as JSON Schema, derived from the typed API that cdk8s-plus-29 ships:
// its jsii assembly records, for every struct of the `k8s` submodule, each property's wire name
// (`docs.custom.schema` is `<openapi definition>#<json field>`), its type and whether it is
// optional. Every object schema is closed (`additionalProperties: false`), so an unknown or
// misspelled field is an error, as with `kubeconform -strict`.

type JsiiTypeRef =
  | { primitive: 'string' | 'number' | 'boolean' | 'any' | 'date' | 'json' }
  | { collection: { kind: 'array' | 'map'; elementtype: JsiiTypeRef } }
  | { union: { types: JsiiTypeRef[] } }
  | { fqn: string };

interface JsiiProperty {
  name: string;
  optional?: boolean;
  type: JsiiTypeRef;
  docs?: { custom?: { schema?: string } };
}

interface JsiiType {
  kind: 'interface' | 'class' | 'enum';
  name: string;
  namespace?: string;
  properties?: JsiiProperty[];
  members?: { name: string }[];
}

export type JsonSchema = Record<string, unknown>;

/** `$id` under which `kubernetesDefinitions()` is registered; every `$ref` points into it. */
export const KUBERNETES_SCHEMA_ID = 'k8s-1.29';

const PREFIX = 'cdk8s-plus-29.k8s.';
// Classes of the k8s submodule that stand for JSON scalars, not objects.
const SCALAR_CLASSES: Record<string, JsonSchema> = {
  IntOrString: { type: ['string', 'integer'] },
  Quantity: { type: ['string', 'number'] },
};

function loadAssembly(): Record<string, JsiiType> {
  const require = createRequire(import.meta.url);
  const assembly = JSON.parse(readFileSync(require.resolve('cdk8s-plus-29/.jsii'), 'utf8')) as { types: Record<string, JsiiType> };
  return assembly.types;
}

function wireName(property: JsiiProperty): string {
  const schema = property.docs?.custom?.schema;
  const hash = schema?.indexOf('#') ?? -1;
  return schema && hash >= 0 ? schema.slice(hash + 1) : property.name;
}

/** `definitions` for every struct of cdk8s-plus-29's `k8s` submodule, keyed by struct name. */
export function kubernetesDefinitions(): Record<string, JsonSchema> {
  const types = loadAssembly();
  const schemaOf = (ref: JsiiTypeRef): JsonSchema => {
    if ('primitive' in ref) {
      if (ref.primitive === 'any' || ref.primitive === 'json') return {};
      if (ref.primitive === 'date') return { type: 'string' };
      return { type: ref.primitive };
    }
    if ('collection' in ref) {
      const items = schemaOf(ref.collection.elementtype);
      return ref.collection.kind === 'array' ? { type: 'array', items } : { type: 'object', additionalProperties: items };
    }
    if ('union' in ref) return { anyOf: ref.union.types.map(schemaOf) };
    const name = ref.fqn.slice(PREFIX.length);
    if (SCALAR_CLASSES[name]) return SCALAR_CLASSES[name];
    const type = types[ref.fqn];
    if (type?.kind === 'enum') return { type: 'string' };
    return { $ref: `${KUBERNETES_SCHEMA_ID}#/definitions/${name}` };
  };
  const definitions: Record<string, JsonSchema> = {};
  for (const [fqn, type] of Object.entries(types)) {
    if (!fqn.startsWith(PREFIX) || type.kind !== 'interface') continue;
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const property of type.properties ?? []) {
      const name = wireName(property);
      properties[name] = schemaOf(property.type);
      if (!property.optional) required.push(name);
    }
    definitions[type.name] = { type: 'object', properties, required, additionalProperties: false };
  }
  return definitions;
}

/** apiVersion/kind → name of the props struct of its `Kube*` class (e.g. `KubeDeploymentProps`). */
export function kubernetesKinds(): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const [name, value] of Object.entries(k8s)) {
    const gvk = (value as { GVK?: { apiVersion: string; kind: string } }).GVK;
    if (typeof value === 'function' && gvk) kinds.set(`${gvk.apiVersion}/${gvk.kind}`, `${name}Props`);
  }
  return kinds;
}
