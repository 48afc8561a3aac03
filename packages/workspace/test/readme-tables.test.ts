import { readFileSync } from 'node:fs';
import { appDefinitionSchema } from '@gitops/app';
import { appOverridesSchema, environmentSpecSchema } from '@gitops/core';
import { describe, expect, it } from 'vitest';

// The README's field tables are what a person reads before writing a spec: each must list
// exactly the fields its schema accepts, so a field added to a schema needs its row, and a row
// for a field that no longer exists fails.
const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The field names of the first column of the table under `heading`: `` `command`, `args` `` → command, args. */
function tableFields(heading: string): string[] {
  const start = README.indexOf(`\n${heading}\n`);
  expect(start, `README has the heading ${heading}`).toBeGreaterThan(-1);
  const lines = README.slice(start + heading.length + 2).split('\n');
  const table = lines.slice(lines.findIndex((line) => line.startsWith('| field |')) + 2);
  const rows = table.slice(0, table.findIndex((line) => !line.startsWith('|')));
  return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Za-z_$][\w$]*)/g)].map((match) => match[1]!));
}

const tables = [
  { heading: '### The app API in brief (`defineApp`)', schema: appDefinitionSchema },
  { heading: '### Per-env overrides (`apps.<name>` in `clusters/<env>/env.ts`)', schema: appOverridesSchema },
  { heading: '### The env spec in brief (`defineEnvironment`)', schema: environmentSpecSchema },
];

describe('the README field tables match the schemas', () => {
  for (const { heading, schema } of tables) {
    it(heading, () => {
      expect(tableFields(heading).sort()).toEqual(Object.keys(schema.shape).sort());
    });
  }
});
