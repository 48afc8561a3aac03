/**
 * One thing wrong with the inputs or the rendered output. Each becomes one line on stderr,
 * naming the environment, the component, the file and the parameter involved.
 */
export interface Problem {
  readonly env?: string;
  readonly component?: string;
  /** Repository-relative file the problem is in or comes from. */
  readonly file?: string;
  /** Full SSM parameter name, or an object/field path inside `file`. */
  readonly parameter?: string;
  readonly message: string;
}

export function formatProblem(problem: Problem): string {
  const where = [
    problem.env && `env ${problem.env}`,
    problem.component && `component ${problem.component}`,
    problem.file,
    problem.parameter,
  ].filter(Boolean);
  return `error: ${where.length > 0 ? `${where.join(': ')}: ` : ''}${problem.message}`;
}

/** Thrown with every problem found in one stage, so they are reported together. */
export class SynthError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SynthError';
  }
}
