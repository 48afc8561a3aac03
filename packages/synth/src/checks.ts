import type { Problem } from './problems';
import type { RenderedEnvironment } from './render';

/** A check of one rendered env, run before anything is written; every problem it finds is reported. */
export type Check = (rendered: RenderedEnvironment) => Problem[];

/** A producer of extra summary lines for one rendered env. */
export type Report = (rendered: RenderedEnvironment) => string[];

/** Every check synth runs on every env. */
export const checks: readonly Check[] = [];

/** Every report synth prints under an env's summary line. */
export const reports: readonly Report[] = [];
