import type { ReadPaths } from '@gitops/core';
import { ARGOCD_COMPONENT, ARGOCD_INSTALL_COMPONENT, ARGOCD_NAMESPACE, repositoryPath } from './conventions';
import type { RenderedOutline } from './rendered-output';
import { groupOf, isClusterScoped, NAME_REQUIRED_KINDS, parseClusterResource } from './scope';
import { argoCdSyncWaves, isComponentWave } from './sync-waves';
import type { DeliveryProblem } from './topology';

/** What `unownedFolderProblems` and `deliveryProblems` read of each object. */
export const DELIVERY_READS: ReadPaths = {
  '*': ['apiVersion', 'kind', 'metadata.namespace'],
  Application: ['spec.source.repoURL', 'spec.source.path', 'spec.source.chart'],
};

/** The folder of `gitops/<env>/` an Application reads, when it reads one of this repository. */
function folderOf(rendered: RenderedOutline, source: Record<string, any> | undefined): string | undefined {
  if (!source || source.chart !== undefined || source.repoURL !== rendered.env.argocd.repoURL) return undefined;
  const prefix = repositoryPath(rendered.env.name, '');
  return typeof source.path === 'string' && source.path.startsWith(prefix) ? source.path.slice(prefix.length) : undefined;
}

/**
 * Every folder of `gitops/<env>/` is read by an Application, and every Application reading this
 * env's part of the repository reads a folder that exists. A folder no Application reads is
 * committed but never deployed; the env's `argocd/` folder is read by the root Application (its
 * own, or for a spoke the one in its hub's folder).
 */
export function unownedFolderProblems(rendered: RenderedOutline): DeliveryProblem[] {
  const env = rendered.env.name;
  // Every rendered file holds one object, so the objects' files are the env's folders.
  const folders = new Set(rendered.objects.map(({ file }) => file.split('/')[0]!));
  const owned = new Set<string>();
  const problems: DeliveryProblem[] = [];
  if (rendered.env.argocd.managedBy !== undefined) owned.add(ARGOCD_COMPONENT);
  for (const { component, file, manifest } of rendered.objects) {
    if (manifest.apiVersion !== 'argoproj.io/v1alpha1' || manifest.kind !== 'Application') continue;
    const folder = folderOf(rendered, manifest.spec?.source);
    if (folder === undefined) continue;
    owned.add(folder);
    if (!folders.has(folder)) {
      problems.push({ env, component, file: `gitops/${env}/${file}`, parameter: 'spec.source.path', message: `reads ${repositoryPath(env, folder)}, which synth does not render` });
    }
  }
  for (const folder of [...folders].sort()) {
    if (owned.has(folder)) continue;
    problems.push({
      env,
      component: folder,
      file: `gitops/${env}/${folder}/`,
      message:
        'no Argo CD Application reads this folder, so it would be committed but never deployed; ' +
        `componentsFor must list the component before the ${ARGOCD_COMPONENT} component, which is built from the others`,
    });
  }
  return problems;
}

const ARGO_CD_GROUP = 'argoproj.io';

/**
 * What the env's Applications and project could not deliver safely: a component or upstream
 * sync wave among the waves Argo CD's own objects use; a namespaced object naming no namespace
 * in a component without `delivery.namespace` (its Application has no namespace to put it in);
 * an object in the argocd namespace or of an Argo CD kind outside the argocd folder (the env's
 * project would then reach Argo CD itself, which is as good as admin).
 */
export function deliveryProblems(rendered: RenderedOutline): DeliveryProblem[] {
  const env = rendered.env.name;
  const problems: DeliveryProblem[] = [];
  const waveMessage = (wave: number) =>
    `sync wave ${wave} must be an integer from ${argoCdSyncWaves.argoCdInstall + 1} to ${argoCdSyncWaves.spokeRoots - 1}: ` +
    `Argo CD's own objects use ${argoCdSyncWaves.projects} (projects, cluster Secrets), ${argoCdSyncWaves.argoCdInstall} ` +
    `(Argo CD's install), ${argoCdSyncWaves.spokeRoots} (spoke roots) and ${argoCdSyncWaves.root} (the root)`;
  // Argo CD's own folders, delivered by the bootstrap project, are the ones allowed to reach it.
  const own = (component: string) => component === ARGOCD_COMPONENT || component === ARGOCD_INSTALL_COMPONENT;
  for (const component of rendered.components) {
    if (own(component.name)) continue;
    const wave = component.delivery?.syncWave ?? 0;
    if (!isComponentWave(wave)) problems.push({ env, component: component.name, parameter: 'delivery.syncWave', message: waveMessage(wave) });
    if (component.delivery?.namespace === ARGOCD_NAMESPACE) {
      problems.push({ env, component: component.name, parameter: 'delivery.namespace', message: `is ${ARGOCD_NAMESPACE}, which only the ${ARGOCD_COMPONENT} folder may reach` });
    }
    for (const upstream of component.upstream ?? []) {
      if (!isComponentWave(upstream.syncWave)) {
        problems.push({ env, component: component.name, parameter: `upstream ${upstream.name}: syncWave`, message: waveMessage(upstream.syncWave) });
      }
      for (const [index, text] of upstream.clusterResources.entries()) {
        const { group, kind, name } = parseClusterResource(text);
        if (name === undefined && NAME_REQUIRED_KINDS.includes(`${group}/${kind}`)) {
          problems.push({
            env,
            component: component.name,
            parameter: `upstream ${upstream.name}: clusterResources[${index}]`,
            message: `"${text}" allows every ${kind}; name the objects it installs ("${group}/${kind} <name-glob>"), or the project could bind or admit anything`,
          });
        }
      }
      if (upstream.namespace === ARGOCD_NAMESPACE) {
        problems.push({ env, component: component.name, parameter: `upstream ${upstream.name}: namespace`, message: `installs into ${ARGOCD_NAMESPACE}, which only the ${ARGOCD_COMPONENT} folder may reach` });
      }
    }
  }
  const declared = new Map(rendered.components.map((component) => [component.name, component.delivery?.namespace]));
  for (const { component, file, manifest } of rendered.objects) {
    if (own(component)) continue;
    const where = { env, component, file: `gitops/${env}/${file}` };
    const apiVersion = String(manifest.apiVersion);
    const namespace = manifest.metadata?.namespace;
    if (groupOf(apiVersion) === ARGO_CD_GROUP) {
      problems.push({ ...where, message: `${manifest.kind} is an Argo CD kind; only the ${ARGOCD_COMPONENT} folder may render one` });
    }
    if (namespace === ARGOCD_NAMESPACE) {
      problems.push({ ...where, parameter: 'metadata.namespace', message: `is ${ARGOCD_NAMESPACE}; only the ${ARGOCD_COMPONENT} folder may deploy there` });
    }
    if (!isClusterScoped(apiVersion, String(manifest.kind)) && (typeof namespace !== 'string' || namespace === '') && !declared.get(component)) {
      problems.push({
        ...where,
        parameter: 'metadata.namespace',
        message: 'a namespaced object naming no namespace, in a component without delivery.namespace: set one or the other',
      });
    }
  }
  return problems;
}
