/**
 * A one-version, namespaced `example.com` CRD whose `spec` has the given properties (YAML lines
 * indented for `spec.properties`) and, optionally, a line such as `required: [size]` beside them.
 */
export function exampleCrd(kind: string, plural: string, specProperties: string, required = ''): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.example.com
spec:
  group: example.com
  names: { kind: ${kind}, plural: ${plural} }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              ${required}
              properties:
${specProperties}
`;
}
