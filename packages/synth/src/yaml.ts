import { Document, visit } from 'yaml';
import { writeBlockYaml, type BlockYamlStyle } from './block-yaml';

// Keys a person looks for first; every other key follows in code-point order, at every depth,
// except integer-like keys (a ConfigMap key `80`): JavaScript objects keep those first, in
// numeric order, whatever order they are set in. Still the same bytes on every machine.
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace'];

function compareKeys(a: string, b: string): number {
  const ia = LEADING_KEYS.indexOf(a);
  const ib = LEADING_KEYS.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? LEADING_KEYS.length : ia) - (ib === -1 ? LEADING_KEYS.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort(compareKeys);
    return Object.fromEntries(keys.map((key) => [key, ordered((value as Record<string, unknown>)[key])]));
  }
  return value;
}

// Kubernetes and Argo CD read YAML with go-yaml v2 semantics (sigs.k8s.io/yaml), which follow
// YAML 1.1: unquoted `yes`, `on`, `n`, `1_000`, `1:20` or `2024-01-01` are not strings there,
// and a label value `on` would arrive as a boolean and be rejected. Writing with the 1.1 schema
// quotes every such string. `0o17` is the one 1.2 number form 1.1 leaves plain; quoting it
// too keeps the files the same for 1.2 readers (yq, editors, linters).
const YAML_12_ONLY_NUMBER = /^[-+]?0o[0-7]+$/;

/** toYaml through the yaml library: the reference the direct writer (block-yaml.ts) matches. */
export function toYamlWithLibrary(object: unknown): string {
  const document = new Document(ordered(object), { version: '1.1', aliasDuplicateObjects: false });
  visit(document, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && YAML_12_ONLY_NUMBER.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return document.toString({ lineWidth: 0, minContentWidth: 0 });
}

const scalars = new Map<string | number, string>();
const style: BlockYamlStyle = {
  compareKeys,
  scalar(value) {
    let text = scalars.get(value);
    if (text === undefined) {
      text = toYamlWithLibrary({ key: value }).slice('key: '.length, -1);
      scalars.set(value, text);
    }
    return text;
  },
};

/**
 * One Kubernetes object as a YAML document with a stable key order. The result depends only on
 * the object: no locale-aware sorting, no line folding, no dates, and every string reads back
 * as a string under both YAML 1.1 and 1.2.
 */
export function toYaml(object: unknown): string {
  return writeBlockYaml(object, style) ?? toYamlWithLibrary(object);
}
