import type { AppDefinition } from './definition';

/** An app's shutdown timing in seconds, with every default applied. */
export interface ShutdownTiming {
  readonly preStopSeconds: number;
  readonly drainSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  readonly deregistrationDelaySeconds: number;
}

// No official numbers exist (FACTS A5): 30 s of preStop sits between the 25 s that fixed 502s in
// aws-load-balancer-controller #1064 and the 40 s that "rarely" gave 502s in #2106; 15 s of drain
// covers typical HTTP requests; 15 s more of grace leaves room for the process to exit after drain.
const DEFAULT_PRE_STOP_SECONDS = 30;
const DEFAULT_DRAIN_SECONDS = 15;
const GRACE_MARGIN_SECONDS = 15;

/**
 * The timing of a pod leaving its target group. packages/infra sets the target group's
 * deregistration delay from `deregistrationDelaySeconds`, the generator the rest, so both agree.
 */
export function shutdownTiming(app: Pick<AppDefinition, 'shutdown'>): ShutdownTiming {
  const preStopSeconds = app.shutdown?.preStopSeconds ?? DEFAULT_PRE_STOP_SECONDS;
  const drainSeconds = app.shutdown?.drainSeconds ?? DEFAULT_DRAIN_SECONDS;
  return {
    preStopSeconds,
    drainSeconds,
    terminationGracePeriodSeconds: app.shutdown?.terminationGracePeriodSeconds ?? preStopSeconds + drainSeconds + GRACE_MARGIN_SECONDS,
    deregistrationDelaySeconds: app.shutdown?.deregistrationDelaySeconds ?? preStopSeconds + drainSeconds,
  };
}
