import { expect } from 'vitest';
import { SynthError } from '../../src/index';

/** Awaits a synth step that must fail with a SynthError, and returns that error. */
export async function failure(promise: Promise<unknown>): Promise<SynthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SynthError);
  return error as SynthError;
}
