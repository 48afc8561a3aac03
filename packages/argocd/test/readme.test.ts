import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './support/hub-fixture';

// The README's bootstrap steps and sync-wave table against the committed gitops/ tree: a command
// naming a file synth no longer writes, or a wave the table gets wrong, fails here.

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const section = (heading: string) => {
  const start = readme.indexOf(heading);
  expect(start, heading).toBeGreaterThan(-1);
  const end = readme.indexOf('\n#', start + heading.length);
  return readme.slice(start, end === -1 ? undefined : end);
};
const committed = (file: string) => parse(readFileSync(join(repoRoot, file), 'utf8'));
const waveOf = (file: string) => Number(committed(file).metadata.annotations['argocd.argoproj.io/sync-wave']);

describe('README against the committed tree (env dev)', () => {
  it('bootstraps with kubectl apply -k of the overlay, then the root, naming files synth writes', () => {
    const steps = section('### Bootstrapping an env from nothing');
    const install = /`(kubectl apply -k gitops\/<env>\/argocd-install[^`]*)`/.exec(steps)?.[1];
    const root = /`(kubectl apply --server-side -f gitops\/<env>\/argocd\/[^`]*)`/.exec(steps)?.[1];

    expect(install).toContain('--server-side');
    expect(install).toContain('--field-manager=argocd-controller');
    expect(steps.indexOf(install!)).toBeLessThan(steps.indexOf(root!));
    expect(existsSync(join(repoRoot, 'gitops/dev/argocd-install/kustomization.yaml'))).toBe(true);
    for (const file of [...root!.matchAll(/-f (\S+)/g)].map((match) => match[1]!.replace(/<env>/g, 'dev'))) {
      expect(existsSync(join(repoRoot, file)), file).toBe(true);
    }
  });

  it('lists in its sync-wave table the waves the committed Applications and projects carry', () => {
    const rows = new Map(
      [...section('### Sync-wave order').matchAll(/^\| (-?\d+) \| (.+?) \|/gm)].map((match) => [match[2]!.split(' ')[0]!.replace(/`/g, ''), Number(match[1])]),
    );
    const expected: [string, string][] = [
      ['AppProjects', 'gitops/dev/argocd/appproject-dev.yaml'],
      ['<env>-argocd-install', 'gitops/dev/argocd/application-dev-argocd-install.yaml'],
      ['<env>-aws-observability', 'gitops/dev/argocd/application-dev-aws-observability.yaml'],
      ['<env>-aws-load-balancer-controller-crds', 'gitops/dev/argocd/application-dev-aws-load-balancer-controller-crds.yaml'],
      ['<env>-cert-manager', 'gitops/dev/argocd/application-dev-cert-manager.yaml'],
      ['<env>-aws-load-balancer-controller', 'gitops/dev/argocd/application-dev-aws-load-balancer-controller.yaml'],
      ['<env>-app-*', 'gitops/dev/argocd/application-dev-app-web.yaml'],
      ['<env>-root', 'gitops/dev/argocd/application-dev-root.yaml'],
    ];
    for (const [name, file] of expected) expect([name, rows.get(name)]).toEqual([name, waveOf(file)]);
    expect(waveOf('gitops/dev/argocd/appproject-bootstrap.yaml')).toBe(rows.get('AppProjects'));
  });

  it('gives the certificate chain the waves the committed controller folder carries', () => {
    const row = section('### Sync-wave order').split('\n').find((line) => line.startsWith('| -10 |'))!;
    const folder = 'gitops/dev/aws-load-balancer-controller';
    expect(row).toContain(`self-signed Issuer and root Certificate at ${waveOf(`${folder}/issuer-aws-load-balancer-selfsigned-issuer.yaml`)}`);
    expect(waveOf(`${folder}/certificate-aws-load-balancer-root-cert.yaml`)).toBe(waveOf(`${folder}/issuer-aws-load-balancer-selfsigned-issuer.yaml`));
    expect(row).toContain(`CA Issuer at ${waveOf(`${folder}/issuer-aws-load-balancer-root-issuer.yaml`)}`);
    expect(row).toContain(`serving Certificate at ${waveOf(`${folder}/certificate-aws-load-balancer-serving-cert.yaml`)}`);
  });
});
