import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { groupOf, isClusterScoped } from '../../src/index';

// A model of how Argo CD reads a Git folder with a `directory` source, and of what its projects
// permit, written from Argo CD's documentation and code (reposerver/repository/repository.go,
// util/app/discovery, user-guide/directory.md, pkg/apis/application/v1alpha1 AppProject), so the
// tests can read the rendered gitops/ tree the way Argo CD will.

type Manifest = Record<string, any>;

/** An object Argo CD would apply, and the repository file it comes from. */
export interface SourcedObject {
  readonly file: string;
  readonly manifest: Manifest;
}

/** What a directory source yields: the files it reads and the objects in them. */
export interface DirectoryRead {
  readonly files: readonly string[];
  readonly objects: readonly SourcedObject[];
}

// reposerver: manifestFile = `^.*\.(yaml|yml|json|jsonnet)$`.
const MANIFEST_FILE = /^.*\.(yaml|yml|json|jsonnet)$/;
const SKIP_MARKER = '# +argocd:skip-file-rendering';

function expandList(manifest: Manifest): Manifest[] {
  if (manifest.kind === 'List' && Array.isArray(manifest.items)) return manifest.items.flatMap(expandList);
  return [manifest];
}

/** Parses one file as the repo server does; throws where Argo CD fails the whole Application. */
export function parseManifestFile(name: string, text: string): Manifest[] {
  if (text.includes(SKIP_MARKER)) return [];
  if (name.endsWith('.jsonnet')) throw new Error(`${name}: jsonnet is evaluated by Argo CD; this reader does not model it`);
  const looksLikeManifest = text.includes('apiVersion:') && text.includes('kind:') && text.includes('metadata:');
  if (name.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      if (text.includes('"apiVersion"') || looksLikeManifest) throw new Error(`${name}: ${(error as Error).message}`);
      return [];
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${name}: a .json file holds exactly one object`);
    return expandList(parsed as Manifest);
  }
  const documents = parseAllDocuments(text);
  const broken = documents.find((document) => document.errors.length > 0);
  if (broken) {
    // An unparseable file is skipped unless it looks like a manifest; then the app fails.
    if (looksLikeManifest) throw new Error(`${name}: ${broken.errors[0]!.message}`);
    return [];
  }
  const objects: Manifest[] = [];
  for (const document of documents) {
    const value = document.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      if (looksLikeManifest) throw new Error(`${name}: a document that is not an object`);
      return [];
    }
    objects.push(...expandList(value as Manifest));
  }
  return objects;
}

/**
 * Reads `path` (relative to the repository root) as a `directory` source: manifest files by
 * extension, subfolders only with `recurse`, in file name order.
 */
export function readDirectory(repoRoot: string, path: string, directory: { recurse?: boolean; include?: string; exclude?: string } = {}): DirectoryRead {
  if (directory.include !== undefined || directory.exclude !== undefined) throw new Error(`${path}: include/exclude globs are not modeled`);
  const files: string[] = [];
  const objects: SourcedObject[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(repoRoot, relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (directory.recurse) walk(file);
        continue;
      }
      if (!MANIFEST_FILE.test(entry.name)) continue;
      const text = readFileSync(join(repoRoot, file), 'utf8');
      if (text.includes(SKIP_MARKER)) continue;
      files.push(file);
      for (const manifest of parseManifestFile(file, text)) objects.push({ file, manifest });
    }
  };
  walk(path);
  return { files, objects };
}

/**
 * Reads `path` as a `kustomize` source, as far as this repository decides it: the
 * kustomization.yaml and the local files it lists as resources, with their objects. Remote bases
 * (a URL) are upstream's and not read; patches change objects, they add none.
 */
export function readKustomization(repoRoot: string, path: string): DirectoryRead {
  const kustomization = `${path}/kustomization.yaml`;
  if (!existsSync(join(repoRoot, kustomization))) throw new Error(`${path}: no kustomization.yaml`);
  const [spec] = parseManifestFile(kustomization, readFileSync(join(repoRoot, kustomization), 'utf8'));
  const files = [kustomization];
  const objects: SourcedObject[] = [];
  for (const resource of (spec?.resources ?? []) as string[]) {
    if (/^[a-z]+:\/\//.test(resource)) continue;
    const file = `${path}/${resource}`;
    files.push(file);
    for (const manifest of parseManifestFile(file, readFileSync(join(repoRoot, file), 'utf8'))) {
      objects.push({ file, manifest: spec?.namespace && manifest.kind !== 'Namespace' ? { ...manifest, metadata: { namespace: spec.namespace, ...manifest.metadata } } : manifest });
    }
  }
  return { files, objects };
}

/** Every file under `dir` (relative to the repository root), recursively. */
export function filesUnder(repoRoot: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(repoRoot, relative), { withFileTypes: true })) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else found.push(path);
    }
  };
  if (existsSync(join(repoRoot, dir))) walk(dir);
  return found.sort();
}

// Argo CD's glob (gobwas/glob): `*` and `?`, and an empty pattern matches only the empty string.
function globMatch(pattern: string | undefined, text: string | undefined): boolean {
  const body = (pattern ?? '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`).test(text ?? '');
}
const isDeny = (pattern: string | undefined) => (pattern ?? '').startsWith('!');

/** AppProject.IsSourcePermitted, for exact and glob repository URLs. */
export function projectAllowsRepo(project: Manifest, repoURL: string): boolean {
  const repos: string[] = project.spec?.sourceRepos ?? [];
  let matched = false;
  for (const repo of repos) {
    if (isDeny(repo)) {
      if (globMatch(repo.slice(1), repoURL)) return false;
    } else if (globMatch(repo, repoURL)) matched = true;
  }
  return matched;
}

/** AppProject.isDestinationMatched for a destination by cluster name. */
export function projectAllowsDestination(project: Manifest, cluster: string, namespace: string | undefined): boolean {
  let any = false;
  let noDeny = true;
  for (const item of project.spec?.destinations ?? []) {
    const nameMatched = cluster !== '' && globMatch(item.name, cluster);
    const namespaceMatched = globMatch(item.namespace, namespace);
    if (nameMatched && namespaceMatched) any = true;
    else if ((!nameMatched && isDeny(item.name)) || (!namespaceMatched && isDeny(item.namespace))) noDeny = false;
  }
  return any && noDeny;
}

const kindListed = (list: readonly Manifest[] | undefined, group: string, kind: string, name?: string) =>
  (list ?? []).some((entry) => globMatch(entry.group, group) && globMatch(entry.kind, kind) && (entry.name === undefined || globMatch(entry.name, name)));

/** AppProject.IsGroupKindNamePermitted: a cluster-scoped whitelist item with a `name` glob allows only matching names. */
export function projectAllowsKind(project: Manifest, group: string, kind: string, namespaced: boolean, name?: string): boolean {
  const spec = project.spec ?? {};
  if (!namespaced) return kindListed(spec.clusterResourceWhitelist, group, kind, name) && !kindListed(spec.clusterResourceBlacklist, group, kind, name);
  const whitelisted = spec.namespaceResourceWhitelist === undefined || kindListed(spec.namespaceResourceWhitelist, group, kind);
  return whitelisted && !kindListed(spec.namespaceResourceBlacklist, group, kind);
}

/** An Application as the Argo CD that holds it sees it, with what it deploys. */
export interface DeployedApplication {
  readonly manifest: Manifest;
  /** The Application whose folder holds this one (the root holds itself). */
  readonly deployedBy: string;
  /** Read from this repository; false for Helm charts and other repositories. */
  readonly local: boolean;
  readonly read?: DirectoryRead;
}

/** One Argo CD: found from a root Application that syncs the folder it lives in. */
export interface ArgoCdInstance {
  readonly rootEnv: string;
  readonly repoURL: string;
  readonly applications: ReadonlyMap<string, DeployedApplication>;
  /** AppProjects, by name, that its Applications deploy into the argocd namespace. */
  readonly projects: ReadonlyMap<string, Manifest>;
  /** Cluster names registered by cluster Secrets its Applications deploy. */
  readonly clusters: ReadonlySet<string>;
  readonly problems: readonly string[];
}

const isKind = (manifest: Manifest, kind: string) => manifest.apiVersion === 'argoproj.io/v1alpha1' && manifest.kind === kind;

/** Every Argo CD the rendered tree sets up: each self-managing root and all it reaches. */
export function readArgoCdInstances(repoRoot: string): ArgoCdInstance[] {
  const instances: ArgoCdInstance[] = [];
  const envs = existsSync(join(repoRoot, 'gitops'))
    ? readdirSync(join(repoRoot, 'gitops'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
    : [];
  for (const env of envs) {
    const path = `gitops/${env}/argocd`;
    if (!existsSync(join(repoRoot, path))) continue;
    const roots = readDirectory(repoRoot, path).objects.filter(({ manifest }) => isKind(manifest, 'Application') && manifest.spec?.source?.path === path);
    for (const { manifest: root } of roots) {
      const repoURL: string = root.spec.source.repoURL;
      const applications = new Map<string, DeployedApplication>();
      const projects = new Map<string, Manifest>();
      const clusters = new Set<string>(['in-cluster']);
      const problems: string[] = [];
      const queue: { manifest: Manifest; deployedBy: string }[] = [{ manifest: root, deployedBy: root.metadata.name }];
      while (queue.length > 0) {
        const { manifest, deployedBy } = queue.shift()!;
        const name: string = manifest.metadata.name;
        if (applications.has(name)) {
          if (applications.get(name)!.manifest !== manifest && !(name === root.metadata.name && deployedBy === name)) {
            problems.push(`Application ${name} is defined twice (by ${applications.get(name)!.deployedBy} and ${deployedBy})`);
          }
          continue;
        }
        const source = manifest.spec?.source ?? {};
        const local = source.repoURL === repoURL && source.chart === undefined && typeof source.path === 'string';
        let read: DirectoryRead | undefined;
        if (local) {
          if (!existsSync(join(repoRoot, source.path)) || !statSync(join(repoRoot, source.path)).isDirectory()) {
            problems.push(`Application ${name} reads ${source.path}, which does not exist`);
          } else if (source.kustomize !== undefined) {
            read = readKustomization(repoRoot, source.path);
          } else if (source.directory === undefined) {
            problems.push(`Application ${name} reads ${source.path} without an explicit directory or kustomize source`);
          } else {
            read = readDirectory(repoRoot, source.path, source.directory);
          }
        }
        applications.set(name, { manifest, deployedBy, local, ...(read ? { read } : {}) });
        for (const { manifest: object } of read?.objects ?? []) {
          if (isKind(object, 'Application')) queue.push({ manifest: object, deployedBy: name });
          if (isKind(object, 'AppProject')) {
            if (projects.has(object.metadata.name)) problems.push(`AppProject ${object.metadata.name} is defined twice`);
            projects.set(object.metadata.name, object);
          }
          if (object.kind === 'Secret' && object.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'cluster') {
            clusters.add(object.stringData?.name);
          }
        }
      }
      instances.push({ rootEnv: env, repoURL, applications, projects, clusters, problems });
    }
  }
  return instances;
}

/**
 * Everything about the tree that Argo CD would trip over, one line each: files no Application
 * reads or that two read, an object (per Argo CD and destination cluster) two Applications
 * deploy, Applications reading missing folders, naming missing projects or unregistered
 * clusters, or deploying a repository, destination or kind their project does not permit.
 */
export function argoCdProblems(repoRoot: string): string[] {
  const instances = readArgoCdInstances(repoRoot);
  const problems = instances.flatMap((instance) => instance.problems.map((problem) => `${instance.rootEnv}: ${problem}`));
  const readers = new Map<string, string[]>();
  for (const instance of instances) {
    const owners = new Map<string, string>();
    for (const [name, deployed] of instance.applications) {
      const app = deployed.manifest;
      for (const file of deployed.read?.files ?? []) readers.set(file, [...(readers.get(file) ?? []), `${instance.rootEnv}/${name}`]);
      const project = instance.projects.get(app.spec?.project);
      const destination = app.spec?.destination ?? {};
      const where = `${instance.rootEnv}: Application ${name}`;
      if (!project) {
        problems.push(`${where}: project ${app.spec?.project} does not exist`);
        continue;
      }
      if (!instance.clusters.has(destination.name)) problems.push(`${where}: cluster ${destination.name} is not registered`);
      if (!projectAllowsRepo(project, app.spec.source.repoURL)) problems.push(`${where}: project ${project.metadata.name} does not allow ${app.spec.source.repoURL}`);
      if (!projectAllowsDestination(project, destination.name, destination.namespace)) {
        problems.push(`${where}: project ${project.metadata.name} does not allow destination ${destination.name}/${destination.namespace ?? ''}`);
      }
      for (const { file, manifest } of deployed.read?.objects ?? []) {
        const group = groupOf(String(manifest.apiVersion));
        const namespaced = !isClusterScoped(String(manifest.apiVersion), String(manifest.kind));
        const namespace = namespaced ? (manifest.metadata?.namespace ?? destination.namespace ?? '') : '';
        if (!projectAllowsKind(project, group, manifest.kind, namespaced, manifest.metadata?.name)) {
          problems.push(`${where}: ${file}: project ${project.metadata.name} does not allow ${group}/${manifest.kind} ${manifest.metadata?.name}`);
        }
        if (namespaced && !projectAllowsDestination(project, destination.name, namespace)) {
          problems.push(`${where}: ${file}: project ${project.metadata.name} does not allow namespace ${namespace}`);
        }
        const key = [destination.name, group, manifest.kind, namespace, manifest.metadata?.name].join('|');
        const owner = owners.get(key);
        if (owner !== undefined && owner !== name) problems.push(`${instance.rootEnv}: ${key} is deployed by both ${owner} and ${name}`);
        owners.set(key, name);
      }
    }
  }
  for (const file of filesUnder(repoRoot, 'gitops')) {
    const by = readers.get(file) ?? [];
    // A file the repo server does not render (an env's README.md) is documentation, applied by nobody.
    if (!MANIFEST_FILE.test(file)) {
      if (by.length > 0) problems.push(`${file} is not a manifest file, yet read by ${by.join(', ')}`);
      continue;
    }
    if (by.length !== 1) problems.push(`${file} is read by ${by.length === 0 ? 'no Application' : by.join(', ')}`);
  }
  return problems;
}
