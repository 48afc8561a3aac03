import { fargateSize, podRequests } from '@gitops/fargate';
import { schemaValidator } from '@gitops/schemas';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  APPLICATION_HEALTH_KEY,
  APPLICATION_HEALTH_LUA,
  ARGO_CD_VERSION,
  ARGO_CD_WORKLOADS,
  argoCdInstallComponent,
  SYNC_TIMEOUT_SECONDS,
} from '../src/index';
import { environment, find, render } from './support/environments';

const dev = environment('dev', '111111111111');
const rendered = render(dev, [argoCdInstallComponent]);
const kustomization = find(rendered, 'Kustomization', 'argocd-install');
const patches = (kustomization.patches as { patch: string; target: Record<string, string> }[]).map(({ patch, target }) => ({ target, object: parse(patch) }));
const patchOf = (kind: string, name: string) => patches.find(({ object }) => object.kind === kind && object.metadata.name === name)?.object;

describe('argocd-install: Argo CD as a Kustomize overlay', () => {
  it('installs upstream cluster-install at the pinned v3.5.1 tag, with its namespace, into argocd', () => {
    expect(ARGO_CD_VERSION).toBe('v3.5.1');
    expect(kustomization.namespace).toBe('argocd');
    expect(kustomization.resources).toEqual([
      'namespace-argocd.yaml',
      'https://github.com/argoproj/argo-cd//manifests/cluster-install?ref=v3.5.1',
    ]);
    const namespace = find(rendered, 'Namespace', 'argocd');
    expect(namespace.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Delete=false' });
  });

  it('writes every patch as plain YAML, without anchors or aliases', () => {
    for (const { patch } of kustomization.patches as { patch: string }[]) expect(patch).not.toMatch(/(^|\s)[&*][A-Za-z0-9]+(\s|$)/m);
  });

  it('aims every patch at the object it changes', () => {
    for (const { target, object } of patches) {
      expect(target.kind).toBe(object.kind);
      expect(target.name).toBe(object.metadata.name);
      expect(`${target.group ? `${target.group}/` : ''}${target.version}`).toBe(object.apiVersion);
    }
  });

  it('carries the Application health check in the install\'s own argocd-cm, so argocd-cm has one owner', () => {
    expect(patchOf('ConfigMap', 'argocd-cm').data).toEqual({ [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA });
    expect(APPLICATION_HEALTH_LUA).toContain('hs.status = "Degraded"');
  });

  it('sets the controller sync timeout in argocd-cmd-params-cm', () => {
    expect(patchOf('ConfigMap', 'argocd-cmd-params-cm').data).toEqual({ 'controller.sync.timeout.seconds': String(SYNC_TIMEOUT_SECONDS) });
    expect(SYNC_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(600);
  });

  it.each(ARGO_CD_WORKLOADS.map((workload) => [workload.name, workload] as const))(
    '%s: requests equal limits in every container, and Fargate runs it at exactly the size the figures name',
    (_, workload) => {
      const spec = patchOf(workload.kind, workload.name).spec.template.spec;
      expect(spec.containers.map((container: { name: string }) => container.name)).toEqual(workload.containers);
      expect((spec.initContainers ?? []).map((container: { name: string }) => container.name)).toEqual(workload.initContainers);
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
        expect(container.resources.requests).toEqual(container.resources.limits);
        expect(container.resources.requests).toEqual({ cpu: workload.cpu, memory: workload.memory });
      }
      const requests = podRequests(spec);
      const size = fargateSize(requests)!;
      // No waste: the CPU fills the size's vCPU and memory plus Fargate's 256 MiB fills its GB.
      expect(size.vcpu * 1000).toBe(requests.milliCpu);
      expect(size.memoryGb * 1024).toBe(requests.memoryBytes / 2 ** 20 + 256);
    },
  );

  it('sizes the application controller above the Fargate minimum, and every other pod at it or the repo server just above', () => {
    const sizes = Object.fromEntries(ARGO_CD_WORKLOADS.map((workload) => [workload.name, fargateSize(podRequests(patchOf(workload.kind, workload.name).spec.template.spec))]));
    expect(sizes['argocd-application-controller']).toEqual({ vcpu: 1, memoryGb: 2 });
    expect(sizes['argocd-repo-server']).toEqual({ vcpu: 0.5, memoryGb: 1 });
    expect(sizes['argocd-server']).toEqual({ vcpu: 0.25, memoryGb: 0.5 });
  });

  it('validates the kustomization and namespace strictly', () => {
    expect(rendered.flatMap(({ manifest }) => schemaValidator().validate(manifest))).toEqual([]);
  });
});
