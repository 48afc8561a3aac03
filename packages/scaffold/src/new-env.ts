import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAwsEnvironment } from '@gitops/contract';
import type { EnvironmentSpec } from '@gitops/core';
import { formatSnapshot } from '@gitops/synth';
import { afterImports, appendItem, parseSource, ScaffoldError, variableInitializer, type Edit, applyEdits } from './edit';
import { emit, quote, Reference, same } from './emit';
import { appPlaceholders, envPlaceholders } from './placeholders';
import { DNS_LABEL, hostInZone, INFRA_ENVIRONMENTS, readRepository, type Repository } from './workspace';
import ts from 'typescript';

export interface NewEnvOptions {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  /** An existing env to copy the apps, logging, Kubernetes version and infra choices of. */
  readonly from?: string;
}

/** Files to write, by repository-relative path. */
export type FileSet = Map<string, string>;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Replaces values equal to an export of clusters/shared.ts by a reference to it, deep inside too (a shared filter). */
function withShared(value: unknown, shared: Readonly<Record<string, unknown>>, used: Set<string>): unknown {
  for (const [name, exported] of Object.entries(shared)) {
    if (exported !== null && typeof exported === 'object' && same(value, exported)) {
      used.add(name);
      return new Reference(name);
    }
  }
  if (Array.isArray(value)) return value.map((item) => withShared(item, shared, used));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withShared(v, shared, used)]));
  return value;
}

function newestKubernetes(environments: Iterable<EnvironmentSpec>): EnvironmentSpec['cluster']['kubernetesVersion'] {
  const versions = [...environments].map((env) => env.cluster.kubernetesVersion).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  return versions.at(-1) ?? '1.33';
}

/** A name built like the pattern env's: its own name swapped for the new one. */
function renamed(value: string, from: string, to: string, fallback: string): string {
  return value.endsWith(from) ? `${value.slice(0, -from.length)}${to}` : fallback;
}

function envSource(options: NewEnvOptions, repo: Repository, pattern: EnvironmentSpec | undefined, from: EnvironmentSpec | undefined): { text: string; spec: EnvironmentSpec } {
  const { name } = options;
  const spec: EnvironmentSpec = {
    name,
    account: options.account,
    region: options.region,
    ssmPrefix: pattern ? renamed(pattern.ssmPrefix, `/${pattern.name}`, `/${name}`, `/fargate-gitops/${name}`) : `/fargate-gitops/${name}`,
    cluster: {
      name: pattern ? renamed(pattern.cluster.name, `-${pattern.name}`, `-${name}`, `fargate-gitops-${name}`) : `fargate-gitops-${name}`,
      kubernetesVersion: from?.cluster.kubernetesVersion ?? newestKubernetes(repo.environments.values()),
    },
    argocd: from?.argocd ?? (repo.shared.argocd as EnvironmentSpec['argocd']) ?? pattern!.argocd,
    fargateProfiles: from?.fargateProfiles ?? (repo.shared.fargateProfiles as EnvironmentSpec['fargateProfiles']) ?? pattern!.fargateProfiles,
    ...(from?.logging
      ? { logging: { ...from.logging, ...(from.logging.logStreamPrefix === `${from.name}-` ? { logStreamPrefix: `${name}-` } : {}) } }
      : {}),
    apps: from?.apps ?? {},
  };
  const used = new Set<string>();
  const field = (key: keyof EnvironmentSpec) => {
    const value = spec[key];
    if (value === undefined) return undefined;
    // `region` and friends, when equal to shared.ts's, are written as the shared name (shorthand).
    if (key in repo.shared && same(value, repo.shared[key])) {
      used.add(key);
      return `  ${key},`;
    }
    return `  ${key}: ${emit(withShared(value, repo.shared, used), 2)},`;
  };
  const body = (['name', 'account', 'region', 'ssmPrefix', 'cluster', 'argocd', 'fargateProfiles', 'logging', 'apps'] as const).map(field).filter(Boolean);
  const command = `pnpm new:env ${name} --account ${options.account} --region ${options.region}${options.from ? ` --from ${options.from}` : ''}`;
  const lines = [
    `import { defineEnvironment } from '@gitops/core';`,
    ...(used.size > 0 ? [`import { ${[...used].sort(byText).join(', ')} } from '../shared';`] : []),
    '',
    `// Written by \`${command}\`; states only what differs from ../shared.ts.`,
    `// Renders from placeholder SSM parameters until its infra is deployed and \`pnpm params:pull --env ${name}\` runs.`,
    'export default defineEnvironment({',
    ...body,
    '});',
    '',
  ];
  return { text: lines.join('\n'), spec };
}

function nextVpcCidr(infra: Readonly<Record<string, any>>): string {
  const taken = new Set(Object.values(infra).map((settings) => Number(/^10\.(\d+)\./.exec(String(settings?.vpcCidr))?.[1])));
  // The envs so far step by 10 (10.10/16, 10.20/16, ...): keep to that, then fill gaps.
  for (let second = 10; second <= 250; second += 10) if (!taken.has(second)) return `10.${second}.0.0/16`;
  for (let second = 1; second <= 255; second++) if (!taken.has(second)) return `10.${second}.0.0/16`;
  throw new ScaffoldError('no free 10.x.0.0/16 left for the VPC: set vpcCidr by hand');
}

const infraBase = (options: NewEnvOptions, repo: Repository, patternName: string | undefined): Record<string, any> =>
  (options.from ? repo.infra[options.from] : patternName ? repo.infra[patternName] : undefined) ?? {};

/** The new env's hosted zone: `<name>.` in place of the pattern env's own first label, with a placeholder ID. */
function infraZone(options: NewEnvOptions, repo: Repository, patternName: string | undefined): { hostedZoneId: string; zoneName: string } {
  const { name } = options;
  const zone: string | undefined = infraBase(options, repo, patternName).dns?.zoneName;
  const of = options.from ?? patternName;
  const zoneName = zone && of && zone.startsWith(`${of}.`) ? `${name}.${zone.slice(of.length + 1)}` : `${name}.${zone ?? 'example.com'}`;
  return { hostedZoneId: `Z${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padStart(19, '0').slice(-19)}`, zoneName };
}

function infraSource(options: NewEnvOptions, repo: Repository, spec: EnvironmentSpec, patternName: string | undefined): string {
  const { name, account, region } = options;
  const base = infraBase(options, repo, patternName);
  const sameRegion = options.from !== undefined && repo.environments.get(options.from)?.region === region;
  const dns = infraZone(options, repo, patternName);
  const settings: Record<string, unknown> = {
    vpcCidr: nextVpcCidr(repo.infra),
    availabilityZones: sameRegion ? base.availabilityZones : [`${region}a`, region === 'ap-northeast-1' ? `${region}c` : `${region}b`],
    natGateways: base.natGateways ?? 1,
    apiPublicAccessCidrs: base.apiPublicAccessCidrs ?? ['203.0.113.0/24'],
    clusterAdminRoleArns: (base.clusterAdminRoleArns ?? ['arn:aws:iam::000000000000:role/fargate-gitops-platform-admin']).map((arn: string) => arn.replace(/::\d{12}:/, `::${account}:`)),
    ...(base.argocdHub ? { argocdHub: base.argocdHub } : {}),
    certificate: { domainName: `*.${dns.zoneName}` },
    dns,
    logRetentionDays: base.logRetentionDays ?? 30,
    protectFromDeletion: base.protectFromDeletion ?? false,
  };
  const appHosts: Record<string, string> = {};
  for (const app of Object.keys(spec.apps).sort(byText)) {
    const host = repo.apps.get(app)?.expose?.host;
    const inZone = host ? hostInZone(host, settings) : undefined;
    if (inZone) appHosts[app] = inZone;
  }
  if (Object.keys(appHosts).length > 0) settings.appHosts = appHosts;
  const ordered = ['vpcCidr', 'availabilityZones', 'natGateways', 'apiPublicAccessCidrs', 'clusterAdminRoleArns', 'argocdHub', 'certificate', 'dns', 'appHosts', 'logRetentionDays', 'protectFromDeletion'];
  const body = ordered.filter((key) => settings[key] !== undefined).map((key) => `  ${key}: ${emit(settings[key], 2)},`);
  return [
    `import { defineInfraSettings } from '../settings';`,
    '',
    `// Written by \`pnpm new:env ${name}\`${options.from ? ` from ${options.from}'s settings` : ''}. Before deploying, replace the placeholders: the hosted`,
    `// zone ID (a delegated zone: the certificate is validated through DNS), the API access CIDRs${base.apiPublicAccessCidrs ? '' : ' (203.0.113.0/24 is a documentation range)'},`,
    `// the admin roles, and the Availability Zones if ${region} names them differently in account ${account}.`,
    'export default defineInfraSettings({',
    ...body,
    '});',
    '',
  ].join('\n');
}

function infraIndexEdit(root: string, name: string): string {
  const path = join(root, INFRA_ENVIRONMENTS, 'index.ts');
  const text = readFileSync(path, 'utf8');
  const source = parseSource(path, text);
  const literal = variableInitializer(source, 'infraSettings');
  const object = literal && ts.isObjectLiteralExpression(literal) ? literal : undefined;
  if (!object) throw new ScaffoldError(`${INFRA_ENVIRONMENTS}/index.ts: no \`infraSettings = { ... }\` object literal to add ${name} to`);
  const identifier = camel(name);
  const edits: Edit[] = [
    { at: afterImports(source), text: `\nimport ${identifier} from './${name}';` },
    appendItem(source, object, identifier === name ? name : `${quote(name)}: ${identifier}`),
  ];
  return applyEdits(text, edits);
}

/** `pnpm new:env`: validates everything, then returns the files to write (nothing is written on a problem). */
export async function planNewEnv(root: string, options: NewEnvOptions): Promise<FileSet> {
  const { name } = options;
  if (!DNS_LABEL.test(name) || name.length > 20) throw new ScaffoldError(`env name "${name}" must be 1-20 lowercase letters, digits and "-", starting with a letter (it names the folder, the cluster and the SSM path)`);
  const identity = checkAwsEnvironment({ name, account: options.account, region: options.region, ssmPrefix: `/fargate-gitops/${name}` });
  if (identity.length > 0) throw new ScaffoldError(`--account/--region: ${identity.join('; ')}`);
  for (const path of [`clusters/${name}`, `${INFRA_ENVIRONMENTS}/${name}.ts`, `gitops/${name}`]) {
    if (existsSync(join(root, path))) throw new ScaffoldError(`env ${name} already exists: ${path} is there`);
  }
  const repo = await readRepository(root);
  if (options.from !== undefined && !repo.environments.has(options.from)) {
    throw new ScaffoldError(`--from ${options.from}: no such env; clusters/ defines ${[...repo.environments.keys()].join(', ')}`);
  }
  const from = options.from === undefined ? undefined : repo.environments.get(options.from);
  const pattern = from ?? repo.environments.values().next().value;
  const { text, spec } = envSource(options, repo, pattern, from);

  const parameters = [
    ...envPlaceholders(spec, infraZone(options, repo, pattern?.name)),
    ...Object.keys(spec.apps).flatMap((app) => {
      const definition = repo.apps.get(app);
      return definition ? appPlaceholders(spec, app, { expose: Boolean(definition.expose), aws: Boolean(definition.aws) }) : [];
    }),
  ];
  const snapshot = formatSnapshot({
    // Never read from SSM: placeholder, and read "at" the epoch rather than a made-up time.
    source: { account: spec.account, region: spec.region, path: spec.ssmPrefix, readAt: '1970-01-01T00:00:00.000Z', placeholder: true },
    parameters: Object.fromEntries(parameters),
  });

  return new Map([
    [`clusters/${name}/env.ts`, text],
    [`clusters/${name}/ssm-snapshot.json`, snapshot],
    [`${INFRA_ENVIRONMENTS}/${name}.ts`, infraSource(options, repo, spec, pattern?.name)],
    [`${INFRA_ENVIRONMENTS}/index.ts`, infraIndexEdit(root, name)],
  ]);
}
