import { isAppComponent } from '@gitops/app';
import type { Problem } from '@gitops/core';
import type { RenderedEnvironment } from './render';

// A check that fires on rendered output (gitops/<env>/...) reports what it sees there, but the
// person must edit a spec: an app's definition, or the env's overrides for it, or the env's
// logging settings. These are the fields the rendered parts come from, tried in order against
// the rendered field path and the message.
const APP_FIELDS: readonly { readonly field: string; readonly override?: string; readonly pattern: RegExp }[] = [
  { field: 'resources', override: 'resources', pattern: /resources|requests|limits|vCPU|\bcpu\b|memory|Fargate pod/i },
  { field: 'env', override: 'env', pattern: /\.env\b|\benv\[|environment variable/i },
  { field: 'replicas', override: 'replicas', pattern: /replicas/i },
  { field: 'probes', pattern: /probe/i },
  { field: 'image', override: 'imageTag', pattern: /\bimage\b/i },
  { field: 'ports', pattern: /port/i },
  { field: 'command', pattern: /\bcommand\b/ },
  { field: 'args', pattern: /\bargs\b/ },
  { field: 'writablePaths', pattern: /volume|mount/i },
];

/**
 * The problem as it names the source a person must change, with where it was seen in the
 * rendered output kept in the message. Problems already about a source file pass unchanged, and
 * so do those of components no spec field renders (the platform, Argo CD).
 */
export function toSourceProblem(problem: Problem, rendered: Pick<RenderedEnvironment, 'env' | 'components'>): Problem {
  if (!problem.file?.startsWith('gitops/')) return problem;
  const env = rendered.env.name;
  const seenAt = `${problem.file}${problem.parameter ? ` ${problem.parameter}` : ''}`;
  const component = rendered.components.find((candidate) => candidate.name === problem.component);
  if (/no Fargate profile/.test(problem.message)) {
    // The pod is where it should be; the env's profiles (its own, or shared.ts's) must select it.
    return { ...problem, file: `clusters/${env}/env.ts`, parameter: 'fargateProfiles', message: `${problem.message} (rendered as ${seenAt})` };
  }
  if (component && isAppComponent(component)) {
    const { app, overrides } = component;
    const text = `${problem.parameter ?? ''} ${problem.message}`;
    const match = APP_FIELDS.find(({ pattern }) => pattern.test(text));
    if (match?.override && (overrides as Record<string, unknown>)[match.override] !== undefined) {
      return { ...problem, file: `clusters/${env}/env.ts`, parameter: `apps.${app.name}.${match.override}`, message: `${problem.message} (rendered as ${seenAt})` };
    }
    return {
      ...problem,
      file: `apps/${app.name}/src/index.ts`,
      parameter: match?.field,
      message: `${problem.message} (rendered as ${seenAt})`,
    };
  }
  if (problem.component === 'aws-observability' && /logging|aws-logging/i.test(`${problem.file} ${problem.message}`)) {
    return { ...problem, file: `clusters/${env}/env.ts`, parameter: 'logging', message: `${problem.message} (rendered as ${seenAt})` };
  }
  return problem;
}
