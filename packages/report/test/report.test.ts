import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fargatePrice } from '@gitops/fargate';
import { buildReport, GITHUB_COMMENT_LIMIT, ReportError, toMarkdown, type Report } from '../src/index';
import { main } from '../src/cli';
import { application, deployment, fixtureRepo, snapshot, type FixtureRepo } from './support';

const fresh = () => ({ state: 'fresh' as const });
const ROLE_BEFORE = 'arn:aws:iam::111111111111:role/fargate-gitops-dev-app-api';
const ROLE_AFTER = 'arn:aws:iam::111111111111:role/fargate-gitops-dev-app-api-v2';

function serviceAccount(role: string) {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'api', annotations: { 'eks.amazonaws.com/role-arn': role } } };
}

/** A base commit with two app Applications and a platform one; the working tree changes one thing of every flagged kind. */
function buildFixture(): FixtureRepo {
  const repo = fixtureRepo();
  repo.object('gitops/dev/argocd/application-dev-root.yaml', { ...application('dev', 'argocd'), metadata: { name: 'dev-root', namespace: 'argocd' } });
  repo.object('gitops/dev/argocd/application-dev-app-api.yaml', application('dev', 'app-api'));
  repo.object('gitops/dev/argocd/application-dev-app-old.yaml', application('dev', 'app-old'));
  repo.object('gitops/dev/argocd/application-dev-platform.yaml', application('dev', 'platform'));
  repo.object('gitops/dev/argocd/appproject-dev.yaml', { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'dev', namespace: 'argocd' }, spec: { destinations: [{ namespace: 'api' }, { namespace: 'old' }] } });
  repo.object('gitops/dev/app-api/namespace-api.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'api' } });
  repo.object('gitops/dev/app-api/deployment-api.yaml', deployment('api', { replicas: 3 }));
  repo.object('gitops/dev/app-api/serviceaccount-api.yaml', serviceAccount(ROLE_BEFORE));
  repo.object('gitops/dev/app-api/configmap-api-settings.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-settings', namespace: 'api' }, data: { a: '1' } });
  repo.object('gitops/dev/app-api/poddisruptionbudget-api.yaml', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'api' }, spec: { maxUnavailable: 1 } });
  repo.object('gitops/dev/app-api/horizontalpodautoscaler-api.yaml', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'api' }, spec: { maxReplicas: 4, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } } });
  repo.object('gitops/dev/app-old/namespace-old.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old' } });
  repo.object('gitops/dev/app-old/deployment-old.yaml', deployment('old', { replicas: 1 }));
  repo.object('gitops/dev/platform/customresourcedefinition-widgets.example.com.yaml', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' } });
  repo.object('gitops/dev/platform/clusterrole-reader.yaml', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
  repo.object('gitops/dev/platform/validatingwebhookconfiguration-guard.yaml', { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'guard' }, webhooks: [{ name: 'guard.example.com', failurePolicy: 'Ignore' }] });
  repo.write('clusters/dev/ssm-snapshot.json', snapshot('dev', { 'apps/api/role-arn': ROLE_BEFORE, 'network/vpc-id': 'vpc-0a1b2c3d4e5f60001' }));
  repo.write('gitops/dev/README.md', '# dev\n');
  repo.commit('base');

  repo.object('gitops/dev/app-api/deployment-api.yaml', deployment('api', { replicas: 2, image: 'public.ecr.aws/example-org/api:1.1.0' }));
  repo.object('gitops/dev/app-api/serviceaccount-api.yaml', serviceAccount(ROLE_AFTER));
  repo.remove('gitops/dev/app-api/configmap-api-settings.yaml');
  repo.remove('gitops/dev/app-api/poddisruptionbudget-api.yaml');
  repo.remove('gitops/dev/app-api/horizontalpodautoscaler-api.yaml');
  repo.object('gitops/dev/app-api/service-api.yaml', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'api' }, spec: { ports: [{ port: 80 }] } });
  repo.remove('gitops/dev/argocd/application-dev-app-old.yaml');
  repo.remove('gitops/dev/app-old');
  repo.object('gitops/dev/argocd/appproject-dev.yaml', { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'dev', namespace: 'argocd' }, spec: { destinations: [{ namespace: 'api' }] } });
  repo.remove('gitops/dev/platform/customresourcedefinition-widgets.example.com.yaml');
  repo.object('gitops/dev/platform/clusterrole-reader.yaml', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get'] }] });
  repo.object('gitops/dev/platform/validatingwebhookconfiguration-guard.yaml', { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'guard' }, webhooks: [{ name: 'guard.example.com', failurePolicy: 'Fail' }] });
  repo.write('clusters/dev/ssm-snapshot.json', snapshot('dev', { 'apps/api/role-arn': ROLE_AFTER, 'apps/api/target-group-arn': 'arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/dev-api/0000000000000000', 'network/vpc-id': 'vpc-0a1b2c3d4e5f60001' }, ['apps/api/target-group-arn']));
  repo.write('gitops/dev/README.md', '# dev, described differently: never applied, so never counted\n');
  return repo;
}

describe('pnpm report on a fixture history', () => {
  let repo: FixtureRepo;
  let report: Report;
  let markdown: string;
  beforeAll(() => {
    repo = buildFixture();
    report = buildReport({ root: repo.root, base: 'main', checkSources: fresh });
    markdown = toMarkdown(report, report);
  });
  afterAll(() => repo.dispose());

  it('counts Applications and objects added, changed and removed per env', () => {
    const [dev] = report.envs;
    expect(dev?.env).toBe('dev');
    // Objects: +Service; ~Deployment, ServiceAccount, AppProject, ClusterRole, webhook; −ConfigMap, PDB, HPA, old Application, its 2 objects, CRD.
    expect(dev?.objects).toEqual({ added: 1, changed: 5, removed: 7 });
    // dev-app-old removed; dev-app-api, dev-platform and dev-root (its AppProject) changed.
    expect(dev?.applications).toEqual({ added: 0, changed: 3, removed: 1 });
    expect(markdown).toContain('| dev | +0 ~3 −1 | +1 ~5 −7 |');
  });

  it('sizes the pods as Fargate does and prices them before and after', () => {
    const { before, after } = report.envs[0]!.fargate;
    // 250m / 256Mi + 256 MB overhead fits 0.25 vCPU / 0.5 GB. Before: api × 3 + old × 1; after: api × 2.
    expect(before).toMatchObject({ pods: 4, vcpu: 1, gb: 2, region: 'ap-northeast-1' });
    expect(after).toMatchObject({ pods: 2, vcpu: 0.5, gb: 1 });
    const price = fargatePrice('ap-northeast-1')!;
    expect(after!.hourly).toBeCloseTo(0.5 * price.vcpuHour + 1 * price.gbHour, 10);
    expect(markdown).toContain(`| 4 → 2 | 1 → 0.5 | 2 → 1 | $${before!.hourly!.toFixed(4)} → $${after!.hourly!.toFixed(4)} (−$${(before!.hourly! - after!.hourly!).toFixed(4)}) |`);
  });

  it('flags every kind of change a reviewer must not miss', () => {
    const texts = (kind: string) => report.flags.filter((flag) => flag.kind === kind).map((flag) => flag.text);
    expect(texts('delete')).toEqual([
      'Application `dev-app-old` removed: Argo CD deletes the 2 objects it synced from `gitops/dev/app-old` (resources finalizer)',
      'Argo CD prunes 3 objects of `dev-app-api`: `ConfigMap: api/api-settings`, `HorizontalPodAutoscaler: api/api`, `PodDisruptionBudget: api/api`',
      'Argo CD prunes 1 object of `dev-platform`: `CustomResourceDefinition: widgets.example.com`',
    ]);
    expect(texts('namespace')).toEqual(['Namespace `old` removed: Kubernetes deletes everything in it']);
    expect(texts('crd')).toEqual(['CRD `widgets.example.com` removed: every custom resource of it is deleted']);
    expect(texts('rbac')).toEqual(['Argo CD project changed: `AppProject: argocd/dev`', 'RBAC changed: `ClusterRole: reader`']);
    expect(texts('webhook')).toEqual(['admission webhook changed: `ValidatingWebhookConfiguration: guard`']);
    expect(texts('iam')).toEqual([`IAM role changed in \`ServiceAccount: api/api\`: \`${ROLE_BEFORE}\` → \`${ROLE_AFTER}\``]);
    expect(texts('ssm')).toEqual(['SSM snapshot `clusters/dev/ssm-snapshot.json`: 1 changed, 1 added (see below)']);
    expect(texts('placeholder')[0]).toMatch(/^renders from 1 placeholder parameter \(`apps\/api\/target-group-arn`\)/);
    expect(texts('image')).toEqual(['image of `Deployment: api/api` container `api`: `public.ecr.aws/example-org/api:1.0.0` → `public.ecr.aws/example-org/api:1.1.0`']);
    expect(texts('replicas')).toEqual(['`Deployment: api/api`: replicas 3 → 2']);
    expect(texts('disruption')).toHaveLength(2);
    // Flags come first, deletions at their top.
    expect(markdown.indexOf('### Needs attention')).toBeLessThan(markdown.indexOf('### Summary'));
    expect(markdown.indexOf('🗑️ delete')).toBeLessThan(markdown.indexOf('📦 image'));
  });

  it('lists SSM snapshot changes and shows one collapsed section per Application with a heading and YAML path per object', () => {
    expect(report.parameters.map((p) => `${p.status} ${p.name}`)).toEqual(['changed /fargate-gitops/dev/apps/api/role-arn', 'added /fargate-gitops/dev/apps/api/target-group-arn']);
    expect(markdown).toContain('<details><summary><b>dev-app-api</b> (changed)');
    expect(markdown).toContain('#### Deployment: api/api (changed)');
    expect(markdown).toMatch(/@@ -\d+,\d+ \+\d+,\d+ @@ spec\.replicas\n/);
    expect(markdown).toContain('-          image: public.ecr.aws/example-org/api:1.0.0\n+          image: public.ecr.aws/example-org/api:1.1.0');
    // The env README is documentation Argo CD never applies: not an object, never counted.
    expect(markdown).not.toContain('README');
  });

  it('is deterministic: the same history gives the same bytes', () => {
    const again = buildReport({ root: repo.root, base: 'main', checkSources: fresh });
    expect(toMarkdown(again, again)).toBe(markdown);
    expect(JSON.stringify(again)).toBe(JSON.stringify(report));
  });

  it('says first when the working tree gitops/ is stale against its sources', () => {
    const stale = buildReport({ root: repo.root, base: 'main', checkSources: () => ({ state: 'stale', files: ['gitops/dev/app-api/deployment-api.yaml'] }) });
    const text = toMarkdown(stale, stale);
    expect(text.indexOf('**gitops/ is stale**')).toBeGreaterThan(0);
    expect(text.indexOf('**gitops/ is stale**')).toBeLessThan(text.indexOf('### Needs attention'));
  });
});

describe('secrets are never shown', () => {
  it('masks Secret values and anything the credential check flags, on both sides', () => {
    const repo = fixtureRepo();
    try {
      repo.object('gitops/dev/argocd/application-dev-app-api.yaml', application('dev', 'app-api'));
      repo.object('gitops/dev/app-api/secret-db.yaml', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'api' }, stringData: { password: 'hunter2-before' } });
      repo.object('gitops/dev/app-api/configmap-env.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'env', namespace: 'api' }, data: { LEVEL: 'info', password: 'correct-horse-before' } });
      repo.commit('base');
      repo.object('gitops/dev/app-api/secret-db.yaml', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'api' }, stringData: { password: 'hunter2-after' } });
      const key = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
      const pem = ['-----BEGIN', 'RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabcdef\n-----END RSA PRIVATE KEY-----'].join(' ');
      repo.object('gitops/dev/app-api/configmap-env.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'env', namespace: 'api' }, data: { LEVEL: 'debug', password: 'correct-horse-after', KEY: key, PEM: pem } });
      const report = buildReport({ root: repo.root, base: 'main', checkSources: fresh });
      const outputs = [toMarkdown(report, report), JSON.stringify(report)];
      for (const output of outputs) {
        for (const secret of ['hunter2', 'correct-horse', key, 'MIIEpAIBAAKCAQEA7', 'abcdef']) expect(output).not.toContain(secret);
      }
      const markdown = outputs[0]!;
      expect(markdown).toContain('*** masked: a password or token field ***');
      expect(markdown).toContain('*** masked: an AWS access key ID ***');
      expect(markdown).toContain('+  LEVEL: debug');
      // The Secret changed only in masked values: the report says so instead of showing an empty diff.
      expect(markdown).toContain('_only masked values changed_');
    } finally {
      repo.dispose();
    }
  });
});

describe('the comment size limit', () => {
  it('collapses whole objects, largest first, to one line each past the limit and says what it left out', () => {
    const repo = fixtureRepo();
    try {
      repo.object('gitops/dev/argocd/application-dev-app-big.yaml', application('dev', 'app-big'));
      const config = (n: number, version: string, lines: number) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `c${String(n).padStart(3, '0')}`, namespace: 'big' },
        data: Object.fromEntries(Array.from({ length: lines }, (_, i) => [`key${i}`, `${version}-${'x'.repeat(40)}`])),
      });
      for (let n = 0; n < 60; n++) repo.object(`gitops/dev/app-big/configmap-c${String(n).padStart(3, '0')}.yaml`, config(n, 'v1', n === 7 ? 400 : 30));
      repo.commit('base');
      for (let n = 0; n < 60; n++) repo.object(`gitops/dev/app-big/configmap-c${String(n).padStart(3, '0')}.yaml`, config(n, 'v2', n === 7 ? 400 : 30));
      const report = buildReport({ root: repo.root, base: 'main', checkSources: fresh });
      const full = toMarkdown(report, report, { maxLength: 10_000_000 });
      expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
      const fitted = toMarkdown(report, report);
      expect(fitted.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      const leftOut = /> (\d+) of 60 object diffs are left out/.exec(fitted);
      expect(Number(leftOut?.[1])).toBeGreaterThan(0);
      expect(fitted.match(/diff left out to fit the comment limit/g)).toHaveLength(Number(leftOut![1]));
      // The largest object is the first to go; small ones keep their diffs.
      expect(fitted).toContain('- **ConfigMap: big/c007** (changed, +400 −400 lines): diff left out');
      expect(fitted).toContain('#### ConfigMap: big/c000 (changed)');
      const tight = toMarkdown(report, report, { maxLength: 5000 });
      expect(tight.length).toBeLessThanOrEqual(5000);
    } finally {
      repo.dispose();
    }
  });
});

describe('refusals: one line, exit 1', () => {
  const run = (argv: string[]) => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    try {
      return { code: main(argv), errors };
    } finally {
      spy.mockRestore();
    }
  };

  it('refuses an unknown ref, a dirty index, a base without gitops/ and a base that does not parse', () => {
    const repo = fixtureRepo();
    try {
      repo.write('README.md', 'no gitops yet\n');
      repo.commit('empty');
      repo.object('gitops/dev/argocd/application-dev-x.yaml', application('dev', 'x'));
      repo.commit('with gitops');

      const unknown = run(['--base', 'no-such-branch', '--root', repo.root]);
      expect(unknown.code).toBe(1);
      expect(unknown.errors).toEqual([expect.stringMatching(/^report: unknown git ref "no-such-branch"/)]);

      const bare = run(['--base', 'HEAD~1', '--root', repo.root]);
      expect(bare.code).toBe(1);
      expect(bare.errors).toEqual([expect.stringMatching(/^report: base HEAD~1 \([0-9a-f]{12}\) has no committed gitops\//)]);

      repo.write('gitops/dev/x/configmap-broken.yaml', 'kind: ConfigMap\nmetadata: [unclosed\n');
      const broken = repo.commit('a file that is not YAML');
      repo.remove('gitops/dev/x/configmap-broken.yaml');
      repo.commit('fixed');
      const unreadable = run(['--base', broken, '--root', repo.root]);
      expect(unreadable.code).toBe(1);
      expect(unreadable.errors).toEqual([expect.stringMatching(new RegExp(`^report: base ${broken}: gitops/dev/x/configmap-broken.yaml is not valid YAML: `))]);

      repo.write('gitops/dev/x/configmap-y.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n');
      repo.git('add', 'gitops');
      const dirty = run(['--base', 'HEAD', '--root', repo.root]);
      expect(dirty.code).toBe(1);
      expect(dirty.errors).toEqual([expect.stringMatching(/^report: the index has staged changes/)]);
      expect(() => buildReport({ root: repo.root, base: 'HEAD', checkSources: fresh })).toThrow(ReportError);
    } finally {
      repo.dispose();
    }
  });
});

describe('cost in a region without a sourced Fargate price', () => {
  it('says "cost unknown" rather than borrow another region\'s price', () => {
    const repo = fixtureRepo();
    try {
      const inOsaka = (replicas: number) => {
        const manifest = deployment('api', { replicas }) as any;
        manifest.spec.template.spec.containers[0].args = ['--aws-region=ap-northeast-3'];
        return manifest;
      };
      repo.object('gitops/dev/argocd/application-dev-app-api.yaml', application('dev', 'app-api'));
      repo.object('gitops/dev/app-api/deployment-api.yaml', inOsaka(1));
      repo.commit('base');
      repo.object('gitops/dev/app-api/deployment-api.yaml', inOsaka(2));
      const report = buildReport({ root: repo.root, base: 'main', checkSources: fresh });
      expect(report.envs[0]!.fargate.after).toEqual({ pods: 2, vcpu: 0.5, gb: 1, region: 'ap-northeast-3' });
      expect(toMarkdown(report, report)).toContain('| 1 → 2 | 0.25 → 0.5 | 0.5 → 1 | cost unknown |');
    } finally {
      repo.dispose();
    }
  });
});
