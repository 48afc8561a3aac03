import type { FluentBitParameters } from '@gitops/core';

/** The section kinds Fargate accepts in the aws-logging ConfigMap. */
export type FluentBitSectionType = 'FILTER' | 'OUTPUT' | 'PARSER';

/** One section of a Fluent Bit classic-mode configuration file. */
export interface FluentBitSection {
  readonly type: FluentBitSectionType;
  readonly parameters: FluentBitParameters;
}

/** Key indentation: Fluent Bit needs keys indented under their header, the same way throughout. */
const INDENT = '    ';

/**
 * Sections as Fluent Bit's classic configuration text: a `[TYPE]` header, then one indented
 * `Key value` line per parameter (a list repeats its key), values aligned for reading.
 */
export function renderFluentBit(sections: readonly FluentBitSection[]): string {
  return sections
    .map(({ type, parameters }) => {
      const entries = Object.entries(parameters).flatMap(([key, value]) =>
        (typeof value === 'string' ? [value] : value).map((item) => [key, item] as const),
      );
      const width = Math.max(0, ...entries.map(([key]) => key.length)) + 1;
      return [`[${type}]`, ...entries.map(([key, value]) => `${INDENT}${key.padEnd(width)}${value}`)].join('\n');
    })
    .map((section) => `${section}\n`)
    .join('\n');
}
