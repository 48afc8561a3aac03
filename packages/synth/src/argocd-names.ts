import type { ReadPaths } from '@gitops/core';
import type { Problem } from './problems';
import type { RenderedEnvironment } from './render';

/** An Argo CD Application an env renders: what the names check needs of it, kept with an env's cached results. */
export interface RenderedApplication {
  readonly component: string;
  readonly file: string;
  readonly namespace: string;
  readonly name: string;
}

/** One env's Applications and the Argo CD that holds them (its own, or its hub's). */
export interface EnvironmentApplications {
  readonly env: string;
  readonly argocd: string;
  readonly applications: readonly RenderedApplication[];
}

/** What `applicationsOf` reads of an object. */
export const APPLICATION_READS: ReadPaths = { '*': ['apiVersion', 'kind', 'metadata.name', 'metadata.namespace'] };

/** The Argo CD Applications among an env's rendered objects, in render order. */
export function applicationsOf({ objects }: Pick<RenderedEnvironment, 'objects'>): RenderedApplication[] {
  return objects
    .filter(({ manifest }) => manifest.apiVersion === 'argoproj.io/v1alpha1' && manifest.kind === 'Application')
    .map(({ component, file, manifest }) => ({ component, file, namespace: String(manifest.metadata?.namespace ?? ''), name: String(manifest.metadata?.name) }));
}

/**
 * Argo CD Application names are unique per Argo CD (they are object names in its namespace): an
 * env's Applications live in the Argo CD that manages it (its own, or its hub's), and a hub also
 * holds a root per spoke. Two envs rendering the same name into one Argo CD would overwrite each
 * other's Application. Checked across every rendered env, before anything is written.
 */
export function applicationNameProblems(rendered: readonly RenderedEnvironment[]): Problem[] {
  return applicationNameProblemsOf(rendered.map((result) => ({ env: result.env.name, argocd: result.env.argocd.managedBy ?? result.env.name, applications: applicationsOf(result) })));
}

/** `applicationNameProblems` from what each env's Applications are (rendered now, or kept with reused results). */
export function applicationNameProblemsOf(envs: readonly EnvironmentApplications[]): Problem[] {
  const problems: Problem[] = [];
  const owners = new Map<string, { env: string; file: string }>();
  for (const { env, argocd, applications } of envs) {
    for (const { component, file, namespace, name } of applications) {
      const key = `${argocd}/${namespace}/${name}`;
      const owner = owners.get(key);
      if (!owner) {
        owners.set(key, { env, file });
        continue;
      }
      problems.push({
        env,
        component,
        file: `clusters/${env}/env.ts`,
        parameter: 'name',
        message:
          `renders Argo CD Application "${name}" (gitops/${env}/${file}), which env ${owner.env} also renders (gitops/${owner.env}/${owner.file}) ` +
          `into the same Argo CD (${argocd}); expected names unique per Argo CD: rename the env or the app`,
      });
    }
  }
  return problems;
}
