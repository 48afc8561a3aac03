import { appProblems, ingressReferenceProblems } from '@gitops/app';
import { convergenceProblems, deliveryProblems, renderedSecretProblems, secretSafetyProblems, unownedFolderProblems } from '@gitops/argocd';
import { fargateSizingWarnings, fargateSummary, lintFargate } from '@gitops/fargate';
import { controllerAddonsCheck, fargateLoggingCheck, pinnedUpstreamCheck } from '@gitops/platform';
import { schemaValidator } from '@gitops/schemas';
import type { Problem } from './problems';
import type { RenderedEnvironment } from './render';

/** A check of one rendered env, run before anything is written; every problem it finds is reported. */
export type Check = (rendered: RenderedEnvironment) => Problem[] | Promise<Problem[]>;

/** A producer of extra summary lines for one rendered env. */
export type Report = (rendered: RenderedEnvironment) => string[];

/** Every object against the Kubernetes 1.29 schema or its CRD's, unknown fields included. */
export const schemaCheck: Check = ({ env, objects }) =>
  objects.flatMap(({ component, file, manifest }) =>
    schemaValidator()
      .validate(manifest)
      .map((violation): Problem => ({
        env: env.name,
        component,
        file: `gitops/${env.name}/${file}`,
        parameter: violation.path,
        message: violation.message,
      })),
  );

/** Nothing asks the load balancer controller for WAF, WAFv2 or Shield while that add-on is off (packages/platform). */
export const controllerAddonsRulesCheck: Check = (rendered) => controllerAddonsCheck(rendered);

/** Each app's definition and the env's overrides for it (packages/app). */
export const appCheck: Check = ({ env, components }) => appProblems(env, components);

/** Each rendered Ingress's class, its params' namespaces, ExternalDNS's classes and its backends (packages/app). */
export const ingressReferenceCheck: Check = ({ env, objects }) => ingressReferenceProblems(env, objects);

/** What Fargate would refuse or leave Pending, and broken binding/service-account references (packages/fargate). */
export const fargateCheck: Check = (rendered) => lintFargate(rendered);

/** Pods at their Fargate sizes and an hourly cost estimate. */
export const fargateReport: Report = (rendered) => fargateSummary(rendered);

/** Pods Fargate's 256 MB overhead pushes into a larger size, with the request that fits the smaller one (warnings, not failures). */
export const fargateSizingReport: Report = (rendered) => fargateSizingWarnings(rendered);

/** Fargate's rules for the aws-logging ConfigMap (packages/platform). */
export const fargateLoggingRulesCheck: Check = (rendered) => fargateLoggingCheck(rendered);

/** Every upstream source Argo CD installs is pinned to one release (packages/platform). */
export const pinnedUpstreamVersionCheck: Check = (rendered) => pinnedUpstreamCheck(rendered);

/** Every folder is read by exactly an Argo CD Application, and what they deliver stays out of Argo CD's reach (packages/argocd). */
export const argoCdDeliveryCheck: Check = (rendered) => [...unownedFolderProblems(rendered), ...deliveryProblems(rendered)];

/**
 * The tree converges from an empty cluster: nothing needs (CRD, namespace, admitting webhook,
 * Secret, ConfigMap, service account, CA Secret, AppProject) what a later wave or a later
 * Application delivers (packages/argocd).
 */
export const convergenceCheck: Check = (rendered) => convergenceProblems(rendered);

/** No Secret but a hub's cluster Secret, and nothing credential-like, in any rendered file (packages/argocd). */
export const secretSafetyCheck: Check = (rendered) => secretSafetyProblems(rendered);

/** Every rendered string, by a credential's name and by secretlint's value rules (packages/argocd). */
export const renderedSecretCheck: Check = (rendered) => renderedSecretProblems(rendered);

/** Every check synth runs on every env. */
export const checks: readonly Check[] = [
  schemaCheck,
  fargateLoggingRulesCheck,
  controllerAddonsRulesCheck,
  pinnedUpstreamVersionCheck,
  appCheck,
  ingressReferenceCheck,
  fargateCheck,
  argoCdDeliveryCheck,
  convergenceCheck,
  secretSafetyCheck,
  renderedSecretCheck,
];

/** Every report synth prints under an env's summary line. */
export const reports: readonly Report[] = [fargateReport, fargateSizingReport];
