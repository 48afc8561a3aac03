import type { ComponentOutline, EnvironmentSpec } from '@gitops/core';

// A Helm chart version or Git tag naming one release: `2.9.0`, `v1.21.1`. Argo CD also accepts
// semver ranges (`2.9.*`, `>=2.9.0`) and branches for targetRevision, which would let a new
// release roll out without a Git diff.
const RELEASE = /^v?\d+\.\d+\.\d+$/;

/**
 * Synth check: every upstream source Argo CD installs is pinned to one release. One problem per
 * source that is not, naming packages/platform/src/versions.ts, where the versions are pinned.
 */
export function pinnedUpstreamCheck(rendered: { readonly env: EnvironmentSpec; readonly components: readonly ComponentOutline[] }) {
  return rendered.components.flatMap((component) =>
    (component.upstream ?? [])
      .filter((source) => !RELEASE.test(source.targetRevision))
      .map((source) => ({
        env: rendered.env.name,
        component: component.name,
        file: 'packages/platform/src/versions.ts',
        parameter: `upstream ${source.name}: targetRevision`,
        message: `"${source.targetRevision}" is not a pinned release (x.y.z); pin the exact ${source.chart ? 'chart version' : 'tag'}, so an upgrade is a Git diff`,
      })),
  );
}
