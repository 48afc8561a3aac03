import { _, Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { CRD_DIR, customKinds, type CustomKind } from './crds';
import { KUBERNETES_SCHEMA_ID, kubernetesDefinitions, kubernetesKinds, type JsonSchema } from './kubernetes';
import { ValidatorCache } from './validator-cache';

/** One schema violation: where in the object (a JSON pointer) and what is wrong. */
export interface SchemaViolation {
  readonly path: string;
  readonly message: string;
}

interface ObjectSchema {
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

// `code.source` keeps the generated code, for the on-disk cache; `code.formats` is how that
// standalone code reaches the format checks (ajv-formats' "full" set, which includes the OpenAPI
// formats the CRDs use: int32, int64, byte, ...). Without ajv-formats ajv ignores every format,
// and says so on stderr once per schema.
const AJV_OPTIONS: Options = { allErrors: true, strict: false, code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } };

interface Schemas {
  readonly ajv: Ajv;
  readonly definitions: Record<string, JsonSchema>;
  readonly builtIn: Map<string, string>;
  readonly custom: Map<string, CustomKind>;
}

/**
 * Validates rendered objects against the Kubernetes 1.29 API and the project's CRDs, strictly.
 * Each kind's validator is compiled on first use, once per process, and reused for every object;
 * its code is also cached on disk (validator-cache.ts), so a later process loads it instead, and
 * builds the schemas only for a kind it has not seen.
 */
export class SchemaValidator {
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly cache: ValidatorCache;
  private built: Schemas | undefined;

  constructor(private readonly crdDir: string = CRD_DIR) {
    this.cache = new ValidatorCache(crdDir, AJV_OPTIONS);
  }

  private get schemas(): Schemas {
    if (!this.built) {
      const ajv = new Ajv(AJV_OPTIONS);
      addFormats(ajv, { mode: 'full' });
      const definitions = kubernetesDefinitions();
      ajv.addSchema({ $id: KUBERNETES_SCHEMA_ID, definitions });
      const custom = new Map<string, CustomKind>();
      for (const kind of customKinds(this.crdDir)) custom.set(`${kind.apiVersion}/${kind.kind}`, kind);
      this.built = { ajv, definitions, builtIn: kubernetesKinds(), custom };
    }
    return this.built;
  }

  /** Whether objects of this apiVersion/kind have a schema. */
  knows(apiVersion: string, kind: string): boolean {
    const key = `${apiVersion}/${kind}`;
    return this.schemas.builtIn.has(key) || this.schemas.custom.has(key);
  }

  /** The closed schema of a whole object: its struct's fields plus exactly its apiVersion and kind. */
  private rootSchema(apiVersion: string, kind: string): JsonSchema | undefined {
    const key = `${apiVersion}/${kind}`;
    const props = this.schemas.builtIn.get(key);
    const custom = this.schemas.custom.get(key);
    const body = (props ? this.schemas.definitions[props] : custom?.schema) as ObjectSchema | undefined;
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
    const loaded = validate ? undefined : this.cache.load(key);
    validate ??= loaded?.validate;
    if (!validate) {
      const schema = this.rootSchema(apiVersion, kind);
      if (!schema) return [{ path: '/', message: `no schema for ${key}: add its CRD to packages/schemas/crds/` }];
      validate = this.schemas.ajv.compile(schema);
      this.cache.save(key, standaloneCode(this.schemas.ajv, validate));
    }
    this.compiled.set(key, validate);
    const valid = validate(object);
    loaded?.checkedOne();
    if (valid) return [];
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
