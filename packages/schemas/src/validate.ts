import { Ajv, type ValidateFunction } from 'ajv';
import { customKinds, type CustomKind } from './crds';
import { KUBERNETES_SCHEMA_ID, kubernetesDefinitions, kubernetesKinds, type JsonSchema } from './kubernetes';

/** One schema violation: where in the object (a JSON pointer) and what is wrong. */
export interface SchemaViolation {
  readonly path: string;
  readonly message: string;
}

interface ObjectSchema {
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/**
 * Validates rendered objects against the Kubernetes 1.29 API and the project's CRDs, strictly.
 * Each kind's schema compiles on first use, once per process, and is reused for every object.
 */
export class SchemaValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly definitions = kubernetesDefinitions();
  private readonly builtIn = kubernetesKinds();
  private readonly custom = new Map<string, CustomKind>();

  constructor(crdDir?: string) {
    this.ajv.addSchema({ $id: KUBERNETES_SCHEMA_ID, definitions: this.definitions });
    for (const kind of customKinds(crdDir)) this.custom.set(`${kind.apiVersion}/${kind.kind}`, kind);
  }

  /** Whether objects of this apiVersion/kind have a schema. */
  knows(apiVersion: string, kind: string): boolean {
    const key = `${apiVersion}/${kind}`;
    return this.builtIn.has(key) || this.custom.has(key);
  }

  /** The closed schema of a whole object: its struct's fields plus exactly its apiVersion and kind. */
  private rootSchema(apiVersion: string, kind: string): JsonSchema | undefined {
    const key = `${apiVersion}/${kind}`;
    const props = this.builtIn.get(key);
    const custom = this.custom.get(key);
    const body = (props ? this.definitions[props] : custom?.schema) as ObjectSchema | undefined;
    if (!body) return undefined;
    return {
      ...body,
      type: 'object',
      required: ['apiVersion', 'kind', 'metadata', ...(body.required ?? [])],
      properties: {
        ...body.properties,
        apiVersion: { const: apiVersion },
        kind: { const: kind },
        metadata: { $ref: `${KUBERNETES_SCHEMA_ID}#/definitions/ObjectMeta` },
      },
      additionalProperties: false,
    };
  }

  /** Every violation in one object; an object whose kind has no schema is itself a violation. */
  validate(object: Readonly<Record<string, unknown>>): SchemaViolation[] {
    const apiVersion = String(object.apiVersion);
    const kind = String(object.kind);
    const key = `${apiVersion}/${kind}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const schema = this.rootSchema(apiVersion, kind);
      if (!schema) return [{ path: '/', message: `no schema for ${key}: add its CRD to packages/schemas/crds/` }];
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    if (validate(object)) return [];
    return (validate.errors ?? []).map((error) => ({
      path: error.instancePath || '/',
      message:
        error.keyword === 'additionalProperties'
          ? `unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`
          : (error.message ?? 'invalid'),
    }));
  }
}

let shared: SchemaValidator | undefined;

/** The process-wide validator, built on first use. */
export function schemaValidator(): SchemaValidator {
  shared ??= new SchemaValidator();
  return shared;
}
