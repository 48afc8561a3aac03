/**
 * Names and places every Argo CD object of this repository follows. One Argo CD serves a
 * self-managed env, or a hub and its spokes, so every Application name carries its env.
 */

/** The namespace Argo CD runs in and reads Applications, AppProjects and cluster Secrets from. */
export const ARGOCD_NAMESPACE = 'argocd';

/**
 * The component (folder `gitops/<env>/argocd/`) that holds an env's Argo CD objects.
 */
export const ARGOCD_COMPONENT = 'argocd';

/**
 * The component (folder `gitops/<env>/argocd-install/`) that installs Argo CD itself: a
 * Kustomize overlay over upstream's cluster-install, read by its own Application.
 */
export const ARGOCD_INSTALL_COMPONENT = 'argocd-install';

/**
 * The name Argo CD gives the cluster it runs in (server https://kubernetes.default.svc), which it
 * reaches with its own service account: no cluster Secret, no AWS role (declarative-setup.md).
 */
export const IN_CLUSTER = 'in-cluster';

/**
 * The project of the root Applications and of everything in `gitops/<env>/argocd/`: the only
 * project allowed to deploy into the argocd namespace, and only Argo CD's own kinds.
 */
export const BOOTSTRAP_PROJECT = 'bootstrap';

/**
 * Deleting an Application that carries this finalizer deletes its objects first; without it they
 * are left running unmanaged (declarative-setup.md).
 */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** `dev` + `app-web` → `dev-app-web`: unique among every env one Argo CD serves. */
export function applicationName(env: string, folder: string): string {
  return `${env}-${folder}`;
}

/** The app-of-apps of an env: it syncs `gitops/<env>/argocd/`. */
export function rootApplicationName(env: string): string {
  return `${env}-root`;
}

/** A component folder as Argo CD's `source.path` (relative to the repository root). */
export function repositoryPath(env: string, folder: string): string {
  return `gitops/${env}/${folder}`;
}
