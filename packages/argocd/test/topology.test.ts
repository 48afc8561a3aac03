import { describe, expect, it } from 'vitest';
import { argoCdPlacement, checkArgoCdTopology } from '../src/index';
import { environment, workspaceOf } from './support/environments';

const REPO = 'https://github.com/example-org/fargate-gitops.git';
const spokeOf = (hub: string, targetRevision = 'main') => ({ argocd: { repoURL: REPO, targetRevision, managedBy: hub } });

describe('Argo CD placement', () => {
  it('makes an env without managedBy run its own Argo CD, deploying to in-cluster, and the hub of those naming it', () => {
    // GIVEN a hub and two spokes, listed out of order
    const ops = environment('ops', '444444444444');
    const green = environment('green', '666666666666', spokeOf('ops'));
    const blue = environment('blue', '555555555555', spokeOf('ops'));
    const workspace = workspaceOf(green, ops, blue);

    // WHEN / THEN
    const hub = argoCdPlacement(ops, workspace);
    expect(hub.hub).toBeUndefined();
    expect(hub.clusterName).toBe('in-cluster');
    expect(hub.spokes.map((spoke) => spoke.name)).toEqual(['blue', 'green']);
    const spoke = argoCdPlacement(blue, workspace);
    expect(spoke.hub?.name).toBe('ops');
    expect(spoke.clusterName).toBe('fargate-gitops-blue');
    expect(spoke.spokes).toEqual([]);
    expect([ops, blue, green].flatMap((env) => checkArgoCdTopology(env, workspace))).toEqual([]);
  });
});

describe('Argo CD topology problems', () => {
  it('names an unknown hub, with the envs that exist', () => {
    const dev = environment('dev', '111111111111', spokeOf('opz'));
    const ops = environment('ops', '444444444444');

    expect(checkArgoCdTopology(dev, workspaceOf(dev, ops))).toEqual([
      {
        env: 'dev',
        file: 'clusters/dev/env.ts',
        parameter: 'argocd.managedBy',
        message: 'names env "opz", which clusters/ does not define (defined: dev, ops)',
      },
    ]);
  });

  it('refuses an env managing itself, and a hub that is itself a spoke', () => {
    const loop = environment('loop', '111111111111', spokeOf('loop'));
    const middle = environment('middle', '222222222222', spokeOf('top'));
    const top = environment('top', '333333333333');
    const leaf = environment('leaf', '444444444444', spokeOf('middle'));
    const workspace = workspaceOf(loop, middle, top, leaf);

    expect(checkArgoCdTopology(loop, workspace).map((problem) => problem.message)).toEqual([
      'names the env itself; leave managedBy unset for an env that runs its own Argo CD',
    ]);
    expect(checkArgoCdTopology(leaf, workspace).map((problem) => problem.message)).toEqual([
      'names env "middle", which is itself managed by "top"; a hub must run its own Argo CD',
    ]);
  });

  it('refuses two spokes of one hub with one cluster name, and a spoke sharing its hub SSM prefix', () => {
    const ops = environment('ops', '444444444444');
    const a = environment('a', '555555555555', { ...spokeOf('ops'), cluster: { name: 'shared', kubernetesVersion: '1.33' } });
    const b = environment('b', '666666666666', { ...spokeOf('ops'), cluster: { name: 'shared', kubernetesVersion: '1.33' }, ssmPrefix: ops.ssmPrefix });
    const workspace = workspaceOf(ops, a, b);

    expect(checkArgoCdTopology(b, workspace)).toEqual([
      { env: 'b', file: 'clusters/b/env.ts', parameter: 'ssmPrefix', message: 'equals the prefix of its hub ops; the hub reads both, so they must differ' },
      {
        env: 'b',
        file: 'clusters/b/env.ts',
        parameter: 'cluster.name',
        message: '"shared" is also the cluster of env a; the hub ops registers clusters by name',
      },
    ]);
  });

  it('refuses an env running Argo CD with no Fargate profile for the argocd namespace', () => {
    const dev = environment('dev', '111111111111', { fargateProfiles: [{ name: 'apps', selectors: [{ namespace: 'web' }, { namespace: 'argo*', labels: { team: 'x' } }] }] });

    expect(checkArgoCdTopology(dev, workspaceOf(dev)).map((problem) => problem.parameter)).toEqual(['fargateProfiles']);
    const wildcard = environment('dev', '111111111111', { fargateProfiles: [{ name: 'platform', selectors: [{ namespace: 'argo?d' }] }] });
    expect(checkArgoCdTopology(wildcard, workspaceOf(wildcard))).toEqual([]);
  });
});
