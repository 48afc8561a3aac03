import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { EXTERNAL_DNS_IMAGE, externalDnsLabels, externalDnsNames, externalDnsSelector } from './names';

export interface ExternalDnsSettings {
  readonly region: string;
  /** The hosted zone's ID and domain (from SSM). */
  readonly hostedZoneId: string;
  readonly zoneName: string;
  /** `--txt-owner-id`: unique per cluster, so two clusters sharing a zone never take over each other's records. */
  readonly ownerId: string;
  readonly policy: 'upsert-only' | 'sync';
  /** The IngressClasses whose Ingresses get records; any other Ingress is ignored. */
  readonly ingressClasses: readonly string[];
}

/**
 * `--aws-zone-type`: infra's hosted zone is public (its certificates are validated through DNS
 * in it). Stated, so that a private zone of the same name can never be written by mistake.
 */
export const EXTERNAL_DNS_ZONE_TYPE = 'public';
/** The metrics and health port (`--metrics-address` default :7979; the chart's `http` port). */
export const EXTERNAL_DNS_PORT = 7979;

/** ExternalDNS's arguments, in the chart's order (templates/deployment.yaml). */
export function externalDnsArgs(settings: ExternalDnsSettings): string[] {
  return [
    '--log-level=info',
    '--log-format=json',
    '--interval=1m',
    '--source=ingress',
    ...settings.ingressClasses.map((name) => `--ingress-class=${name}`),
    `--policy=${settings.policy}`,
    '--registry=txt',
    `--txt-owner-id=${settings.ownerId}`,
    `--domain-filter=${settings.zoneName}`,
    // The domain filter alone would match any zone of that name the role could list; the zone ID
    // names the one zone the IRSA role may change.
    `--zone-id-filter=${settings.hostedZoneId}`,
    `--aws-zone-type=${EXTERNAL_DNS_ZONE_TYPE}`,
    '--provider=aws',
  ];
}

/** ExternalDNS's Deployment, for Fargate. */
export class ExternalDnsDeployment extends Construct {
  constructor(scope: Construct, id: string, settings: ExternalDnsSettings) {
    super(scope, id);
    // Requests equal to limits: Fargate sizes the pod from its requests (+256 MB) and runs it
    // guaranteed; this is the smallest size, 0.25 vCPU / 0.5 GB (EKS UG, fargate-pod-configuration).
    const resources = { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') };
    const probe = (initialDelaySeconds: number, failureThreshold: number) => ({
      httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') },
      initialDelaySeconds,
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold,
      successThreshold: 1,
    });
    new k8s.KubeDeployment(this, 'resource', {
      metadata: { name: externalDnsNames.name, namespace: externalDnsNames.namespace, labels: externalDnsLabels },
      spec: {
        // One replica and Recreate, as the chart: ExternalDNS has no leader election, and two
        // running at once would race on the same records.
        replicas: 1,
        strategy: { type: 'Recreate' },
        revisionHistoryLimit: 10,
        selector: { matchLabels: { ...externalDnsSelector } },
        template: {
          metadata: { labels: { ...externalDnsLabels } },
          spec: {
            serviceAccountName: externalDnsNames.name,
            // It watches Ingresses through the Kubernetes API with this token.
            automountServiceAccountToken: true,
            securityContext: { runAsNonRoot: true, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: externalDnsNames.name,
                image: EXTERNAL_DNS_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                args: externalDnsArgs(settings),
                // Fargate has no instance metadata to find the region in (aws-tutorial, "Using Helm (with OIDC)").
                env: [{ name: 'AWS_DEFAULT_REGION', value: settings.region }],
                ports: [{ name: 'http', containerPort: EXTERNAL_DNS_PORT, protocol: 'TCP' }],
                livenessProbe: probe(10, 2),
                readinessProbe: probe(5, 6),
                resources: { requests: resources, limits: resources },
                securityContext: {
                  privileged: false,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: 65532,
                  runAsGroup: 65532,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    });
  }
}
