import type { Problem } from './problems';
import type { RenderedEnvironment } from './render';

/**
 * Argo CD Application names are unique per Argo CD (they are object names in its namespace): an
 * env's Applications live in the Argo CD that manages it (its own, or its hub's), and a hub also
 * holds a root per spoke. Two envs rendering the same name into one Argo CD would overwrite each
 * other's Application. Checked across every rendered env, before anything is written.
 */
export function applicationNameProblems(rendered: readonly RenderedEnvironment[]): Problem[] {
  const problems: Problem[] = [];
  const owners = new Map<string, { env: string; file: string }>();
  for (const { env, objects } of rendered) {
    const argocd = env.argocd.managedBy ?? env.name;
    for (const { component, file, manifest } of objects) {
      if (manifest.apiVersion !== 'argoproj.io/v1alpha1' || manifest.kind !== 'Application') continue;
      const key = `${argocd}/${manifest.metadata?.namespace ?? ''}/${manifest.metadata?.name}`;
      const owner = owners.get(key);
      if (!owner) {
        owners.set(key, { env: env.name, file });
        continue;
      }
      problems.push({
        env: env.name,
        component,
        file: `clusters/${env.name}/env.ts`,
        parameter: 'name',
        message:
          `renders Argo CD Application "${manifest.metadata?.name}" (gitops/${env.name}/${file}), which env ${owner.env} also renders (gitops/${owner.env}/${owner.file}) ` +
          `into the same Argo CD (${argocd}); expected names unique per Argo CD: rename the env or the app`,
      });
    }
  }
  return problems;
}
