import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

/** A throwaway Git repository whose history a test writes: files, then commits. */
export interface FixtureRepo {
  readonly root: string;
  write(path: string, content: string): void;
  /** Writes a Kubernetes object as YAML. */
  object(path: string, manifest: Record<string, unknown>): void;
  remove(path: string): void;
  git(...args: string[]): string;
  commit(message: string): string;
  dispose(): void;
}

export function fixtureRepo(): FixtureRepo {
  const root = mkdtempSync(join(tmpdir(), 'gitops-report-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
    }).trim();
  git('init', '--quiet', '--initial-branch=main');
  const repo: FixtureRepo = {
    root,
    write(path, content) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    },
    object(path, manifest) {
      repo.write(path, stringify(manifest, { lineWidth: 0 }));
    },
    remove: (path) => rmSync(join(root, path), { recursive: true, force: true }),
    git,
    commit(message) {
      git('add', '--all');
      git('commit', '--quiet', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
  return repo;
}

/** An Argo CD Application reading `gitops/<env>/<folder>`, as packages/argocd renders one. */
export function application(env: string, folder: string, { prune = true, finalizer = true } = {}): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `${env}-${folder}`, namespace: 'argocd', ...(finalizer ? { finalizers: ['resources-finalizer.argocd.argoproj.io'] } : {}) },
    spec: {
      destination: { name: 'in-cluster', namespace: folder },
      project: env,
      source: { path: `gitops/${env}/${folder}`, repoURL: 'https://github.com/example-org/fargate-gitops.git', targetRevision: 'main' },
      syncPolicy: { automated: { prune, selfHeal: true } },
    },
  };
}

export function deployment(name: string, { replicas = 2, image = `public.ecr.aws/example-org/${name}:1.0.0`, cpu = '250m', memory = '256Mi' } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image, args: ['--aws-region=ap-northeast-1'], resources: { requests: { cpu, memory }, limits: { cpu, memory } } }] },
      },
    },
  };
}

export function snapshot(env: string, parameters: Record<string, string>, placeholders: readonly string[] = []): string {
  const entries = Object.fromEntries(
    Object.entries(parameters).map(([name, value]) => [`/fargate-gitops/${env}/${name}`, { type: 'String', value, ...(placeholders.includes(name) ? { placeholder: true } : {}) }]),
  );
  return `${JSON.stringify({ source: { account: '111111111111', region: 'ap-northeast-1', path: `/fargate-gitops/${env}`, readAt: '2026-11-20T09:00:00.000Z' }, parameters: entries }, null, 2)}\n`;
}
