// The problem type lives below synth and infra, in packages/core; synth's modules keep importing it from here.
export { formatProblem, SynthError, type Problem } from '@gitops/core';

/** `3`, `3 and 9`, `3, 9 and 12`: the lines of each occurrence of something written more than once. */
export function listLines(lines: readonly number[]): string {
  return lines.length < 2 ? lines.join('') : `${lines.slice(0, -1).join(', ')} and ${lines.at(-1)}`;
}
