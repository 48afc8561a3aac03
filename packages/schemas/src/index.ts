export { CRD_DIR, customKinds, type CustomKind } from './crds';
export { KUBERNETES_SCHEMA_ID, kubernetesDefinitions, kubernetesKinds, type JsonSchema } from './kubernetes';
export { schemaValidator, SchemaValidator, type SchemaViolation } from './validate';
