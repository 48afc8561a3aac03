import { shutdownTiming } from '@gitops/app';
import { parameterName, parameters, type ParameterDefinition } from '@gitops/contract';
import type { EnvironmentSpec, FargateProfileSpec } from '@gitops/core';
import { discoverModules, readSnapshot, renderAll, type RenderedEnvironment, type Workspace } from '@gitops/synth';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInfraApp, profileSelects } from '../src/index';
import { literalText, referencedId, repoRoot, resourcesOf, trustedServiceAccounts } from './support';

// The proof that the two halves agree, for every env in clusters/: the manifests the generator
// renders (from the committed SSM snapshots) against the templates the infra package synthesizes.
// Snapshot values are placeholders, so objects are tied through parameter names: a manifest holds
// a snapshot value, the snapshot says which parameter holds it, and the template says which
// resource writes that parameter.

type Json = Record<string, any>;
interface EnvCase {
  readonly env: EnvironmentSpec;
  readonly rendered: RenderedEnvironment;
  readonly template: { Resources: Record<string, Json> };
  /** Parameter names by snapshot value. */
  readonly namesByValue: ReadonlyMap<string, string[]>;
}

const envNames = [...discoverModules(repoRoot).environments.keys()];
const cases = new Map<string, EnvCase>();
let workspace: Workspace;

beforeAll(async () => {
  const result = await renderAll({ root: repoRoot });
  workspace = result.workspace;
  const infra = buildInfraApp({ workspace, nag: false, cloudFormationValidation: false });
  for (const rendered of result.rendered) {
    const env = rendered.env;
    const namesByValue = new Map<string, string[]>();
    for (const [name, { value }] of Object.entries(readSnapshot(repoRoot, env).parameters)) {
      namesByValue.set(value, [...(namesByValue.get(value) ?? []), name]);
    }
    const template = Template.fromStack(infra.stacks.get(env.name)!).toJSON() as EnvCase['template'];
    cases.set(env.name, { env, rendered, template, namesByValue });
  }
});

const caseOf = (name: string) => cases.get(name)!;
const manifests = (c: EnvCase, kind: string) => c.rendered.objects.map((object) => object.manifest).filter((manifest) => manifest.kind === kind);

/** The SSM parameters the template writes: name → {type, logical ID of the resource its value refers to}. */
function written(c: EnvCase): Map<string, { type: string; target: string | undefined }> {
  return new Map(
    resourcesOf(c.template, 'AWS::SSM::Parameter').map(([, resource]) => [
      resource.Properties.Name as string,
      { type: resource.Properties.Type as string, target: referencedId(resource.Properties.Value) },
    ]),
  );
}

/** The template resource that writes the value a manifest holds, through the snapshot's parameter name. */
function resourceHolding(c: EnvCase, value: string): { parameter: string; id: string } | undefined {
  const writes = written(c);
  for (const parameter of c.namesByValue.get(value) ?? []) {
    const target = writes.get(parameter)?.target;
    if (target) return { parameter, id: target };
  }
  return undefined;
}

/** Pod templates of the rendered workloads: namespace, labels and pod spec. */
function podTemplates(c: EnvCase): { kind: string; name: string; namespace: string; labels: Record<string, string>; spec: Json }[] {
  const pods: ReturnType<typeof podTemplates> = [];
  for (const { manifest } of c.rendered.objects) {
    const template =
      manifest.kind === 'Pod'
        ? manifest
        : manifest.kind === 'CronJob'
          ? manifest.spec?.jobTemplate?.spec?.template
          : ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(manifest.kind)
            ? manifest.spec?.template
            : undefined;
    if (!template) continue;
    pods.push({ kind: manifest.kind, name: manifest.metadata.name, namespace: manifest.metadata.namespace ?? 'default', labels: template.metadata?.labels ?? {}, spec: template.spec });
  }
  return pods;
}

/** A preStop hook's delay: the native `sleep` action, or an exec of `sleep <n>` before Kubernetes 1.30. */
function preStopSeconds(hook: Json | undefined): number {
  if (hook?.sleep) return Number(hook.sleep.seconds);
  const command = (hook?.exec?.command ?? []).join(' ');
  const match = /(?:^|\s)sleep\s+(\d+)/.exec(command);
  return match ? Number(match[1]) : 0;
}

/** Every Allow statement of an IAM role or policy resource, with its logical ID (inline policies included). */
function allowStatementsByHolder(c: EnvCase): { holder: string; statement: Json }[] {
  const found: { holder: string; statement: Json }[] = [];
  for (const [id, resource] of Object.entries(c.template.Resources)) {
    const documents: Json[] =
      resource.Type === 'AWS::IAM::Role'
        ? (resource.Properties.Policies ?? []).map((policy: Json) => policy.PolicyDocument)
        : ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(resource.Type)
          ? [resource.Properties.PolicyDocument]
          : [];
    const roles = resource.Type === 'AWS::IAM::Role' ? [id] : (resource.Properties.Roles ?? []).map((role: unknown) => referencedId(role) ?? id);
    for (const document of documents) {
      for (const statement of document.Statement as Json[]) {
        if (statement.Effect !== 'Allow') continue;
        for (const holder of roles) found.push({ holder, statement });
      }
    }
  }
  return found;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
// Actions that read a secret value, a parameter value or decrypt with a key; and any wildcard over them.
const SECRET_READING = /^(\*|secretsmanager:(\*|Get\w*|BatchGet\w*)|ssm:(\*|GetParameter\w*)|kms:(\*|Decrypt))$/i;

/**
 * What each app's rendered objects say its role must read: the ExternalSecret's items, through
 * the SecretStores they name, whose service account's annotation names the role. By role logical ID.
 */
function declaredReads(c: EnvCase) {
  const reads = new Map<string, { app: string; serviceAccount: Json; secrets: Set<string>; parameters: Set<string>; kms: boolean }>();
  const region = c.env.region;
  const account = c.env.account;
  for (const external of manifests(c, 'ExternalSecret')) {
    const namespace = external.metadata.namespace;
    const stores = manifests(c, 'SecretStore').filter((store) => store.metadata.namespace === namespace);
    for (const item of external.spec.data as Json[]) {
      const storeName = item.sourceRef?.storeRef?.name ?? external.spec.secretStoreRef.name;
      const store = stores.find((candidate) => candidate.metadata.name === storeName);
      expect(store, `ExternalSecret ${namespace}/${external.metadata.name}: no SecretStore ${storeName}`).toBeDefined();
      const aws = store!.spec.provider.aws;
      expect(aws.region).toBe(region);
      const serviceAccount = manifests(c, 'ServiceAccount').find(
        (sa) => sa.metadata.namespace === namespace && sa.metadata.name === aws.auth.jwt.serviceAccountRef.name,
      );
      expect(serviceAccount, `SecretStore ${namespace}/${storeName}: its service account is not rendered`).toBeDefined();
      const holder = resourceHolding(c, serviceAccount!.metadata.annotations['eks.amazonaws.com/role-arn']);
      expect(holder, `${namespace}/${serviceAccount!.metadata.name}: no role of the stack behind its annotation`).toBeDefined();
      const app = /\/apps\/([^/]+)\/role-arn$/.exec(holder!.parameter)![1]!;
      const entry = reads.get(holder!.id) ?? { app, serviceAccount: serviceAccount!, secrets: new Set<string>(), parameters: new Set<string>(), kms: false };
      if (aws.service === 'SecretsManager') entry.secrets.add(`arn:aws:secretsmanager:${region}:${account}:secret:${item.remoteRef.key}-??????`);
      else entry.parameters.add(`arn:aws:ssm:${region}:${account}:parameter${item.remoteRef.key}`);
      entry.kms ||= Object.values(workspace.apps.get(app)!.secrets ?? {}).some((source) => source.customerKey === true);
      reads.set(holder!.id, entry);
    }
  }
  return reads;
}

describe.each(envNames)('env %s: infra and manifests agree', (name) => {
  it('lets the role of every app with secrets read exactly the secrets and parameters its ExternalSecret reads, as exactly its service account', () => {
    const c = caseOf(name);
    const reads = declaredReads(c);
    // The sample api reads its database password in every env.
    expect([...reads.values()].map((entry) => entry.app)).toContain('api');
    for (const [roleId, entry] of reads) {
      const sa = entry.serviceAccount.metadata;
      expect(c.template.Resources[roleId]!.Type).toBe('AWS::IAM::Role');
      expect(trustedServiceAccounts(c.template, roleId)).toEqual({ subjects: [`system:serviceaccount:${sa.namespace}:${sa.name}`], audiences: ['sts.amazonaws.com'] });

      const granted = allowStatementsByHolder(c).filter(({ holder }) => holder === roleId).map(({ statement }) => statement);
      const resourcesFor = (action: string) =>
        new Set(granted.filter((statement) => list(statement.Action).includes(action)).flatMap((statement) => list(statement.Resource).map(literalText)));
      expect(resourcesFor('secretsmanager:GetSecretValue'), `${entry.app}: Secrets Manager grants`).toEqual(entry.secrets);
      expect(resourcesFor('ssm:GetParameter'), `${entry.app}: parameter grants`).toEqual(entry.parameters);

      // Exactly the declared variables reach the Secret and the container.
      const declared = Object.keys(workspace.apps.get(entry.app)!.secrets ?? {}).sort();
      const external = manifests(c, 'ExternalSecret').find((e) => e.metadata.namespace === sa.namespace)!;
      expect((external.spec.data as Json[]).map((item) => item.secretKey).sort()).toEqual(declared);
      const pod = podTemplates(c).find((p) => p.namespace === sa.namespace)!;
      const fromSecret = pod.spec.containers.flatMap((container: Json) => (container.env ?? []).filter((e: Json) => e.valueFrom?.secretKeyRef));
      expect(fromSecret.map((e: Json) => e.valueFrom.secretKeyRef.name)).toEqual(declared.map(() => external.spec.target.name));
      expect(fromSecret.map((e: Json) => e.valueFrom.secretKeyRef.key).sort()).toEqual(declared);

      // Each declared Secrets Manager secret exists, empty: no value and no generated value.
      for (const arn of entry.secrets) {
        const secretName = /:secret:(.+)-\?{6}$/.exec(arn)![1];
        const secret = resourcesOf(c.template, 'AWS::SecretsManager::Secret').find(([, r]) => r.Properties.Name === secretName);
        expect(secret, `secret ${secretName} is not created by the stack`).toBeDefined();
        expect(Object.keys(secret![1].Properties).filter((key) => key === 'SecretString' || key === 'GenerateSecretString')).toEqual([]);
      }

      // A customer key: decrypt only with the app's own key, only through the services.
      const decrypt = granted.filter((statement) => list(statement.Action).includes('kms:Decrypt'));
      expect(decrypt.length).toBe(entry.kms ? 1 : 0);
      for (const statement of decrypt) {
        const keyId = referencedId(list(statement.Resource)[0]);
        expect(c.template.Resources[keyId!]!.Type).toBe('AWS::KMS::Key');
        expect(c.template.Resources[keyId!]!.Properties.EnableKeyRotation).toBe(true);
        expect(list(statement.Condition.StringEquals['kms:ViaService'])).toEqual([`secretsmanager.${c.env.region}.amazonaws.com`]);
        const encrypted = resourcesOf(c.template, 'AWS::SecretsManager::Secret').filter(([, r]) => referencedId(r.Properties.KmsKeyId) === keyId);
        expect(encrypted.length).toBeGreaterThan(0);
      }
    }
  });

  it('gives no role a secret, parameter or key it was not given: no wildcard, nothing beyond its own app\'s declarations', () => {
    const c = caseOf(name);
    const reads = declaredReads(c);
    const unexpected: string[] = [];
    let checked = 0;
    for (const { holder, statement } of allowStatementsByHolder(c)) {
      const actions = list(statement.Action).map(String).filter((action) => SECRET_READING.test(action));
      if (actions.length === 0) continue;
      const own = reads.get(holder);
      for (const action of actions) {
        checked += 1;
        const allowed = action === 'secretsmanager:GetSecretValue' ? own?.secrets : action === 'ssm:GetParameter' ? own?.parameters : undefined;
        for (const resource of list(statement.Resource)) {
          const text = literalText(resource);
          const ok =
            action === 'kms:Decrypt'
              ? own?.kms === true && c.template.Resources[referencedId(resource) ?? '']?.Type === 'AWS::KMS::Key' && statement.Condition?.StringEquals?.['kms:ViaService']
              : allowed?.has(text) === true;
          if (!ok) unexpected.push(`${holder}: ${action} on ${text}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });

  it('writes every parameter the generator reads, with the type it expects', () => {
    const c = caseOf(name);
    const missing: string[] = [];
    const expect_ = (env: EnvironmentSpec, definition: ParameterDefinition, component: string) => {
      const writes = written(caseOf(env.name));
      const full = parameterName(definition, env);
      const found = writes.get(full);
      if (!found) missing.push(`${component} reads ${full}, which the ${env.name} stack does not write`);
      else if (found.type !== definition.type) missing.push(`${component} reads ${full} as ${definition.type}, the stack writes a ${found.type}`);
    };
    for (const component of c.rendered.components) {
      for (const definition of component.parameters) expect_(c.env, definition, component.name);
      for (const cross of component.crossEnvParameters ?? []) {
        for (const definition of cross.parameters) expect_(cross.env, definition, component.name);
      }
    }
    expect(missing).toEqual([]);
    // The check has teeth: every env's components read parameters.
    expect(c.rendered.components.flatMap((component) => component.parameters).length).toBeGreaterThan(0);
  });

  it('has a role for every IRSA service account, trusting exactly that namespace and name', () => {
    const c = caseOf(name);
    const serviceAccounts = manifests(c, 'ServiceAccount').filter((sa) => sa.metadata.annotations?.['eks.amazonaws.com/role-arn']);
    expect(serviceAccounts.length).toBeGreaterThan(0);
    for (const sa of serviceAccounts) {
      const where = `${sa.metadata.namespace}/${sa.metadata.name}`;
      const holder = resourceHolding(c, sa.metadata.annotations['eks.amazonaws.com/role-arn']);
      expect(holder, `${where}: no role of the stack is published under the parameter its annotation came from`).toBeDefined();
      expect(c.template.Resources[holder!.id]!.Type).toBe('AWS::IAM::Role');
      expect(trustedServiceAccounts(c.template, holder!.id)).toEqual({
        subjects: [`system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`],
        audiences: ['sts.amazonaws.com'],
      });
    }
  });

  it('uses every IRSA role of the stack: a rendered service account carries its ARN', () => {
    const c = caseOf(name);
    const annotated = new Set(
      manifests(c, 'ServiceAccount').flatMap((sa) => {
        const arn = sa.metadata.annotations?.['eks.amazonaws.com/role-arn'];
        return arn ? [resourceHolding(c, arn)?.id] : [];
      }),
    );
    const irsaRoles = resourcesOf(c.template, 'AWS::IAM::Role')
      .filter(([, role]) => role.Properties.AssumeRolePolicyDocument.Statement.some((s: Json) => s.Action === 'sts:AssumeRoleWithWebIdentity'))
      .map(([logicalId]) => logicalId);
    expect(irsaRoles.length).toBeGreaterThan(0);
    expect(irsaRoles.filter((role) => !annotated.has(role))).toEqual([]);
  });

  it('selects every namespace with pods by a Fargate profile of the stack', () => {
    const c = caseOf(name);
    const profiles: FargateProfileSpec[] = resourcesOf(c.template, 'AWS::EKS::FargateProfile').map(([, profile]) => ({
      name: profile.Properties.FargateProfileName,
      selectors: profile.Properties.Selectors.map((selector: Json) => ({
        namespace: selector.Namespace,
        labels: Object.fromEntries((selector.Labels ?? []).map((label: Json) => [label.Key, label.Value])),
      })),
    }));
    const pods = [
      ...podTemplates(c).map((pod) => ({ what: `${pod.kind} ${pod.namespace}/${pod.name}`, namespace: pod.namespace, labels: pod.labels })),
      // Upstream sources (Helm charts Argo CD installs) run pods too, with labels we cannot see.
      ...c.rendered.components.flatMap((component) =>
        (component.upstream ?? []).filter((source) => source.runsPods).map((source) => ({ what: `upstream ${source.name}`, namespace: source.namespace, labels: {} })),
      ),
      { what: 'CoreDNS', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    ];
    expect(pods.length).toBeGreaterThan(1);
    const unselected = pods.filter((pod) => !profiles.some((profile) => profileSelects(profile, pod.namespace, pod.labels)));
    expect(unselected.map((pod) => pod.what)).toEqual([]);
  });

  it("binds every TargetGroupBinding to an ip target group of the stack on the Service's target port, with a fitting deregistration delay", () => {
    const c = caseOf(name);
    const bindings = manifests(c, 'TargetGroupBinding');
    expect(bindings.length).toBeGreaterThan(0);
    const bound = new Set<string>();
    for (const binding of bindings) {
      const namespace = binding.metadata.namespace;
      const where = `TargetGroupBinding ${namespace}/${binding.metadata.name}`;
      const holder = resourceHolding(c, binding.spec.targetGroupARN);
      expect(holder, `${where}: its target group ARN is not published by the stack`).toBeDefined();
      bound.add(holder!.id);
      const group = c.template.Resources[holder!.id]!;
      expect(group.Type).toBe('AWS::ElasticLoadBalancingV2::TargetGroup');
      expect([group.Properties.TargetType, binding.spec.targetType]).toEqual(['ip', 'ip']);

      // serviceRef port → the Service's port → its targetPort, a number or a container port name.
      const service = manifests(c, 'Service').find((s) => s.metadata.namespace === namespace && s.metadata.name === binding.spec.serviceRef.name);
      expect(service, `${where}: no Service ${binding.spec.serviceRef.name}`).toBeDefined();
      const servicePort = service!.spec.ports.find((p: Json) => p.port === binding.spec.serviceRef.port || p.name === binding.spec.serviceRef.port);
      const pod = podTemplates(c).find(
        (p) => p.namespace === namespace && Object.entries(service!.spec.selector as Record<string, string>).every(([key, value]) => p.labels[key] === value),
      )!;
      const containerPorts = pod.spec.containers.flatMap((container: Json) => container.ports ?? []);
      const targetPort =
        typeof servicePort.targetPort === 'string'
          ? containerPorts.find((p: Json) => p.name === servicePort.targetPort)?.containerPort
          : (servicePort.targetPort ?? servicePort.port);
      expect(group.Properties.Port, `${where}: target group port vs the Service's target port`).toBe(targetPort);

      // The ALB lets in-flight requests finish while the pod still serves: at least its preStop
      // delay, never longer than the pod may live after termination starts.
      const app = /\/apps\/([^/]+)\/target-group-arn$/.exec(holder!.parameter)![1]!;
      const delay = Number(group.Properties.TargetGroupAttributes.find((a: Json) => a.Key === 'deregistration_delay.timeout_seconds').Value);
      expect(delay).toBe(shutdownTiming(workspace.apps.get(app)!).deregistrationDelaySeconds);
      const preStop = Math.max(0, ...pod.spec.containers.map((container: Json) => preStopSeconds(container.lifecycle?.preStop)));
      expect(delay).toBeGreaterThanOrEqual(preStop);
      expect(delay).toBeLessThanOrEqual(pod.spec.terminationGracePeriodSeconds);

      // The stack opens only the ALB's side (egress to the pods); the binding's networking rule
      // makes the controller open the pods' side, so every binding must have one for its port.
      const ingress = (binding.spec.networking?.ingress ?? []) as Json[];
      expect(
        ingress.some((rule) => rule.from.some((f: Json) => f.securityGroup) && rule.ports.some((p: Json) => p.port === targetPort || p.port === servicePort.targetPort)),
        `${where}: no networking rule opens the target port to the ALB's security group`,
      ).toBe(true);
      for (const rule of ingress) {
        for (const from of rule.from.filter((f: Json) => f.securityGroup)) {
          const sg = resourceHolding(c, from.securityGroup.groupID);
          expect(sg, `${where}: its security group is not the stack's ALB group`).toBeDefined();
          const egress = c.template.Resources[sg!.id]!.Properties.SecurityGroupEgress as Json[];
          for (const port of rule.ports) {
            // A named port (allowed for ip targets) is the container port of that name.
            const number = typeof port.port === 'string' ? containerPorts.find((p: Json) => p.name === port.port)?.containerPort : port.port;
            expect(egress.some((e) => e.IpProtocol === 'tcp' && e.FromPort <= number && number <= e.ToPort), `${where}: ALB egress on ${port.port}`).toBe(true);
          }
        }
      }
    }
    const groups = resourcesOf(c.template, 'AWS::ElasticLoadBalancingV2::TargetGroup').map(([logicalId]) => logicalId);
    expect(groups.filter((group) => !bound.has(group))).toEqual([]);
  });

  it('publishes the hub parameters (cluster endpoint and CA data) for a hub Argo CD', () => {
    const writes = written(caseOf(name));
    const env = caseOf(name).env;
    for (const definition of [parameters.clusterEndpoint, parameters.clusterCertificateAuthority]) {
      expect(writes.get(parameterName(definition, env))?.type).toBe('String');
    }
    expect(writes.has(parameterName(parameters.argocdDeployerRoleArn, env))).toBe(env.argocd.managedBy !== undefined);
  });

  it('writes only under the env prefix (names are checked against the SSM rules while synthesizing)', () => {
    const c = caseOf(name);
    for (const [parameter] of written(c)) expect(parameter.startsWith(`${c.env.ssmPrefix}/`)).toBe(true);
  });
});

/** The subnet logical IDs a StringList parameter's value joins (`Fn::Join [",", [Ref ...]]`). */
function joinedRefs(value: unknown): string[] {
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })?.['Fn::Join'];
  return join ? join[1].map((part) => referencedId(part)!).filter(Boolean) : [];
}

/** The Allow statements of an IAM role's inline policies, with Action and Resource as lists. */
function allowStatements(role: Json): { actions: string[]; resources: string[] }[] {
  return (role.Properties.Policies as Json[]).flatMap((policy) =>
    (policy.PolicyDocument.Statement as Json[])
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({ actions: [statement.Action].flat(), resources: [statement.Resource].flat() })),
  );
}

// The Ingress way (issue 12): what the ingress-classes and external-dns folders and the apps'
// Ingresses hold, against what the stack makes. Envs without an Ingress app get none of it.
describe.each(envNames)('env %s: the Ingress way agrees with infra', (name) => {
  const ingressApps = () => manifests(caseOf(name), 'Ingress');

  it('tags every subnet for the controller: public ones kubernetes.io/role/elb, private ones kubernetes.io/role/internal-elb', () => {
    const subnets = resourcesOf(caseOf(name).template, 'AWS::EC2::Subnet');
    expect(subnets.length).toBe(4);
    for (const [id, subnet] of subnets) {
      const tags = Object.fromEntries((subnet.Properties.Tags as Json[]).map((tag) => [tag.Key, tag.Value]));
      const role = tags['aws-cdk:subnet-type'] === 'Public' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb';
      const other = role === 'kubernetes.io/role/elb' ? 'kubernetes.io/role/internal-elb' : 'kubernetes.io/role/elb';
      expect([tags[role], tags[other]], id).toEqual(['1', undefined]);
    }
  });

  it('puts each IngressClassParams in subnets of its scheme, with the stack certificate and regional web ACL', () => {
    const c = caseOf(name);
    const writes = written(c);
    const params = manifests(c, 'IngressClassParams').filter((p) => p.spec.group);
    expect(params.length > 0).toBe(ingressApps().length > 0);
    for (const p of params) {
      const where = `IngressClassParams ${p.metadata.name}`;
      const list = c.namesByValue.get(p.spec.subnets.ids.join(',')) ?? [];
      const expected = parameterName(p.spec.scheme === 'internal' ? parameters.privateSubnetIds : parameters.publicSubnetIds, c.env);
      expect(list, `${where}: its subnets come from ${expected}`).toContain(expected);
      const subnets = joinedRefs(resourcesOf(c.template, 'AWS::SSM::Parameter').find(([, r]) => r.Properties.Name === expected)![1].Properties.Value);
      expect(subnets.length).toBe(2);
      for (const id of subnets) {
        const type = (c.template.Resources[id]!.Properties.Tags as Json[]).find((tag) => tag.Key === 'aws-cdk:subnet-type')!.Value;
        expect(type, `${where}: subnet ${id}`).toBe(p.spec.scheme === 'internal' ? 'Private' : 'Public');
      }
      const certificate = resourceHolding(c, p.spec.certificateArn[0]);
      expect(c.template.Resources[certificate!.id]!.Type).toBe('AWS::CertificateManager::Certificate');
      const acl = resourceHolding(c, p.spec.wafv2AclArn);
      expect(c.template.Resources[acl!.id]!.Type).toBe('AWS::WAFv2::WebACL');
      expect(c.template.Resources[acl!.id]!.Properties.Scope).toBe('REGIONAL');
      expect(writes.get(acl!.parameter)!.type).toBe('String');
    }
  });

  it("gives ExternalDNS a role trusting exactly its service account, changing records of one hosted zone: the one it filters on", () => {
    const c = caseOf(name);
    const deployments = manifests(c, 'Deployment').filter((d) => d.metadata.name === 'external-dns');
    const roles = resourcesOf(c.template, 'AWS::IAM::Role').filter(([id]) => id.startsWith('ExternalDnsRole'));
    expect(deployments.length).toBe(ingressApps().length > 0 ? 1 : 0);
    expect(roles.length).toBe(deployments.length);
    for (const deployment of deployments) {
      const sa = manifests(c, 'ServiceAccount').find((s) => s.metadata.namespace === deployment.metadata.namespace && s.metadata.name === deployment.spec.template.spec.serviceAccountName)!;
      const holder = resourceHolding(c, sa.metadata.annotations['eks.amazonaws.com/role-arn'])!;
      expect(holder.id).toBe(roles[0]![0]);
      expect(trustedServiceAccounts(c.template, holder.id)).toEqual({ subjects: ['system:serviceaccount:kube-system:external-dns'], audiences: ['sts.amazonaws.com'] });

      const args: string[] = deployment.spec.template.spec.containers[0].args;
      const zoneId = args.find((arg) => arg.startsWith('--zone-id-filter='))!.split('=')[1]!;
      const zoneParameter = resourcesOf(c.template, 'AWS::SSM::Parameter').find(([, r]) => r.Properties.Name === parameterName(parameters.dnsHostedZoneId, c.env))!;
      expect(zoneParameter[1].Properties.Value).toBe(zoneId);
      const statements = allowStatements(c.template.Resources[holder.id]!);
      const zoneScoped = statements.filter((s) => s.actions.some((action) => action !== 'route53:ListHostedZones'));
      expect(zoneScoped.flatMap((s) => s.resources)).toEqual([`arn:aws:route53:::hostedzone/${zoneId}`]);
      expect(zoneScoped.flatMap((s) => s.actions).sort()).toEqual(['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources']);
      // The one wildcard: ListHostedZones takes no resource ARN.
      expect(statements.filter((s) => s.resources.includes('*'))).toEqual([{ actions: ['route53:ListHostedZones'], resources: ['*'] }]);
    }
  });

  it("keeps the controller's policy able to build an ALB from an Ingress", () => {
    const c = caseOf(name);
    const holder = resourceHolding(c, manifests(c, 'ServiceAccount').find((s) => s.metadata.name === 'aws-load-balancer-controller')!.metadata.annotations['eks.amazonaws.com/role-arn'])!;
    const actions = new Set(allowStatements(c.template.Resources[holder.id]!).flatMap((s) => s.actions));
    const needed = [
      'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateListener', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:CreateTargetGroup',
      'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets',
      'ec2:CreateSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:DescribeSubnets', 'acm:DescribeCertificate',
      'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL',
    ];
    expect(needed.filter((action) => !actions.has(action))).toEqual([]);
  });

  it("drains an Ingress app's target group as long as the app's shutdownTiming says, within the pod's life", () => {
    const c = caseOf(name);
    for (const ingress of ingressApps()) {
      const app = workspace.apps.get(ingress.metadata.name)!;
      const delay = Number(/deregistration_delay\.timeout_seconds=(\d+)/.exec(ingress.metadata.annotations['alb.ingress.kubernetes.io/target-group-attributes'])![1]);
      expect(delay).toBe(shutdownTiming(app).deregistrationDelaySeconds);
      const pod = podTemplates(c).find((p) => p.namespace === ingress.metadata.namespace)!;
      const preStop = Math.max(0, ...pod.spec.containers.map((container: Json) => preStopSeconds(container.lifecycle?.preStop)));
      expect(delay).toBeGreaterThanOrEqual(preStop);
      expect(delay).toBeLessThanOrEqual(pod.spec.terminationGracePeriodSeconds);
    }
  });
});
