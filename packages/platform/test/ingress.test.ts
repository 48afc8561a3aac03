import { schemaValidator } from '@gitops/schemas';
import type { EnvironmentSpec } from '@gitops/core';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_DNS_IMAGE, externalDnsRules, ingressPlatformComponents, type IngressGroupMember } from '../src/index';
import { environments, find, renderComponent, renderFor, type Manifest } from './support/render';

const dev = environments.dev;
const members: IngressGroupMember[] = [
  { group: 'internal', namespace: 'admin' },
  { group: 'internal', namespace: 'reports' },
];
const [classes, externalDns] = ingressPlatformComponents(dev.env, members);
const renderBoth = (env: EnvironmentSpec = dev.env, who = members) =>
  ingressPlatformComponents(env, who).flatMap((component) => renderComponent(component, env, dev.parameters));

// The chart's ClusterRole (external-dns chart 1.21.1, templates/clusterrole.yaml) rendered with
// `sources: [ingress]`, transcribed here as the reference the rendered rules must equal.
const chartRulesForIngressSource = [{ apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'watch', 'list'] }];

describe('ALB group classes', () => {
  it("puts every ALB setting in the group's IngressClassParams, so no Ingress can change it", () => {
    const params = find(renderFor(classes!, 'dev'), 'IngressClassParams', 'alb-internal');
    const snapshot = (path: string) => dev.parameters[`/fargate-gitops/dev/${path}`]!.value;
    expect(params.spec).toEqual({
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['admin', 'reports'] }] },
      group: { name: 'internal' },
      scheme: 'internal',
      ipAddressType: 'ipv4',
      targetType: 'ip',
      subnets: { ids: snapshot('network/private-subnet-ids').split(',') },
      certificateArn: [snapshot('ingress/certificate-arn')],
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      sslRedirectPort: '443',
      wafv2AclArn: snapshot('ingress/web-acl-arn'),
      loadBalancerAttributes: [{ key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' }],
      tags: [
        { key: 'fargate-gitops/env', value: 'dev' },
        { key: 'fargate-gitops/ingress-group', value: 'internal' },
      ],
    });
    expect(find(renderFor(classes!, 'dev'), 'IngressClass', 'alb-internal').spec).toEqual({
      controller: 'ingress.k8s.aws/alb',
      parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'alb-internal' },
    });
  });

  it('places an internet-facing group in the public subnets, reading only the subnets its groups need', () => {
    const env: EnvironmentSpec = { ...dev.env, ingress: { groups: { partners: { scheme: 'internet-facing' } } } };
    const [component] = ingressPlatformComponents(env, [{ group: 'partners', namespace: 'admin' }]);
    expect(component!.parameters.map((p) => p.path)).toEqual(['ingress/certificate-arn', 'ingress/web-acl-arn', 'network/public-subnet-ids']);
    const params = find(
      renderComponent(component!, env, {
        ...dev.parameters,
      }),
      'IngressClassParams',
      'alb-partners',
    );
    expect([params.spec.scheme, params.spec.subnets.ids]).toEqual(['internet-facing', dev.parameters['/fargate-gitops/dev/network/public-subnet-ids']!.value.split(',')]);
  });

  it('renders nothing for an env without Ingress apps, and no class for a group nobody joins', () => {
    expect(ingressPlatformComponents(dev.env, [])).toEqual([]);
    const env: EnvironmentSpec = { ...dev.env, ingress: { groups: { internal: { scheme: 'internal' }, unused: { scheme: 'internet-facing' } } } };
    const names = renderBoth(env).filter((m) => m.kind === 'IngressClass').map((m) => m.metadata.name);
    expect(names).toEqual(['alb-internal']);
  });
});

describe('ExternalDNS', () => {
  const manifests = () => renderFor(externalDns!, 'dev');
  const container = () => find(manifests(), 'Deployment', 'external-dns').spec.template.spec.containers[0];

  it('runs v0.22.0 with the AWS provider on the ingress source, filtered to the zone, the classes and this cluster', () => {
    expect(container().image).toBe('registry.k8s.io/external-dns/external-dns:v0.22.0');
    expect(EXTERNAL_DNS_IMAGE).toBe(container().image);
    expect(container().args).toEqual([
      '--log-level=info',
      '--log-format=json',
      '--interval=1m',
      '--source=ingress',
      '--ingress-class=alb-internal',
      '--policy=sync',
      '--registry=txt',
      '--txt-owner-id=fargate-gitops-dev',
      '--domain-filter=dev.example.com',
      '--zone-id-filter=Z0000000000000000DEV',
      '--aws-zone-type=public',
      '--provider=aws',
    ]);
    expect(container().env).toEqual([{ name: 'AWS_DEFAULT_REGION', value: 'ap-northeast-1' }]);
  });

  it('never deletes records unless the env asks for sync', () => {
    const env: EnvironmentSpec = { ...dev.env, ingress: { groups: dev.env.ingress!.groups } };
    const [, component] = ingressPlatformComponents(env, members);
    const args: string[] = find(renderComponent(component!, env, dev.parameters), 'Deployment', 'external-dns').spec.template.spec.containers[0].args;
    expect(args.filter((arg) => arg.startsWith('--policy='))).toEqual(['--policy=upsert-only']);
  });

  it('owns its records under an ID unique per cluster', () => {
    const owners = (['dev', 'stg', 'prod'] as const).map((name) => {
      // dev's account and snapshot, each env's cluster name: the owner ID follows the cluster.
      const env: EnvironmentSpec = { ...dev.env, cluster: environments[name].env.cluster };
      const [, component] = ingressPlatformComponents(env, members);
      return find(renderComponent(component!, env, dev.parameters), 'Deployment', 'external-dns').spec.template.spec.containers[0].args.find((a: string) => a.startsWith('--txt-owner-id='));
    });
    expect(owners).toEqual(['--txt-owner-id=fargate-gitops-dev', '--txt-owner-id=fargate-gitops-stg', '--txt-owner-id=fargate-gitops-prod']);
  });

  it("has exactly the chart's RBAC for the ingress source, bound to its IRSA service account", () => {
    expect(externalDnsRules).toEqual(chartRulesForIngressSource);
    expect(find(manifests(), 'ClusterRole', 'external-dns').rules).toEqual(chartRulesForIngressSource);
    expect(find(manifests(), 'ClusterRoleBinding', 'external-dns').subjects).toEqual([{ kind: 'ServiceAccount', name: 'external-dns', namespace: 'kube-system' }]);
    expect(find(manifests(), 'ServiceAccount', 'external-dns').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': dev.parameters['/fargate-gitops/dev/platform/external-dns/role-arn']!.value,
    });
  });

  it('fits Fargate: one replica, Recreate, requests equal to limits, non-root and read-only', () => {
    const deployment = find(manifests(), 'Deployment', 'external-dns');
    expect([deployment.spec.replicas, deployment.spec.strategy.type]).toEqual([1, 'Recreate']);
    expect(container().resources.requests).toEqual(container().resources.limits);
    expect(container().securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });
});

describe('strict schemas', () => {
  it('accept every rendered object, and refuse an IngressClassParams with an unknown field', () => {
    const rendered = renderBoth();
    expect(rendered.length).toBe(6);
    for (const manifest of rendered) expect(schemaValidator().validate(manifest), `${manifest.kind} ${manifest.metadata.name}`).toEqual([]);
    const params = rendered.find((m) => m.kind === 'IngressClassParams') as Manifest;
    expect(schemaValidator().validate({ ...params, spec: { ...params.spec, wafAclArn: 'x' } }).length).toBeGreaterThan(0);
    expect(schemaValidator().validate({ ...params, spec: { ...params.spec, scheme: 'public' } }).length).toBeGreaterThan(0);
    expect(schemaValidator().validate({ ...params, spec: { ...params.spec, subnets: { ids: [] } } }).length).toBeGreaterThan(0);
  });
});
