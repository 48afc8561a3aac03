import { SYNC_WAVE_ANNOTATION } from '@gitops/core';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import type { ResolvedApp, ResolvedProbe } from './resolve';
import { appSecretName } from './secrets';

export interface AppDeploymentProps {
  readonly app: ResolvedApp;
  readonly labels: Readonly<Record<string, string>>;
  /** Service account the pods run as. */
  readonly serviceAccountName: string;
  /** Whether the pods get a Kubernetes API token (only when the app asks; IRSA needs none). */
  readonly automountServiceAccountToken: boolean;
  /** Labels of the pods only, not of the selector: the readiness-gate opt-in of an exposed app. @default none */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Kubernetes minor version of the env's cluster: from 30 on, the preStop delay uses the native
   * `sleep` lifecycle action.
   */
  readonly kubernetesMinor: number;
  /** Argo CD sync wave: after the Service and TargetGroupBinding (see app-component.ts). */
  readonly syncWave: string;
}

// The native sleep action (KEP-3960, feature gate PodLifecycleSleepAction) is beta and on by
// default from Kubernetes 1.30; it needs no `sleep` binary in the image. Before 1.30 the gate is
// alpha (off on EKS), so the delay is an exec of `sleep`, which the image must then contain:
// without it the hook fails and the kubelet sends SIGTERM at once, losing the delay.
const NATIVE_SLEEP_SINCE_MINOR = 30;

function probeOf(probe: ResolvedProbe | undefined): k8s.Probe | undefined {
  if (!probe) return undefined;
  const port = probe.port === undefined ? undefined : k8s.IntOrString.fromNumber(probe.port);
  const action: k8s.Probe = probe.exec
    ? { exec: { command: [...probe.exec] } }
    : probe.httpGet !== undefined
      ? { httpGet: { path: probe.httpGet, port: port! } }
      : { tcpSocket: { port: port! } };
  return {
    ...action,
    ...(probe.initialDelaySeconds !== undefined ? { initialDelaySeconds: probe.initialDelaySeconds } : {}),
    ...(probe.periodSeconds !== undefined ? { periodSeconds: probe.periodSeconds } : {}),
    ...(probe.timeoutSeconds !== undefined ? { timeoutSeconds: probe.timeoutSeconds } : {}),
    ...(probe.failureThreshold !== undefined ? { failureThreshold: probe.failureThreshold } : {}),
  };
}

/** `/var/cache/nginx` → `var-cache-nginx`: a volume name a reader can map back to its path. */
export function volumeNameOf(path: string): string {
  return (
    path
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63)
      .replace(/-+$/, '') || 'root'
  );
}

/**
 * The app's Deployment: secure defaults (Pod Security `restricted`), requests equal to limits,
 * and a shutdown that lets the ALB stop routing to a pod before the pod stops serving.
 */
export class AppDeployment extends Construct {
  readonly resource: k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: AppDeploymentProps) {
    super(scope, id);
    const { app } = props;
    const { preStopSeconds } = app.shutdown;
    // The controller deregisters a terminating pod from the target group while the kubelet sends
    // it SIGTERM, and the ALB keeps routing to it for a while after (EKS Best Practices, load
    // balancing, "Gracefully handle the client requests"): the preStop delay keeps the app
    // serving until the ALB has caught up, then SIGTERM starts the app's own drain.
    // No delay, no hook: a zero-second sleep action is refused before Kubernetes 1.33
    // (PodLifecycleSleepActionAllowZero), and an app that no ALB serves needs no delay.
    const preStop: k8s.LifecycleHandler | undefined =
      preStopSeconds === 0
        ? undefined
        : props.kubernetesMinor >= NATIVE_SLEEP_SINCE_MINOR
          ? { sleep: { seconds: preStopSeconds } }
          : { exec: { command: ['sleep', String(preStopSeconds)] } };
    // Fargate sizes the pod from the requests and runs it "guaranteed" (EKS UG,
    // fargate-pod-configuration), so the limits are the requests.
    const quantities = {
      cpu: k8s.Quantity.fromString(app.resources.cpu),
      memory: k8s.Quantity.fromString(app.resources.memory),
    };
    // The app's secrets first, then the plain values in the author's order: a value may refer to
    // a secret with `$(NAME)`, which Kubernetes expands only from earlier entries. A secret is read
    // from the Secret ESO writes; the kubelet does not start the container until that key exists.
    const env: k8s.EnvVar[] = [
      ...app.secretVariables.map((name): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: appSecretName(app), key: name } } })),
      ...app.env.map(([name, value]): k8s.EnvVar => ({ name, value })),
    ];
    const container: k8s.Container = {
      name: app.name,
      image: app.image,
      ...(app.definition.command ? { command: [...app.definition.command] } : {}),
      ...(app.definition.args ? { args: [...app.definition.args] } : {}),
      ...(app.ports.length > 0 ? { ports: app.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })) } : {}),
      ...(env.length > 0 ? { env } : {}),
      resources: { requests: quantities, limits: quantities },
      ...(app.probes.readiness ? { readinessProbe: probeOf(app.probes.readiness) } : {}),
      ...(app.probes.liveness ? { livenessProbe: probeOf(app.probes.liveness) } : {}),
      ...(app.probes.startup ? { startupProbe: probeOf(app.probes.startup) } : {}),
      ...(preStop ? { lifecycle: { preStop } } : {}),
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      },
      ...(app.writablePaths.length > 0
        ? { volumeMounts: app.writablePaths.map((path) => ({ name: volumeNameOf(path), mountPath: path })) }
        : {}),
    };
    this.resource = new k8s.KubeDeployment(this, 'resource', {
      metadata: {
        name: app.name,
        namespace: app.namespace,
        labels: { ...props.labels },
        annotations: { [SYNC_WAVE_ANNOTATION]: props.syncWave },
      },
      spec: {
        // With an autoscaler the replica count is its to manage; a count here would make Argo CD
        // reset it on every sync.
        ...(app.autoscaling ? {} : { replicas: app.replicas }),
        selector: { matchLabels: { ...app.selector } },
        // A new pod must be ready (its readiness gate: healthy in the target group) before an old
        // one goes, so capacity behind the ALB never drops during a rollout (FACTS A5).
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromString('25%') },
        },
        template: {
          metadata: { labels: { ...props.labels, ...props.podLabels } },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: props.automountServiceAccountToken,
            // Docker-link variables for every Service of the namespace: noise the app never reads.
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              ...(app.definition.runAsUser !== undefined ? { runAsUser: app.definition.runAsUser } : {}),
              seccompProfile: { type: 'RuntimeDefault' },
            },
            terminationGracePeriodSeconds: app.shutdown.terminationGracePeriodSeconds,
            containers: [container],
            ...(app.writablePaths.length > 0
              ? { volumes: app.writablePaths.map((path) => ({ name: volumeNameOf(path), emptyDir: {} })) }
              : {}),
          },
        },
      },
    });
  }
}
