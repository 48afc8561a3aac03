import { projector } from '@gitops/core';
import { schemaValidator } from '@gitops/schemas';
import { describe, expect, it } from 'vitest';
import {
  AWS_LOAD_BALANCER_CONTROLLER_VERSION,
  awsLoadBalancerController,
  awsLoadBalancerControllerComponent,
  CERT_MANAGER_VERSION,
  certManagerSource,
  CONTROLLER_ADDONS_READS,
  controllerAddonsCheck,
  controllerCrdsSource,
  ingressPlatformComponents,
  NO_ADDONS,
  platformSyncWaves,
} from '../src/index';
import { declaredPaths, projected, releaseChange, withContainers, without } from '../../core/test/read-paths-support';
import { environments, find, renderComponent, renderFor, type Manifest } from './support/render';

const dev = renderFor(awsLoadBalancerController, 'dev');
const prod = renderFor(awsLoadBalancerController, 'prod');
const NS = 'kube-system';

/** Every (group, resource, resourceName, verb) a list of rules grants: rules equal in effect expand equally. */
const grants = (rules: readonly { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; verbs: string[] }[]) =>
  rules
    .flatMap((rule) =>
      (rule.apiGroups ?? ['']).flatMap((group) =>
        (rule.resources ?? []).flatMap((resource) =>
          (rule.resourceNames ?? ['*']).flatMap((name) => rule.verbs.map((verb) => `${group}/${resource}/${name}:${verb}`)),
        ),
      ),
    )
    .sort();

// The ClusterRole of chart aws-load-balancer-controller 3.5.0 (v3.5.0), templates/rbac.yaml with
// default values, written out here as the reference the rendered role is compared with.
const chartClusterRules = [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'delete', 'get', 'update'] },
  { apiGroups: [''], resources: ['endpoints', 'namespaces', 'nodes', 'pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['pods/status', 'services/status'], verbs: ['patch', 'update'] },
  { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
  { apiGroups: ['aga.k8s.aws'], resources: ['globalaccelerators'], verbs: ['get', 'list', 'patch', 'watch'] },
  { apiGroups: ['aga.k8s.aws'], resources: ['globalaccelerators/finalizers', 'globalaccelerators/status'], verbs: ['patch', 'update'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['elbv2.k8s.aws'], resources: ['albtargetcontrolconfigs'], verbs: ['get'] },
  { apiGroups: ['elbv2.k8s.aws'], resources: ['ingressclassparams'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['elbv2.k8s.aws'], resources: ['targetgroupbindings'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  { apiGroups: ['elbv2.k8s.aws'], resources: ['targetgroupbindings/status'], verbs: ['patch', 'update'] },
  { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'patch', 'update', 'watch'] },
  { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['ingresses/status'], verbs: ['patch', 'update'] },
  {
    apiGroups: ['gateway.k8s.aws'],
    resources: ['listenerruleconfigurations', 'loadbalancerconfigurations', 'targetgroupconfigurations'],
    verbs: ['get', 'list', 'patch', 'watch'],
  },
  {
    apiGroups: ['gateway.k8s.aws'],
    resources: ['listenerruleconfigurations/finalizers', 'loadbalancerconfigurations/finalizers', 'targetgroupconfigurations/finalizers'],
    verbs: ['patch', 'update'],
  },
  {
    apiGroups: ['gateway.k8s.aws'],
    resources: ['listenerruleconfigurations/status', 'loadbalancerconfigurations/status', 'targetgroupconfigurations/status'],
    verbs: ['get', 'patch', 'update'],
  },
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['gatewayclasses', 'gateways', 'referencegrants'], verbs: ['get', 'list', 'patch', 'watch'] },
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['gatewayclasses/finalizers', 'gateways/finalizers'], verbs: ['patch', 'update'] },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: [
      'gatewayclasses/status',
      'gateways/status',
      'grpcroutes/status',
      'httproutes/status',
      'listenersets/status',
      'tcproutes/status',
      'tlsroutes/status',
      'udproutes/status',
    ],
    verbs: ['get', 'patch', 'update'],
  },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['grpcroutes', 'httproutes', 'listenersets', 'tcproutes', 'tlsroutes', 'udproutes'],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['grpcroutes/finalizers', 'httproutes/finalizers', 'listenersets/finalizers', 'tcproutes/finalizers', 'tlsroutes/finalizers', 'udproutes/finalizers'],
    verbs: ['update'],
  },
  { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
];
// Left out on purpose (rbac.ts says why): Gateway API, Global Accelerator, ALB target control.
const omitted = (grant: string) => /^(gateway\.k8s\.aws|gateway\.networking\.k8s\.io|aga\.k8s\.aws)\/|\/albtargetcontrolconfigs\//.test(grant);

describe('aws-load-balancer-controller component', () => {
  it('renders exactly the controller, its RBAC, webhook TLS and webhooks, and no IngressClass of its own', () => {
    const inventory = dev.map((manifest) => `${manifest.kind}/${manifest.metadata.namespace ?? ''}/${manifest.metadata.name}`).sort();

    expect(inventory).toEqual(
      [
        `Certificate/${NS}/aws-load-balancer-root-cert`,
        `Certificate/${NS}/aws-load-balancer-serving-cert`,
        'ClusterRole//aws-load-balancer-controller-role',
        'ClusterRoleBinding//aws-load-balancer-controller-rolebinding',
        `Deployment/${NS}/aws-load-balancer-controller`,
        `Issuer/${NS}/aws-load-balancer-root-issuer`,
        `Issuer/${NS}/aws-load-balancer-selfsigned-issuer`,
        'MutatingWebhookConfiguration//aws-load-balancer-webhook',
        `PodDisruptionBudget/${NS}/aws-load-balancer-controller`,
        `Role/${NS}/aws-load-balancer-controller-leader-election-role`,
        `RoleBinding/${NS}/aws-load-balancer-controller-leader-election-rolebinding`,
        `Service/${NS}/aws-load-balancer-webhook-service`,
        `ServiceAccount/${NS}/aws-load-balancer-controller`,
        'ValidatingWebhookConfiguration//aws-load-balancer-webhook',
      ].sort(),
    );
  });

  it.each([
    ['dev', dev],
    ['prod', prod],
  ] as const)('validates every %s object strictly against the Kubernetes 1.29 and CRD schemas', (_, manifests) => {
    for (const manifest of manifests) {
      expect(schemaValidator().validate(manifest), `${manifest.kind} ${manifest.metadata.name}`).toEqual([]);
    }
  });

  it('renders no Secret and no key material: cert-manager makes both in the cluster', () => {
    const text = JSON.stringify(dev);

    expect(dev.filter((manifest) => manifest.kind === 'Secret')).toEqual([]);
    expect(text).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE|caBundle|tls\.key/);
  });
});

describe('ServiceAccount', () => {
  it('carries the IRSA role of its env, read from SSM', () => {
    const { env, parameters } = environments.prod;
    const roleArn = parameters[`${env.ssmPrefix}/platform/aws-load-balancer-controller/role-arn`]!.value;

    const account = find(prod, 'ServiceAccount', 'aws-load-balancer-controller');

    expect(account.metadata.namespace).toBe(NS);
    expect(account.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': roleArn });
    expect(roleArn).toContain(`::${env.account}:role/`);
  });
});

describe('Deployment', () => {
  const deployment = find(dev, 'Deployment', 'aws-load-balancer-controller');
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;

  it('runs the pinned image, two replicas, as its service account, system-cluster-critical', () => {
    expect(pod.containers).toHaveLength(1);
    expect(container.image).toBe(`public.ecr.aws/eks/aws-load-balancer-controller:${AWS_LOAD_BALANCER_CONTROLLER_VERSION}`);
    expect(AWS_LOAD_BALANCER_CONTROLLER_VERSION).toBe('v3.5.0');
    expect(deployment.spec.replicas).toBe(2);
    expect(pod.serviceAccountName).toBe('aws-load-balancer-controller');
    expect(pod.priorityClassName).toBe('system-cluster-critical');
  });

  it('names the cluster, region and VPC explicitly, since Fargate has no instance metadata', () => {
    const { env, parameters } = environments.dev;

    expect(container.args).toEqual([
      `--cluster-name=${env.cluster.name}`,
      '--ingress-class=alb',
      '--disable-ingress-class-annotation=true',
      '--disable-ingress-group-name-annotation=true',
      `--aws-region=${env.region}`,
      `--aws-vpc-id=${parameters[`${env.ssmPrefix}/network/vpc-id`]!.value}`,
      '--default-target-type=ip',
      '--enable-waf=false',
      '--enable-wafv2=false',
      '--enable-shield=false',
      '--feature-gates=ALBGatewayAPI=false,ALBTargetControlAgent=false,EnableCertificateManagement=false,GatewayListenerSet=false,GlobalAcceleratorController=false,NLBGatewayAPI=false',
    ]);
  });

  it('switches off only feature gates the v3.5.0 chart lists (an unknown gate stops the controller)', () => {
    // The gate names of chart 3.5.0 values.yaml, controllerConfig.featureGates.
    const chartGates = [
      'ListenerRulesTagging', 'WeightedTargetGroups', 'ServiceTypeLoadBalancerOnly', 'EndpointsFailOpen', 'EnableServiceController',
      'EnableIPTargetType', 'EnableTCPUDPListener', 'EnableRGTAPI', 'SubnetsClusterTagCheck', 'NLBHealthCheckAdvancedConfig',
      'NLBSecurityGroup', 'ALBSingleSubnet', 'LBCapacityReservation', 'SubnetDiscoveryByReachability', 'NLBGatewayAPI',
      'ALBGatewayAPI', 'GatewayListenerSet', 'GlobalAcceleratorController', 'IngressPlanAnnotation', 'EnhancedDefaultBehavior',
      'EnableDefaultTagsLowPriority', 'ALBTargetControlAgent', 'EnableCertificateManagement',
    ];
    const gates = container.args.find((arg: string) => arg.startsWith('--feature-gates='))!.slice('--feature-gates='.length).split(',');

    for (const gate of gates) expect(chartGates).toContain(gate.split('=')[0]);
  });

  it('sets requests equal to limits, which Fargate sizes the pod from', () => {
    expect(container.resources.requests).toEqual(container.resources.limits);
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
  });

  it('probes /healthz and /readyz on the health port 61779', () => {
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 61779, scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 61779, scheme: 'HTTP' });
  });

  it('runs non-root, read-only, without privilege escalation or capabilities, under RuntimeDefault seccomp', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.hostNetwork).toBeUndefined();
    expect(container.ports.every((port: Manifest) => port.hostPort === undefined)).toBe(true);
  });

  it('mounts the Secret the serving Certificate writes where the webhook server reads its certificate', () => {
    const serving = find(dev, 'Certificate', 'aws-load-balancer-serving-cert');
    const volume = pod.volumes.find((candidate: Manifest) => candidate.name === 'cert');

    expect(volume.secret.secretName).toBe(serving.spec.secretName);
    expect(container.volumeMounts).toEqual([{ name: 'cert', mountPath: '/tmp/k8s-webhook-server/serving-certs', readOnly: true }]);
  });

  it('is selected by its PodDisruptionBudget and the webhook Service', () => {
    const labels = deployment.spec.template.metadata.labels;
    const pdb = find(dev, 'PodDisruptionBudget', 'aws-load-balancer-controller');
    const service = find(dev, 'Service', 'aws-load-balancer-webhook-service');

    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(labels).toMatchObject(pdb.spec.selector.matchLabels);
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(labels).toMatchObject(service.spec.selector);
    expect(service.spec.ports).toEqual([{ name: 'webhook-server', port: 443, targetPort: 'webhook-server', protocol: 'TCP' }]);
    expect(container.ports.map((port: Manifest) => port.name)).toContain('webhook-server');
  });
});

describe('RBAC', () => {
  it('grants what the chart grants, less the Gateway API, Global Accelerator and target-control rules', () => {
    const role = find(dev, 'ClusterRole', 'aws-load-balancer-controller-role');

    expect(grants(role.rules)).toEqual(grants(chartClusterRules).filter((grant) => !omitted(grant)));
    expect(grants(role.rules).some((grant) => grant.startsWith('/secrets/'))).toBe(false);
  });

  it('grants leader election on the controller-leader ConfigMap and Lease only, as the chart does', () => {
    const role = find(dev, 'Role', 'aws-load-balancer-controller-leader-election-role');

    expect(role.metadata.namespace).toBe(NS);
    expect(grants(role.rules)).toEqual(
      grants([
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['aws-load-balancer-controller-leader'], verbs: ['get', 'patch', 'update'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          resourceNames: ['aws-load-balancer-controller-leader'],
          verbs: ['get', 'patch', 'update'],
        },
      ]),
    );
  });

  it('binds both roles to the controller service account in kube-system', () => {
    const subject = [{ kind: 'ServiceAccount', name: 'aws-load-balancer-controller', namespace: NS }];
    const clusterBinding = find(dev, 'ClusterRoleBinding', 'aws-load-balancer-controller-rolebinding');
    const binding = find(dev, 'RoleBinding', 'aws-load-balancer-controller-leader-election-rolebinding');

    expect(clusterBinding.subjects).toEqual(subject);
    expect(clusterBinding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'aws-load-balancer-controller-role' });
    expect(binding.subjects).toEqual(subject);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'aws-load-balancer-controller-leader-election-role' });
  });
});

describe('webhooks', () => {
  const mutating = find(dev, 'MutatingWebhookConfiguration', 'aws-load-balancer-webhook');
  const validating = find(dev, 'ValidatingWebhookConfiguration', 'aws-load-balancer-webhook');
  const all = [...mutating.webhooks, ...validating.webhooks];

  it('registers readiness-gate injection and the TargetGroupBinding, IngressClassParams and Ingress checks, never the Service mutator', () => {
    expect(mutating.webhooks.map((webhook: Manifest) => webhook.name)).toEqual(['mpod.elbv2.k8s.aws', 'mtargetgroupbinding.elbv2.k8s.aws']);
    expect(validating.webhooks.map((webhook: Manifest) => webhook.name)).toEqual([
      'vingressclassparams.elbv2.k8s.aws',
      'vtargetgroupbinding.elbv2.k8s.aws',
      'vingress.elbv2.k8s.aws',
    ]);
    expect(JSON.stringify(all)).not.toContain('mservice');
    expect(all.flatMap((webhook: Manifest) => webhook.rules.flatMap((rule: Manifest) => rule.resources))).not.toContain('services');
  });

  it('injects readiness gates only in namespaces labelled for it, never into the controller itself', () => {
    const [podMutator] = mutating.webhooks;
    const controllerLabels = find(dev, 'Deployment', 'aws-load-balancer-controller').spec.template.metadata.labels;

    expect(podMutator.namespaceSelector).toEqual({
      matchExpressions: [{ key: 'elbv2.k8s.aws/pod-readiness-gate-inject', operator: 'In', values: ['enabled'] }],
    });
    expect(podMutator.objectSelector.matchExpressions).toEqual([
      { key: 'app.kubernetes.io/name', operator: 'NotIn', values: [controllerLabels['app.kubernetes.io/name']] },
      { key: 'elbv2.k8s.aws/pod-readiness-gate-inject', operator: 'In', values: ['enabled'] },
    ]);
    expect(podMutator.failurePolicy).toBe('Fail');
    expect(podMutator.rules).toEqual([{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }]);
  });

  it('lets cert-manager inject the CA from the serving Certificate, and renders no caBundle', () => {
    const serving = find(dev, 'Certificate', 'aws-load-balancer-serving-cert');

    for (const configuration of [mutating, validating]) {
      expect(configuration.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': `${NS}/${serving.metadata.name}` });
    }
    for (const webhook of all) expect(webhook.clientConfig).not.toHaveProperty('caBundle');
  });

  it('registers the v3.5.0 chart webhooks we use, with the same paths, rules and selectors, speaking admission v1', () => {
    // From chart 3.5.0 templates/webhook.yaml: name, path, rules, and the objectSelector the chart
    // gives it (all but the pod mutator, whose selector is narrower here, see above).
    const chart: Record<string, { path: string; resources: string[]; apiGroups: string[]; controllerExcluded: boolean }> = {
      'mpod.elbv2.k8s.aws': { path: '/mutate-v1-pod', resources: ['pods'], apiGroups: [''], controllerExcluded: true },
      'mtargetgroupbinding.elbv2.k8s.aws': { path: '/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding', resources: ['targetgroupbindings'], apiGroups: ['elbv2.k8s.aws'], controllerExcluded: false },
      'vingressclassparams.elbv2.k8s.aws': { path: '/validate-elbv2-k8s-aws-v1beta1-ingressclassparams', resources: ['ingressclassparams'], apiGroups: ['elbv2.k8s.aws'], controllerExcluded: true },
      'vtargetgroupbinding.elbv2.k8s.aws': { path: '/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding', resources: ['targetgroupbindings'], apiGroups: ['elbv2.k8s.aws'], controllerExcluded: false },
      'vingress.elbv2.k8s.aws': { path: '/validate-networking-v1-ingress', resources: ['ingresses'], apiGroups: ['networking.k8s.io'], controllerExcluded: false },
    };
    expect(all.map((webhook: Manifest) => webhook.name).sort()).toEqual(Object.keys(chart).sort());
    for (const webhook of all) {
      const expected = chart[webhook.name]!;
      expect(webhook.admissionReviewVersions).toEqual(['v1']);
      expect(webhook.clientConfig.service.path).toBe(expected.path);
      expect(webhook.rules.flatMap((rule: Manifest) => rule.resources)).toEqual(expected.resources);
      expect(webhook.rules.flatMap((rule: Manifest) => rule.apiGroups)).toEqual(expected.apiGroups);
      const excludesController = (webhook.objectSelector?.matchExpressions ?? []).some(
        (expression: Manifest) => expression.key === 'app.kubernetes.io/name' && expression.operator === 'NotIn',
      );
      expect(excludesController, webhook.name).toBe(expected.controllerExcluded);
    }
  });

  it('calls the webhook Service on 443, fails closed, and has no side effects', () => {
    for (const webhook of all) {
      expect(webhook.clientConfig.service).toMatchObject({ name: 'aws-load-balancer-webhook-service', namespace: NS, port: 443 });
      expect(webhook.failurePolicy).toBe('Fail');
      expect(webhook.sideEffects).toBe('None');
    }
  });
});

describe('webhook certificates', () => {
  const selfSigned = find(dev, 'Issuer', 'aws-load-balancer-selfsigned-issuer');
  const root = find(dev, 'Certificate', 'aws-load-balancer-root-cert');
  const ca = find(dev, 'Issuer', 'aws-load-balancer-root-issuer');
  const serving = find(dev, 'Certificate', 'aws-load-balancer-serving-cert');

  it('chains self-signed issuer → CA certificate → CA issuer → serving certificate', () => {
    expect(selfSigned.spec).toEqual({ selfSigned: {} });
    expect(root.spec.isCA).toBe(true);
    expect(root.spec.issuerRef).toMatchObject({ name: selfSigned.metadata.name, kind: 'Issuer' });
    expect(ca.spec).toEqual({ ca: { secretName: root.spec.secretName } });
    expect(serving.spec.issuerRef).toMatchObject({ name: ca.metadata.name, kind: 'Issuer' });
    expect(serving.spec.isCA).toBeUndefined();
  });

  it('names the webhook Service in the serving certificate and renews it before expiry', () => {
    expect(serving.spec.dnsNames).toEqual([
      'aws-load-balancer-webhook-service.kube-system.svc',
      'aws-load-balancer-webhook-service.kube-system.svc.cluster.local',
    ]);
    expect(serving.spec.secretName).toBe('aws-load-balancer-tls');
    expect(serving.spec.usages).toContain('server auth');
    expect(serving.spec).toMatchObject({ duration: '8760h', renewBefore: '720h' });
  });

  it('syncs link by link: self-signed issuer and root, then the CA issuer, then the serving certificate, then the Deployment', () => {
    const wave = (manifest: Manifest) => Number(manifest.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

    expect(wave(selfSigned)).toBe(wave(root));
    expect(wave(root)).toBeLessThan(wave(ca));
    expect(wave(ca)).toBeLessThan(wave(serving));
    expect(wave(serving)).toBeLessThan(wave(find(dev, 'Deployment', 'aws-load-balancer-controller')));
    expect(find(dev, 'Deployment', 'aws-load-balancer-controller').metadata.annotations).toBeUndefined();
  });
});

describe('per-env output', () => {
  const byFile = (manifests: readonly Manifest[]) =>
    new Map(manifests.map((manifest) => [`${manifest.kind}-${manifest.metadata.name}`, JSON.stringify(manifest)]));

  it('differs between dev and prod only in the IRSA role and the Deployment args', () => {
    const [devFiles, prodFiles] = [byFile(dev), byFile(prod)];
    const differing = [...devFiles.keys()].filter((key) => devFiles.get(key) !== prodFiles.get(key));
    const args = (manifests: readonly Manifest[]) => find(manifests, 'Deployment', 'aws-load-balancer-controller').spec.template.spec.containers[0].args;

    expect(differing.sort()).toEqual(['Deployment-aws-load-balancer-controller', 'ServiceAccount-aws-load-balancer-controller']);
    expect(args(dev)).toContain('--cluster-name=fargate-gitops-dev');
    expect(args(prod)).toContain('--cluster-name=fargate-gitops-prod');
    expect(args(dev).find((arg: string) => arg.startsWith('--aws-vpc-id'))).not.toBe(args(prod).find((arg: string) => arg.startsWith('--aws-vpc-id')));
  });
});

describe('delivery', () => {
  it('syncs in kube-system after cert-manager and the CRDs, ignoring the CA bundles cert-manager injects', () => {
    expect(awsLoadBalancerController.delivery).toEqual({
      syncWave: platformSyncWaves.controller,
      namespace: NS,
      ignoreDifferences: [
        { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
        { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      ],
    });
    expect(controllerCrdsSource.syncWave).toBeLessThan(certManagerSource.syncWave);
    expect(certManagerSource.syncWave).toBeLessThan(platformSyncWaves.controller);
    expect(platformSyncWaves.fargateLogging).toBeLessThan(controllerCrdsSource.syncWave);
  });

  it('brings the controller CRDs from upstream at the image tag, read through their kustomization', () => {
    expect(awsLoadBalancerController.upstream).toEqual([controllerCrdsSource, certManagerSource]);
    expect(controllerCrdsSource).toMatchObject({
      repoURL: 'https://github.com/kubernetes-sigs/aws-load-balancer-controller',
      path: 'helm/aws-load-balancer-controller/crds',
      tool: 'kustomize',
      targetRevision: AWS_LOAD_BALANCER_CONTROLLER_VERSION,
      clusterResources: ['apiextensions.k8s.io/CustomResourceDefinition *.elbv2.k8s.aws', 'apiextensions.k8s.io/CustomResourceDefinition globalaccelerators.aga.k8s.aws'],
      runsPods: false,
    });
    expect(controllerCrdsSource.chart).toBeUndefined();
  });

  it('installs cert-manager from its chart with CRDs, its webhook off the Fargate kubelet port, and sized pods', () => {
    const values = certManagerSource.helmValues as Record<string, any>;

    expect(certManagerSource).toMatchObject({
      repoURL: 'https://charts.jetstack.io',
      chart: 'cert-manager',
      targetRevision: CERT_MANAGER_VERSION,
      namespace: 'cert-manager',
      runsPods: true,
    });
    expect(CERT_MANAGER_VERSION).toBe('v1.21.1');
    expect(values.crds).toMatchObject({ enabled: true });
    expect(values.webhook.securePort).toBe(10260);
    expect(values.startupapicheck).toMatchObject({ enabled: true, timeout: '5m' });
    for (const pod of [values, values.webhook, values.cainjector, values.startupapicheck]) {
      expect(pod.resources.requests).toEqual(pod.resources.limits);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(pod.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    }
    expect(certManagerSource.ignoreDifferences?.map((difference) => difference.kind)).toEqual([
      'MutatingWebhookConfiguration',
      'ValidatingWebhookConfiguration',
    ]);
  });

  it('declares the SSM parameters it reads', () => {
    expect(awsLoadBalancerController.parameters.map((definition) => definition.path)).toEqual([
      'platform/aws-load-balancer-controller/role-arn',
      'network/vpc-id',
      'cluster/name',
    ]);
  });
});

describe('controller add-ons (WAF, WAFv2, Shield)', () => {
  const objects = (extra: Manifest[], controller: readonly Manifest[] = dev) =>
    [...controller, ...extra].map((manifest) => ({ component: 'aws-load-balancer-controller', file: `aws-load-balancer-controller/${manifest.kind.toLowerCase()}-${manifest.metadata.name}.yaml`, manifest }));
  const params = (spec: Record<string, unknown>) => ({ apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'IngressClassParams', metadata: { name: 'public' }, spec });
  const ingress = (annotations: Record<string, string>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'web', annotations }, spec: {} });

  it('accepts the env as rendered: nothing asks for an add-on that is off', () => {
    expect(controllerAddonsCheck({ env: environments.dev.env, objects: objects([]) })).toEqual([]);
  });

  it('refuses IngressClassParams naming a WAFv2 ACL, and Ingress WAF and Shield annotations, while the add-ons are off', () => {
    const problems = controllerAddonsCheck({
      env: environments.dev.env,
      objects: objects([
        params({ wafv2AclArn: 'arn:aws:wafv2:ap-northeast-1:111111111111:regional/webacl/x/0' }),
        ingress({ 'alb.ingress.kubernetes.io/waf-acl-id': 'x', 'alb.ingress.kubernetes.io/shield-advanced-protection': 'true' }),
      ]),
    });
    expect(problems.map((problem) => `${problem.file} ${problem.parameter}: ${problem.message.split(',')[0]}`)).toEqual([
      'gitops/dev/aws-load-balancer-controller/ingressclassparams-public.yaml spec.wafv2AclArn: asks for wafv2',
      'gitops/dev/aws-load-balancer-controller/ingress-web.yaml metadata.annotations.alb.ingress.kubernetes.io/waf-acl-id: asks for waf',
      'gitops/dev/aws-load-balancer-controller/ingress-web.yaml metadata.annotations.alb.ingress.kubernetes.io/shield-advanced-protection: asks for shield',
    ]);
    expect(problems[0]!.message).toContain('the controller runs with --enable-wafv2=false and would ignore it');
  });

  describe('CONTROLLER_ADDONS_READS', () => {
    const env = environments.dev.env;
    const asking = [
      params({ wafv2AclArn: 'arn:aws:wafv2:ap-northeast-1:111111111111:regional/webacl/x/0' }),
      ingress({ 'alb.ingress.kubernetes.io/waf-acl-id': 'x', 'alb.ingress.kubernetes.io/shield-advanced-protection': 'true' }),
    ];
    const wafv2On = renderFor(awsLoadBalancerControllerComponent({ ...NO_ADDONS, wafv2: true }), 'dev');
    const ingressPlatform = ingressPlatformComponents(env, [{ group: 'internal', namespace: 'admin' }]).flatMap((component) =>
      renderComponent(component, env, environments.dev.parameters),
    );
    // A Deployment of another name or namespace, with the controller's flags off: not the controller.
    const impostor = (name: string, namespace: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: { template: { spec: { containers: [{ name: 'x', image: 'example/x:1.0.0', args: ['--enable-wafv2=false', '--enable-waf=false', '--enable-shield=false'] }] } } },
    });
    type Objects = ReturnType<typeof objects>;
    const fixtures: Record<string, Objects> = {
      'the env as rendered': objects([]),
      'add-ons asked for while off': objects(asking),
      'prod, asking': objects(asking, prod),
      'WAFv2 on, asking': objects(asking, wafv2On),
      'the ingress platform, asking': objects([...ingressPlatform, ...asking]),
      'no controller, asking': objects([impostor('aws-load-balancer-controller', 'web'), impostor('other', 'kube-system'), ...asking], []),
    };
    const check = (rendered: Objects) => controllerAddonsCheck({ env, objects: rendered });
    const found = Object.fromEntries(Object.entries(fixtures).map(([name, rendered]) => [name, JSON.stringify(check(rendered))]));

    it.each(Object.keys(fixtures))('finds the same problems in the objects cut down to what it declares: %s', (name) => {
      expect(check(projected({ objects: fixtures[name]! }, CONTROLLER_ADDONS_READS).objects)).toEqual(check(fixtures[name]!));
    });

    it('has fixtures that find problems, so the comparison is not of empty lists', () => {
      expect(Object.values(found).filter((problems) => problems !== '[]').length).toBeGreaterThanOrEqual(3);
    });

    it('declares nothing the fixtures do not need: without any one path, some fixture finds otherwise', () => {
      const unneeded = declaredPaths(CONTROLLER_ADDONS_READS).filter(({ kind, path }) => {
        const reads = without(CONTROLLER_ADDONS_READS, kind, path);
        return Object.entries(fixtures).every(([name, rendered]) => JSON.stringify(check(projected({ objects: rendered }, reads).objects)) === found[name]);
      });
      expect(unneeded).toEqual([]);
    });

    it('keeps every projection when a release changes only images, commands, env values, probes and resources', () => {
      const project = projector(CONTROLLER_ADDONS_READS);
      for (const { manifest } of Object.values(fixtures).flat()) {
        expect(project(withContainers(manifest, releaseChange))).toEqual(project(manifest));
      }
      const deployment = find(dev, 'Deployment', 'aws-load-balancer-controller');
      expect(withContainers(deployment, releaseChange)).not.toEqual(deployment);
    });
  });
});
