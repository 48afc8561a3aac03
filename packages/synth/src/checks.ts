import { appDefinitionProblems, appSetProblems, INGRESS_REFERENCE_READS, ingressReferenceProblems, isAppComponent } from '@gitops/app';
import { CONVERGENCE_READS, convergenceProblems, DELIVERY_READS, deliveryProblems, renderedSecretProblems, secretSafetyProblems, unownedFolderProblems } from '@gitops/argocd';
import { mergeReadPaths, projector, type Component, type ComponentOutline, type EnvironmentSpec, type Manifest, type ReadPaths } from '@gitops/core';
import { FARGATE_READS, fargateSizingWarnings, fargateSummary, lintFargate } from '@gitops/fargate';
import { CONTROLLER_ADDONS_READS, controllerAddonsCheck, FARGATE_LOGGING_READS, fargateLoggingCheck, pinnedUpstreamCheck } from '@gitops/platform';
import { ENV_README_READS, envReadme, parameterLinks } from '@gitops/report/env-readme';
import { schemaValidator } from '@gitops/schemas';
import { APPLICATION_READS, applicationsOf, type RenderedApplication } from './argocd-names';
import type { Problem } from './problems';
import type { RenderedEnvironment, RenderedObject } from './render';

/** A check of one rendered env, given whole, run before anything is written; every problem it finds is reported. */
export type Check = (rendered: RenderedEnvironment) => Problem[] | Promise<Problem[]>;

/** A producer of extra summary lines for one rendered env, given whole. */
export type Report = (rendered: RenderedEnvironment) => string[];

/**
 * One env as the checks of a whole env see it: each object cut down to what they read
 * (`ENV_READS`), each component to its outline, and the env's parameter values (the README links
 * them). What they give is a function of this alone, so it is reused while this is unchanged.
 */
export interface EnvView {
  readonly env: EnvironmentSpec;
  readonly components: readonly ComponentOutline[];
  readonly objects: readonly RenderedObject[];
  /** Raw SSM values by full parameter name, a StringList joined as SSM stores it. */
  readonly parameters: ReadonlyMap<string, string>;
}

/**
 * One of synth's own checks, by what its problems depend on: one component alone (`local`: run
 * on the components no earlier passing run vouches for), the env's app definitions together
 * (`definitions`: run every time, it reads no rendered object), or the whole env (`whole`: given
 * its view, and not run again while the view is the one an earlier run passed with).
 */
export type SynthCheck =
  | { readonly local: Check }
  | { readonly definitions: (env: EnvironmentSpec, components: readonly Component[]) => Problem[] }
  | { readonly whole: (view: EnvView) => Problem[] };

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

/** Each app's definition and the env's overrides for it (packages/app). */
export const appDefinitionCheck: Check = ({ env, components }) => components.filter(isAppComponent).flatMap((component) => appDefinitionProblems(env, component));

/** No Secret but a hub's cluster Secret, and nothing credential-like, in any rendered file (packages/argocd). */
export const secretSafetyCheck: Check = (rendered) => secretSafetyProblems(rendered);

/** Every rendered string, by a credential's name and by secretlint's value rules (packages/argocd). */
export const renderedSecretCheck: Check = (rendered) => renderedSecretProblems(rendered);

/** Every check synth runs on every env, in the order their problems are reported. */
export const synthChecks: readonly SynthCheck[] = [
  { local: schemaCheck },
  // Fargate's rules for the aws-logging ConfigMap (packages/platform).
  { whole: fargateLoggingCheck },
  // Nothing asks the load balancer controller for WAF, WAFv2 or Shield while that add-on is off (packages/platform).
  { whole: controllerAddonsCheck },
  // Every upstream source Argo CD installs is pinned to one release (packages/platform).
  { whole: pinnedUpstreamCheck },
  { local: appDefinitionCheck },
  // Namespaces two apps would share, and the Ingress apps' ALB groups (packages/app).
  { definitions: appSetProblems },
  // Each rendered Ingress's class, its params' namespaces, ExternalDNS's classes and its backends (packages/app).
  { whole: ({ env, objects }) => ingressReferenceProblems(env, objects) },
  // What Fargate would refuse or leave Pending, and broken binding/service-account references (packages/fargate).
  { whole: lintFargate },
  // Every folder is read by exactly an Argo CD Application, and what they deliver stays out of Argo CD's reach (packages/argocd).
  { whole: (view) => [...unownedFolderProblems(view), ...deliveryProblems(view)] },
  // The tree converges from an empty cluster: nothing needs (CRD, namespace, admitting webhook,
  // Secret, ConfigMap, service account, CA Secret, AppProject) what a later wave or a later
  // Application delivers (packages/argocd).
  { whole: convergenceProblems },
  { local: secretSafetyCheck },
  { local: renderedSecretCheck },
];

/** Every report synth prints under an env's summary line: pods at their Fargate sizes with an hourly estimate, and pods Fargate's 256 MB overhead pushes into a larger size (warnings). */
export const synthReports: readonly ((view: EnvView) => string[])[] = [fargateSummary, fargateSizingWarnings];

/** What the checks, reports and README of a whole env give: reused together while their view is unchanged. */
export interface WholeResults {
  readonly report: readonly string[];
  readonly readme: string;
  readonly applications: readonly RenderedApplication[];
}

/** The README, reports and Applications of an env, from its view. */
export const wholeResultsOf = (view: EnvView): WholeResults => ({
  report: synthReports.flatMap((produce) => produce(view)),
  readme: envReadme(view),
  applications: applicationsOf(view),
});

/** Everything the checks of a whole env, its reports, its README and its Application names read of an object. */
export const ENV_READS: ReadPaths = mergeReadPaths(
  FARGATE_LOGGING_READS,
  CONTROLLER_ADDONS_READS,
  INGRESS_REFERENCE_READS,
  FARGATE_READS,
  DELIVERY_READS,
  CONVERGENCE_READS,
  ENV_README_READS,
  APPLICATION_READS,
);

/** Cuts an env's objects down to `ENV_READS`, keeping every string the README links to one of the env's parameter values. */
export const envProjector = (values: Iterable<string>): ((manifest: Manifest) => Manifest) => projector(ENV_READS, parameterLinks(values));
