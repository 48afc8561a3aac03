import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ReportError } from './git';
import { maskText } from './mask';

/** Code-point order: the same on every machine, whatever its locale. */
export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One Kubernetes object of a rendered tree. */
export interface TreeObject {
  readonly env: string;
  /** Path inside `gitops/<env>/`, e.g. `app-web/deployment-web.yaml` (`#2` appended for a second document). */
  readonly file: string;
  /** The folder under `gitops/<env>/`: what one Argo CD Application reads. */
  readonly folder: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly manifest: Readonly<Record<string, any>>;
  /** The text shown and diffed: the file's YAML, Secret values and credential-like lines masked. */
  readonly text: string;
  /** The unmasked text, compared only to tell whether the object changed. */
  readonly raw: string;
}

/** A whole `gitops/` tree: objects by env, then by file. */
export type RenderedTree = Map<string, Map<string, TreeObject>>;

// Argo CD's directory source applies YAML, YML and JSON files only; anything else (an env's README.md) is never applied.
const APPLIED = /\.(?:ya?ml|json)$/;

/** One file's documents, parsed; `label` names the side in errors. */
function parseFile(path: string, text: string, label: string): { key: string; raw: string; manifest: Record<string, any> }[] {
  const documents = parseAllDocuments(text);
  const objects = (Array.isArray(documents) ? documents : [documents]).filter((document) => document.contents !== null);
  return objects.map((document, index) => {
    if (document.errors.length > 0) throw new ReportError(`report: ${label} ${path} is not valid YAML: ${document.errors[0]!.message.split('\n')[0]}`);
    const manifest = document.toJS() as Record<string, any>;
    if (!manifest || typeof manifest !== 'object' || typeof manifest.kind !== 'string') {
      throw new ReportError(`report: ${label} ${path} holds something that is not a Kubernetes object (no kind)`);
    }
    return { key: objects.length === 1 ? '' : `#${index + 1}`, raw: objects.length === 1 ? text : document.toString(), manifest };
  });
}

/**
 * Parses `gitops/<env>/<folder>/<file>` contents (paths relative to the repository) into a tree;
 * `label` names the side in errors. `known` holds the other side's tree: a file with the same
 * text there is not parsed again (most files of a pull request are unchanged).
 */
export function parseTree(files: ReadonlyMap<string, string>, label: string, known?: RenderedTree): RenderedTree {
  const tree: RenderedTree = new Map();
  for (const [path, text] of [...files].sort(([a], [b]) => byText(a, b))) {
    const parts = path.split('/');
    if (parts[0] !== 'gitops' || parts.length < 4 || !APPLIED.test(path) || parts.some((part) => part.startsWith('.'))) continue;
    const env = parts[1]!;
    const file = parts.slice(2).join('/');
    const objectsOfEnv = tree.get(env) ?? new Map<string, TreeObject>();
    tree.set(env, objectsOfEnv);
    const same = known?.get(env)?.get(file);
    if (same && same.raw === text) {
      objectsOfEnv.set(file, same);
      continue;
    }
    for (const { key, raw, manifest } of parseFile(path, text, label)) {
      let masked: string | undefined;
      objectsOfEnv.set(`${file}${key}`, {
        env,
        file: `${file}${key}`,
        folder: parts[2]!,
        kind: manifest.kind,
        name: String(manifest.metadata?.name ?? ''),
        ...(typeof manifest.metadata?.namespace === 'string' ? { namespace: manifest.metadata.namespace } : {}),
        manifest,
        // Masked only when shown: the credential scan of an unchanged file is work nobody reads.
        get text() {
          return (masked ??= maskText(raw, manifest));
        },
        raw,
      });
    }
  }
  return tree;
}

/** Every file under the working tree's `gitops/`, by repository-relative path. */
export function readWorkingTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const gitops = join(root, 'gitops');
  if (!existsSync(gitops)) return files;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(gitops);
  return files;
}

/** `Deployment: api/api`, the heading argocd-diff-preview uses (`Kind: namespace/name`, or `Kind: name` when cluster-scoped). */
export function objectTitle(object: Pick<TreeObject, 'kind' | 'name' | 'namespace'>): string {
  return `${object.kind}: ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}
