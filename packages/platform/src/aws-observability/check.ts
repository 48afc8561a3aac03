import { kubernetesMinor, type EnvironmentSpec, type ReadPaths } from '@gitops/core';
import { AWS_LOGGING_CONFIGMAP, AWS_OBSERVABILITY_NAMESPACE } from './fargate-logging';
import { validateFargateLogging } from './validate';
import type { ProblemLike, RenderedObjectLike } from '../rendered';

/** What `fargateLoggingCheck` reads of each object; of another kind nothing, which the filter for the ConfigMap never matches. */
export const FARGATE_LOGGING_READS: ReadPaths = {
  ConfigMap: ['apiVersion', 'kind', 'metadata.namespace', 'metadata.name', 'data'],
};

/**
 * Synth check: the aws-logging ConfigMap Fargate reads (in aws-observability) breaks none of
 * Fargate's rules. One problem per violation, naming the env, the file, the data key and line,
 * and the rule. Runs on the rendered output, so env overrides are checked as they will ship.
 */
export function fargateLoggingCheck(rendered: {
  readonly env: EnvironmentSpec;
  readonly objects: readonly RenderedObjectLike[];
}): ProblemLike[] {
  const { env } = rendered;
  return rendered.objects
    .filter(
      ({ manifest }) =>
        manifest.apiVersion === 'v1' &&
        manifest.kind === 'ConfigMap' &&
        manifest.metadata?.namespace === AWS_OBSERVABILITY_NAMESPACE &&
        manifest.metadata?.name === AWS_LOGGING_CONFIGMAP,
    )
    .flatMap(({ component, file, manifest }) =>
      validateFargateLogging(manifest.data ?? {}, { kubernetesMinor: kubernetesMinor(env) }).map(
        (violation): ProblemLike => ({
          env: env.name,
          component,
          file: `gitops/${env.name}/${file}`,
          ...(violation.key ? { parameter: `data.${violation.key}${violation.line ? `:${violation.line}` : ''}` } : {}),
          message: `Fargate logging ${violation.message}`,
        }),
      ),
    );
}
