import type { IgnoredDifference } from '@gitops/core';
import { SYNC_WAVE_ANNOTATION } from '@gitops/core';
import { Application, type ApplicationSpecSource } from '@gitops/schemas/imports/argoproj.io';
import { Construct } from 'constructs';
import { ARGOCD_NAMESPACE, RESOURCES_FINALIZER } from './conventions';

export interface AutoSyncedApplicationProps {
  /** Application name, unique in the Argo CD that reads it (`<env>-<folder>`). */
  readonly name: string;
  readonly project: string;
  /** Its wave in the root Application's sync (`argocd.argoproj.io/sync-wave`). */
  readonly syncWave: number;
  readonly source: ApplicationSpecSource;
  /** Registered cluster name (`in-cluster`, or a spoke's EKS cluster name). */
  readonly cluster: string;
  /** Namespace for objects that name none. @default none (every object names its own) */
  readonly namespace?: string;
  /** Fields neither diffed nor, with RespectIgnoreDifferences, overwritten. @default none */
  readonly ignoreDifferences?: readonly IgnoredDifference[];
  /**
   * A root Application, syncing an env's `argocd/` folder. Deleting a root must not cascade into
   * every Application and workload below it, so it carries no resources finalizer; and it
   * patches argocd-cm, which whatever installed Argo CD may track too, so it does not fail on
   * shared objects. @default false: a child, with the finalizer and FailOnSharedResource
   */
  readonly root?: boolean;
  /** Sync options besides those every Application gets. @default none */
  readonly extraSyncOptions?: readonly string[];
}

/**
 * How every Application retries a failed sync: without limit, every 3 minutes at most, on the
 * newest revision.
 *
 * Automated sync never retries a revision whose sync failed; only `retry` does (auto_sync.md).
 * On an empty cluster a sync fails while what it needs is still starting: a webhook whose
 * Fargate pod takes a minute or two, a CRD not yet established, a CA bundle not yet injected.
 * Those delays have no upper bound we could honestly write down, and a limited retry that runs
 * out leaves the Application failed until a person syncs it by hand. So the limit is -1 (for
 * ever), and `refresh: true` makes each retry use the latest revision, so a fix pushed to Git is
 * picked up by the next retry instead of queueing behind a broken one. A revision that can never
 * sync costs one apply attempt every 3 minutes, visible in the Application's status.
 */
export const SYNC_RETRY = { limit: -1, refresh: true, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } } as const;

/**
 * An Application that Argo CD keeps equal to Git with nothing to click: automated sync with
 * prune (objects removed from Git are deleted) and selfHeal (changes made in the cluster are
 * reverted), server-side apply, pruning after everything else has synced, and retries.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/
 */
export class AutoSyncedApplication extends Construct {
  constructor(scope: Construct, id: string, props: AutoSyncedApplicationProps) {
    super(scope, id);
    const ignoreDifferences = props.ignoreDifferences ?? [];
    const syncOptions = [
      // Server-side apply needs no last-applied annotation, so a large object (a CRD) never
      // hits the 262144-byte annotation limit, and fields other managers own are left alone.
      'ServerSideApply=true',
      // Deletions wait until every wave has synced and is healthy.
      'PruneLast=true',
      // An object another Application already tracks fails the sync instead of being taken
      // over: two folders must never fight over one object (synth checks it before Git does).
      ...(props.root ? [] : ['FailOnSharedResource=true']),
      // Without it the sync applies the ignored fields (an injected caBundle) anyway and the
      // next diff flips back; it only acts on objects that already exist (sync-options.md).
      ...(ignoreDifferences.length > 0 ? ['RespectIgnoreDifferences=true'] : []),
      ...(props.extraSyncOptions ?? []),
    ];
    new Application(this, 'application', {
      metadata: {
        name: props.name,
        namespace: ARGOCD_NAMESPACE,
        annotations: { [SYNC_WAVE_ANNOTATION]: String(props.syncWave) },
        ...(props.root ? {} : { finalizers: [RESOURCES_FINALIZER] }),
      },
      spec: {
        project: props.project,
        source: props.source,
        destination: { name: props.cluster, ...(props.namespace ? { namespace: props.namespace } : {}) },
        ...(ignoreDifferences.length > 0
          ? {
              ignoreDifferences: ignoreDifferences.map((ignored) => ({
                group: ignored.group,
                kind: ignored.kind,
                jqPathExpressions: [...ignored.jqPathExpressions],
              })),
            }
          : {}),
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions,
          retry: SYNC_RETRY,
        },
      },
    });
  }
}
