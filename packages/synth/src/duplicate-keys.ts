import { listLines, type Problem } from './problems';

/**
 * A key written more than once in one object literal of an env or app source (`clusters/`,
 * `apps/`), as esbuild reports it while bin/synth.mjs bundles them. The module itself keeps the
 * last value silently: an env listing one app twice under `apps` runs it with the last overrides.
 */
export interface SourceDuplicateKey {
  /** Repository-relative file, e.g. `clusters/dev/env.ts`. */
  readonly file: string;
  readonly key: string;
  /** The line of each occurrence, 1-based, ascending. */
  readonly lines: readonly number[];
}

/** One problem line per repeated key, naming the env or app whose file it is and every line. */
export function duplicateKeyProblems(found: readonly SourceDuplicateKey[]): Problem[] {
  return found.map(({ file, key, lines }) => {
    const env = /^clusters\/([^/]+)\/env\.ts$/.exec(file)?.[1];
    const app = /^apps\/([^/]+)\//.exec(file)?.[1];
    return {
      ...(env !== undefined ? { env } : {}),
      ...(app !== undefined ? { component: `app-${app}` } : {}),
      file,
      message: `key "${key}" is written ${lines.length} times in one object literal, on lines ${listLines(lines)}; the last silently replaces the others, so keep one`,
    };
  });
}
