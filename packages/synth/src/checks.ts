import { schemaValidator } from '@gitops/schemas';
import type { Problem } from './problems';
import type { RenderedEnvironment } from './render';

/** A check of one rendered env, run before anything is written; every problem it finds is reported. */
export type Check = (rendered: RenderedEnvironment) => Problem[];

/** A producer of extra summary lines for one rendered env. */
export type Report = (rendered: RenderedEnvironment) => string[];

/** Every object against the Kubernetes 1.29 schema or its CRD's, unknown fields included. */
export const schemaCheck: Check = ({ env, objects }) =>
  objects.flatMap(({ component, file, manifest }) =>
    schemaValidator()
      .validate(manifest)
      .map((violation): Problem => ({
        env: env.name,
        component,
        file: `gitops/${env.name}/${file}`,
        parameter: violation.path,
        message: violation.message,
      })),
  );

/** Every check synth runs on every env. */
export const checks: readonly Check[] = [schemaCheck];

/** Every report synth prints under an env's summary line. */
export const reports: readonly Report[] = [];
