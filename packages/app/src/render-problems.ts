import type { AppProblem } from './validate';

/**
 * Thrown by an app's render when an input is wrong in a way only the SSM values reveal (an
 * Ingress host outside the hosted zone): synth reports each problem as its own line, with the
 * file and field to change, like the checks' problems.
 */
export class AppRenderProblems extends Error {
  constructor(readonly problems: readonly AppProblem[]) {
    super(problems.map((problem) => `${problem.file}: ${problem.parameter}: ${problem.message}`).join('\n'));
    this.name = 'AppRenderProblems';
  }
}
