import type { ResourceQuantities } from '@gitops/core';

/**
 * One IAM policy statement of an app's IRSA role, in IAM JSON form. packages/infra attaches
 * these to the role it creates for the app; the generator only annotates the service account.
 */
export interface IamPolicyStatement {
  readonly Effect?: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** An app that calls AWS: it gets an IRSA role (made by packages/infra) trusting its service account. */
export interface AwsAccess {
  /** What the role may do; at least one statement (an IRSA role with no policy is refused). */
  readonly policy: readonly IamPolicyStatement[];
}

/**
 * An app served by the shared ALB that packages/infra owns: infra makes an `ip` target group and
 * a listener rule for it, and the generator binds the app's pods to that target group.
 */
export interface AlbExposure {
  /** Container port the ALB sends traffic to. @default the app's first port */
  readonly port?: number;
  /** Host header the listener rule matches, e.g. `api.example.com`. @default any host */
  readonly host?: string;
  /** Path patterns the listener rule matches. @default ['/*'] */
  readonly paths?: readonly string[];
  /** Path the target group health-checks. @default '/' */
  readonly healthCheckPath?: string;
}

/** An application, as `apps/<name>/src/index.ts` default-exports it. */
export interface AppDefinition {
  /** DNS label; also the folder name under `apps/` and, by default, the namespace. */
  readonly name: string;
  /** Container image with its tag, e.g. `public.ecr.aws/nginx/nginx-unprivileged:1.27.3`. */
  readonly image: string;
  /** @default the app's name */
  readonly namespace?: string;
  /** Requests (Fargate sizes the pod from them). */
  readonly resources?: ResourceQuantities;
  /** Present when the app calls AWS APIs. @default no AWS access, no service account token */
  readonly aws?: AwsAccess;
  /** Present when the app is served by the shared ALB. @default not exposed */
  readonly expose?: AlbExposure;
}

/** Types an app definition. */
export function defineApp(definition: AppDefinition): AppDefinition {
  return definition;
}
