import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { checkSpec, objectSchemas } from '../src/index';

/** `logging` → `loggng`: the field with its second-to-last letter dropped, a typo a person makes. */
export const nearMiss = (field: string) => (field.length > 3 ? `${field.slice(0, -2)}${field.slice(-1)}` : `${field}s`);

/**
 * The generated strictness test of one spec schema: every object in it, at every depth, refuses
 * a near miss of each of its optional fields as an unknown field, naming the field it meant. A
 * new object or optional field added without strictness fails here.
 */
export function strictnessSuite(name: string, schema: z.ZodType): void {
  describe(`the ${name} schema is strict at every depth`, () => {
    const objects = objectSchemas(schema);

    it('reaches objects with optional fields', () => {
      expect(objects.filter((object) => object.optional.length > 0).length).toBeGreaterThan(1);
    });

    for (const object of objects) {
      for (const field of object.optional) {
        it(`${object.path}: refuses "${nearMiss(field)}" beside the optional ${field}, suggesting it`, () => {
          const issues = checkSpec(object.schema, { [nearMiss(field)]: 'x' }).filter((issue) => issue.path === nearMiss(field));
          expect(issues).toHaveLength(1);
          expect(issues[0]!.message).toMatch(new RegExp(`^unknown field; did you mean "${field}"\\?`));
        });
      }
    }
  });
}
