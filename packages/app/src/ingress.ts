import type { AppOverrides } from '@gitops/core';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import type { AlbExposure, AppDefinition, IngressExposure } from './definition';

/** The ALB group an Ingress app joins when it names none: internal tools are the common case. */
export const DEFAULT_INGRESS_GROUP = 'internal';

/** Whether an app's `expose` asks for an Ingress (rather than a TargetGroupBinding to infra's ALB). */
export function isIngressExposure(expose: AlbExposure | IngressExposure | undefined): expose is IngressExposure {
  return expose?.via === 'ingress';
}

/** The IngressClass (and IngressClassParams) name of an env's ALB group. */
export function ingressClassName(group: string): string {
  return `alb-${group}`;
}

/** An Ingress app as one env runs it: the env's host override applied, defaults filled in. */
export interface ResolvedIngress {
  readonly host: string;
  /** Where the host comes from, for messages: the app's definition or the env's override. */
  readonly hostFrom: 'definition' | 'env';
  readonly paths: readonly string[];
  readonly group: string;
  readonly scheme?: 'internal' | 'internet-facing';
}

/** The app's Ingress settings in an env, or undefined for an app not exposed through an Ingress. */
export function resolveIngress(app: AppDefinition, overrides: AppOverrides = {}): ResolvedIngress | undefined {
  const expose = app.expose;
  if (!isIngressExposure(expose)) return undefined;
  const override = overrides.expose?.host;
  return {
    host: override ?? expose.host,
    hostFrom: override !== undefined ? 'env' : 'definition',
    paths: expose.paths ?? ['/'],
    group: expose.group ?? DEFAULT_INGRESS_GROUP,
    ...(expose.scheme ? { scheme: expose.scheme } : {}),
  };
}

/** Whether a host is the zone's domain or inside it. */
export function hostInZone(host: string, zoneName: string): boolean {
  return host === zoneName || host.endsWith(`.${zoneName}`);
}

export interface AppIngressProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ingress: ResolvedIngress;
  /** The app's Service and the Service port the ALB's targets come from. */
  readonly service: string;
  readonly servicePort: number;
  /** The readiness probe's HTTP path and port: what the ALB health-checks. */
  readonly healthCheck: { readonly path: string; readonly port: number };
  /** `shutdownTiming(app).deregistrationDelaySeconds`, as infra sets on the shared ALB's target groups. */
  readonly deregistrationDelaySeconds: number;
}

/**
 * The app's Ingress: host and path rules to its Service on the ALB of its group. Everything that
 * decides what the ALB is (scheme, certificate, WAF, subnets, target type, HTTPS redirect, tags)
 * lives in the class's IngressClassParams, whose fields win over annotations (controller docs,
 * ingress_class.md), so the annotations here are only the app's own target group settings.
 */
export class AppIngress extends Construct {
  constructor(scope: Construct, id: string, props: AppIngressProps) {
    super(scope, id);
    const alb = 'alb.ingress.kubernetes.io';
    new k8s.KubeIngress(this, 'resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...props.labels },
        annotations: {
          // Every member of a group states the same listeners: HTTPS, and HTTP only to redirect
          // (the class's sslRedirectPort). The controller merges a group's listen-ports.
          [`${alb}/listen-ports`]: '[{"HTTP": 80}, {"HTTPS": 443}]',
          // The ALB sees a pod as healthy when its readiness probe would: same path and port, and
          // the kubelet's success range for httpGet (200-399).
          [`${alb}/healthcheck-path`]: props.healthCheck.path,
          [`${alb}/healthcheck-port`]: String(props.healthCheck.port),
          [`${alb}/success-codes`]: '200-399',
          // The controller's default is 300 s; the pod's preStop delay and drain are sized to this
          // figure (shutdownTiming), so a deregistered pod still serves while the ALB drains it.
          [`${alb}/target-group-attributes`]: `deregistration_delay.timeout_seconds=${props.deregistrationDelaySeconds}`,
        },
      },
      spec: {
        ingressClassName: ingressClassName(props.ingress.group),
        rules: [
          {
            host: props.ingress.host,
            http: {
              paths: props.ingress.paths.map((path) => ({
                path,
                pathType: 'Prefix',
                backend: { service: { name: props.service, port: { number: props.servicePort } } },
              })),
            },
          },
        ],
      },
    });
  }
}
