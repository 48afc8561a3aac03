import type { AwsEnvironment, ParameterDefinition } from '@gitops/contract';
import type { Chart } from 'cdk8s';
import type { EnvironmentSpec } from './environment';

/** An object a component of the same env rendered before this one. */
export interface RenderedManifest {
  /** The component (folder) it belongs to. */
  readonly component: string;
  readonly manifest: Readonly<Record<string, any>>;
}

/** What a component sees while it renders. */
export interface RenderContext {
  readonly env: EnvironmentSpec;
  /**
   * The checked value of a parameter the component declared in `parameters`, or, with `from`,
   * in `crossEnvParameters` for that env. Reading one it did not declare throws: declarations
   * are what lets synth report every missing parameter before anything renders.
   */
  param<T>(definition: ParameterDefinition<T>, from?: AwsEnvironment): T;
  /**
   * Every object the env's components rendered before this one, in render order. The Argo CD
   * component, rendered last, derives its project (namespaces, cluster-scoped kinds) from them.
   * @default synth always sets it; a hand-made context for a unit test may leave it out
   */
  readonly renderedBefore?: readonly RenderedManifest[];
}

/**
 * SSM parameters a component reads from another env's prefix: a hub Argo CD reads each spoke's
 * cluster endpoint, CA data and deployer role. Resolved from that env's source (its snapshot, or
 * SSM) and checked against that env's account and region.
 */
export interface CrossEnvParameters {
  readonly env: EnvironmentSpec;
  readonly parameters: readonly ParameterDefinition[];
}

/** The annotation that orders an object within its Application's sync (lower waves first), and an Application within the root's. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** A field Argo CD should not diff, e.g. a webhook caBundle that cert-manager injects. */
export interface IgnoredDifference {
  readonly group: string;
  readonly kind: string;
  readonly jqPathExpressions: readonly string[];
}

/** How Argo CD delivers a component folder: its Application's place in the sync order. */
export interface Delivery {
  /**
   * Sync wave of the component's Application in the root app-of-apps; lower waves sync (and,
   * with the Application health check, become healthy) first.
   */
  readonly syncWave: number;
  /** Destination namespace for objects that carry none. @default none (every object names its own) */
  readonly namespace?: string;
  /** Fields Argo CD must neither diff nor overwrite. @default none */
  readonly ignoreDifferences?: readonly IgnoredDifference[];
}

/**
 * Something Argo CD installs straight from upstream at a pinned revision (a Helm chart, or a
 * folder of a Git repository), delivered as an Application of its own rather than copied here.
 */
export interface UpstreamSource {
  /** Argo CD Application name, e.g. `cert-manager`. */
  readonly name: string;
  readonly repoURL: string;
  /** A Git tag or a chart version; never a branch. */
  readonly targetRevision: string;
  /** Chart name, when `repoURL` is a Helm repository. */
  readonly chart?: string;
  /** Folder inside a Git `repoURL`. */
  readonly path?: string;
  /**
   * How Argo CD reads `path`: `kustomize` builds the folder's kustomization.yaml, `directory`
   * applies every manifest file in it. Stated explicitly, so a kustomization.yaml added to or
   * removed from the upstream folder cannot silently change what gets installed (Argo CD
   * auto-detects the tool when none is set). Set exactly when `path` is.
   */
  readonly tool?: 'kustomize' | 'directory';
  /** Helm values, when `chart` is set. */
  readonly helmValues?: Readonly<Record<string, unknown>>;
  /** Namespace the source installs into. */
  readonly namespace: string;
  readonly syncWave: number;
  /**
   * Cluster-scoped objects it creates, as `group/Kind name-glob`
   * (`apiextensions.k8s.io/CustomResourceDefinition *.cert-manager.io`); the AppProject allows
   * exactly these. ClusterRoles, ClusterRoleBindings, webhook configurations and CRDs must name
   * their objects (synth refuses a bare kind); for other kinds the name may be left out.
   */
  readonly clusterResources: readonly string[];
  /** Whether it runs pods (then its namespace needs a Fargate profile). */
  readonly runsPods: boolean;
  /** Fields of its objects Argo CD must neither diff nor overwrite. @default none */
  readonly ignoreDifferences?: readonly IgnoredDifference[];
}

/**
 * One folder of `gitops/<env>/`, and one Argo CD Application. A component declares the SSM
 * parameters it needs, then renders its objects into the chart synth gives it.
 */
export interface Component {
  /** Folder name under `gitops/<env>/` and the Argo CD Application's name (a DNS label). */
  readonly name: string;
  /** Every SSM parameter `render` reads. */
  readonly parameters: readonly ParameterDefinition[];
  /** Parameters of other envs `render` reads with `ctx.param(definition, env)`. @default none */
  readonly crossEnvParameters?: readonly CrossEnvParameters[];
  render(chart: Chart, ctx: RenderContext): void;
  /** @default sync wave 0, no destination namespace, nothing ignored */
  readonly delivery?: Delivery;
  /** Upstream sources this component brings in alongside its folder. @default none */
  readonly upstream?: readonly UpstreamSource[];
  /**
   * What of each earlier object a component reading `ctx.renderedBefore` uses: it sees each
   * manifest only through this view, and synth's render cache reuses its output while the views
   * are unchanged (an image tag changed elsewhere leaves the Argo CD component's view alone),
   * instead of while every earlier file is. @default the manifests whole
   */
  readonly viewOfBefore?: (manifest: Readonly<Record<string, any>>) => Readonly<Record<string, any>>;
}

/** What a component that delivers others reads of each: its folder name, delivery and upstream sources. */
export type DeliveredFolder = Pick<Component, 'name' | 'delivery' | 'upstream'>;

/**
 * What the checks of a whole env read of each component (its folder, delivery, upstream
 * sources and the parameters it declares), and all synth gives them: an app's definition is
 * the business of the checks of that app alone.
 */
export type ComponentOutline = Pick<Component, 'name' | 'parameters' | 'delivery' | 'upstream'>;

/** A component as the checks of a whole env see it: its outline alone. */
export const outlineOf = ({ name, parameters, delivery, upstream }: ComponentOutline): ComponentOutline => ({
  name,
  parameters,
  ...(delivery ? { delivery } : {}),
  ...(upstream ? { upstream } : {}),
});
