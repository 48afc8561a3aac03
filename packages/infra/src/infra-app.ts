import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SynthError, type Problem } from '@gitops/core';
import type { Workspace } from '@gitops/workspace';
import { infraSettings as committedSettings } from './environments';
import { EnvironmentStack, stackNameOf } from './environment-stack';
import { planEnvironment, type EnvironmentPlan } from './plan';
import type { InfraSettings } from './settings';

export interface InfraAppOptions {
  readonly workspace: Workspace;
  /** @default the settings in src/environments */
  readonly settings?: Readonly<Record<string, InfraSettings>>;
  /** Where the cloud assembly goes. @default CDK's default (CDK_OUTDIR, else a temporary folder) */
  readonly outdir?: string;
  /** Run cdk-nag's AwsSolutions checks on every stack. @default true */
  readonly nag?: boolean;
  /**
   * Validate every template against the CloudFormation resource schemas (aws-cdk-lib's built-in
   * plugin, offline), failing synth on a schema error. Costs seconds per synth.
   * @default true
   */
  readonly cloudFormationValidation?: boolean;
}

export interface InfraApp {
  readonly app: App;
  /** By env name. */
  readonly stacks: ReadonlyMap<string, EnvironmentStack>;
  readonly plans: ReadonlyMap<string, EnvironmentPlan>;
}

/**
 * One stack per environment of the workspace. Every env is planned (and checked) before any
 * stack is built, and every problem of every env is reported in one SynthError.
 */
export function buildInfraApp(options: InfraAppOptions): InfraApp {
  const settings = options.settings ?? committedSettings;
  const problems: Problem[] = [];
  const plans = new Map<string, EnvironmentPlan>();
  for (const [name, env] of options.workspace.environments) {
    try {
      plans.set(name, planEnvironment(env, options.workspace, settings[name]));
    } catch (error) {
      if (error instanceof SynthError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length > 0) throw new SynthError(problems);

  const validate = options.cloudFormationValidation ?? true;
  const app = new App({
    // No analytics metadata: the templates are a pure function of the repository.
    analyticsReporting: false,
    builtinCloudFormationValidation: validate,
    // Schema errors fail synth instead of being downgraded to warnings.
    context: { '@aws-cdk/core:validateAgainstDefaultRules': validate },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const stacks = new Map<string, EnvironmentStack>();
  for (const [name, plan] of plans) {
    stacks.set(name, new EnvironmentStack(app, stackNameOf(plan), { plan, stackName: stackNameOf(plan) }));
  }
  // cdk-nag 3 is a policy validation plugin: any unacknowledged AwsSolutions finding stops synth.
  // Acknowledgments (each with its reason) are also written into the template's metadata for review.
  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
  }
  return { app, stacks, plans };
}
