import { projector, type EnvironmentSpec } from '@gitops/core';
import { schemaValidator } from '@gitops/schemas';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  awsObservability,
  FARGATE_LOGGING_READS,
  fargateLoggingCheck,
  fargateLoggingRules,
  renderFluentBit,
  validateFargateLogging,
  type FargateLoggingRule,
} from '../src/index';
import { declaredPaths, projected, releaseChange, withContainers, without } from '../../core/test/read-paths-support';
import { environments, find, renderComponent, renderFor, type EnvName, type Manifest } from './support/render';

const output = ['[OUTPUT]', '    Name              cloudwatch_logs', '    Match             kube.*', '    region            ap-northeast-1', '    log_group_name    /eks/pods', '    auto_create_group false', ''].join('\n');
const criFilter = ['[FILTER]', '    Name     parser', '    Match    kube.*', '    Key_Name log', '    Parser   cri', ''].join('\n');
const kubernetesFilter = ['[FILTER]', '    Name  kubernetes', '    Match kube.*', ''].join('\n');
const criParser = ['[PARSER]', '    Name   cri', '    Format regex', '    Regex  ^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>[^ ]*) (?<log>.*)$', ''].join('\n');
/** A ConfigMap Fargate accepts and that parses CRI lines; each rule's test breaks it in one way. */
const valid: Record<string, string> = {
  'output.conf': output,
  'filters.conf': `${criFilter}\n${kubernetesFilter}`,
  'parsers.conf': criParser,
  flb_log_cw: 'false',
};
const withFilters = (...lines: string[]) => ({ ...valid, 'filters.conf': `${valid['filters.conf']}\n${lines.join('\n')}\n` });
const rulesBroken = (data: Record<string, string>, kubernetesMinor?: number) =>
  validateFargateLogging(data, { kubernetesMinor }).map((violation) => violation.rule);

const configMap = (manifests: readonly Manifest[]) => find(manifests, 'ConfigMap', 'aws-logging');
const logging = Object.fromEntries(
  (Object.keys(environments) as EnvName[]).map((name) => [name, renderFor(awsObservability, name)]),
) as Record<EnvName, Manifest[]>;

describe('validateFargateLogging', () => {
  it('accepts a minimal valid ConfigMap', () => {
    expect(validateFargateLogging(valid, { kubernetesMinor: 33 })).toEqual([]);
  });

  it.each(Object.keys(logging) as EnvName[])('accepts the rendered %s ConfigMap', (name) => {
    const minor = Number(environments[name].env.cluster.kubernetesVersion.split('.')[1]);

    expect(validateFargateLogging(configMap(logging[name]).data, { kubernetesMinor: minor })).toEqual([]);
  });

  it('size: rejects more than 5300 characters, counting keys and values', () => {
    const data = withFilters('[FILTER]', '    Name    grep', '    Match   kube.*', `    Exclude log ${'x'.repeat(5300)}`);

    expect(rulesBroken(data)).toEqual(['size']);
  });

  it('keys: rejects a key Fargate does not read', () => {
    expect(rulesBroken({ ...valid, 'fluent-bit.conf': 'x' })).toEqual(['keys']);
  });

  it('flb-log-cw: rejects a value other than "true" or "false"', () => {
    expect(rulesBroken({ ...valid, flb_log_cw: 'yes' })).toEqual(['flb-log-cw']);
  });

  it.each([
    ['an INPUT section', ['[INPUT]', '    Name tail', '    Path /var/log/app.log']],
    ['a SERVICE section', ['[SERVICE]', '    Flush 5']],
    ['an @INCLUDE directive', ['@INCLUDE extra.conf']],
    ['an @SET directive', ['@SET group=/eks/pods']],
  ])('sections: rejects %s', (_, lines) => {
    expect(rulesBroken(withFilters(...lines))).toEqual(['sections']);
  });

  it('section-key: rejects an OUTPUT section under filters.conf', () => {
    expect(rulesBroken(withFilters('[OUTPUT]', '    Name  cloudwatch_logs', '    Match kube.*'))).toEqual(['section-key']);
  });

  it.each([
    ['a key that is not indented', ['[FILTER]', 'Name  grep', '    Match kube.*', '    Exclude log x']],
    ['keys indented differently', ['[FILTER]', '    Name  grep', '      Match kube.*', '    Exclude log x']],
    ['an indented section header', ['  [FILTER]', '    Name  grep', '    Match kube.*', '    Exclude log x']],
    ['a key without a value', ['[FILTER]', '    Name  grep', '    Match kube.*', '    Exclude']],
  ])('layout: rejects %s', (_, lines) => {
    expect(rulesBroken(withFilters(...lines))).toEqual(['layout']);
  });

  it('layout: rejects a key outside any section', () => {
    expect(rulesBroken({ ...valid, 'filters.conf': `    Name grep\n${valid['filters.conf']}` })).toEqual(['layout']);
  });

  it.each([
    ['a FILTER without Match', withFilters('[FILTER]', '    Name    grep', '    Exclude log x')],
    ['a FILTER without Name', withFilters('[FILTER]', '    Match   kube.*', '    Exclude log x')],
    ['an OUTPUT without Match', { ...valid, 'output.conf': '[OUTPUT]\n    Name cloudwatch_logs\n    region ap-northeast-1\n' }],
    ['a PARSER without Format', { ...valid, 'parsers.conf': `${criParser}\n[PARSER]\n    Name  app\n    Regex ^(?<log>.*)$\n` }],
  ])('required-keys: rejects %s', (_, data) => {
    expect(rulesBroken(data)).toEqual(['required-keys']);
  });

  it('filter-name: rejects a filter Fargate does not allow', () => {
    const violations = validateFargateLogging(withFilters('[FILTER]', '    Name   lua', '    Match  kube.*', '    script f.lua'));

    expect(violations.map((violation) => violation.rule)).toEqual(['filter-name']);
    expect(violations[0]).toMatchObject({ key: 'filters.conf', line: 11 });
    expect(violations[0]!.message).toBe(`rule "filter-name" (${fargateLoggingRules['filter-name']}): filter "lua"`);
  });

  it('output-name: rejects an output Fargate does not allow', () => {
    expect(rulesBroken({ ...valid, 'output.conf': '[OUTPUT]\n    Name  stdout\n    Match kube.*\n' })).toEqual(['output-name']);
  });

  it('variables: rejects ${...} anywhere', () => {
    const data = { ...valid, 'output.conf': output.replace('/eks/pods', '${LOG_GROUP}') };

    expect(rulesBroken(data)).toEqual(['variables']);
  });

  it.each(['Kube_URL https://kubernetes.default.svc:443', 'Kube_CA_File /ca.crt', 'Kube_Token_Command cat /t', 'kube_token_file /t'])(
    'kubernetes-filter-keys: rejects %s in the kubernetes filter',
    (line) => {
      expect(rulesBroken({ ...valid, 'filters.conf': `${criFilter}\n${kubernetesFilter}    ${line}\n` })).toEqual(['kubernetes-filter-keys']);
    },
  );

  it('kubernetes-filter-version: rejects the kubernetes filter before Kubernetes 1.23', () => {
    expect(rulesBroken(valid, 22)).toEqual(['kubernetes-filter-version']);
    expect(rulesBroken(valid, 23)).toEqual([]);
  });

  it('output-required: rejects a ConfigMap without any OUTPUT section', () => {
    const { 'output.conf': _, ...withoutOutput } = valid;

    expect(rulesBroken(withoutOutput)).toEqual(['output-required']);
  });

  it.each([
    ['no filter at all', { ...valid, 'filters.conf': '' }],
    ['the kubernetes filter first', { ...valid, 'filters.conf': `${kubernetesFilter}\n${criFilter}` }],
    ['a parser filter on another key', { ...valid, 'filters.conf': `${criFilter.replace('Key_Name log', 'Key_Name message')}\n${kubernetesFilter}` }],
    ['a parser parsers.conf does not define', { ...valid, 'parsers.conf': criParser.replace('Name   cri', 'Name   other') }],
    ['a parser that captures no log', { ...valid, 'parsers.conf': criParser.replace('(?<log>.*)', '(?<message>.*)') }],
    ['no parsers.conf', { 'output.conf': output, 'filters.conf': valid['filters.conf']!, flb_log_cw: 'false' }],
  ])('cri-parser: rejects %s', (_, data) => {
    expect(rulesBroken(data)).toEqual(['cri-parser']);
  });

  it('grep-after-merge: rejects a grep on log after a kubernetes filter that merges JSON, and accepts it before', () => {
    const grep = ['[FILTER]', '    Name    grep', '    Match   kube.*', '    Exclude log kube-probe/', ''].join('\n');
    const merging = kubernetesFilter.replace('Match kube.*', 'Match kube.*\n    Merge_Log On');

    expect(rulesBroken({ ...valid, 'filters.conf': `${criFilter}\n${merging}\n${grep}` })).toEqual(['grep-after-merge']);
    expect(rulesBroken({ ...valid, 'filters.conf': `${criFilter}\n${grep}\n${merging}` })).toEqual([]);
    expect(rulesBroken({ ...valid, 'filters.conf': `${criFilter}\n${kubernetesFilter}\n${grep}` })).toEqual([]);
  });

  it('has a test above for every rule it enforces', () => {
    expect(Object.keys(fargateLoggingRules).sort()).toEqual(
      (
        [
          'size',
          'keys',
          'flb-log-cw',
          'sections',
          'section-key',
          'layout',
          'required-keys',
          'filter-name',
          'output-name',
          'variables',
          'kubernetes-filter-keys',
          'kubernetes-filter-version',
          'output-required',
          'cri-parser',
          'grep-after-merge',
        ] satisfies FargateLoggingRule[]
      ).sort(),
    );
  });
});

describe('aws-observability component', () => {
  it('labels the aws-observability namespace so Fargate reads its configuration', () => {
    const namespace = find(logging.dev, 'Namespace', 'aws-observability');

    expect(namespace.metadata.labels).toEqual({ 'aws-observability': 'enabled' });
    expect(configMap(logging.dev).metadata.namespace).toBe('aws-observability');
  });

  it('sends container logs to the env log group from SSM, in the env region, without creating the group', () => {
    const { env, parameters } = environments.prod;
    const group = parameters[`${env.ssmPrefix}/logging/fargate-log-group-name`]!.value;

    expect(configMap(logging.prod).data['output.conf']).toBe(
      [
        '[OUTPUT]',
        '    Name              cloudwatch_logs',
        '    Match             kube.*',
        `    region            ${env.region}`,
        `    log_group_name    ${group}`,
        '    log_stream_prefix prod-',
        '    auto_create_group false',
        '',
      ].join('\n'),
    );
  });

  it('shows the per-env choices: dev keeps every line and Fluent Bit logs, prod drops health checks', () => {
    const [dev, prod] = [configMap(logging.dev).data, configMap(logging.prod).data];

    expect(Object.keys(dev).sort()).toEqual(['filters.conf', 'flb_log_cw', 'output.conf', 'parsers.conf']);
    expect(dev.flb_log_cw).toBe('true');
    expect(prod.flb_log_cw).toBe('false');
    expect(dev['filters.conf']).not.toContain('grep');
    expect(prod['filters.conf']).toContain('[FILTER]\n    Name    grep\n    Match   kube.*\n    Exclude log (kube-probe|ELB-HealthChecker)/\n');
    expect(dev['output.conf']).toContain('log_stream_prefix dev-');
  });

  it('parses CRI lines first, drops health checks on the message text, then adds pod metadata, with no key Fargate forbids', () => {
    const filters = configMap(logging.prod).data['filters.conf'] as string;
    const names = [...filters.matchAll(/^ {4}Name\s+(\S+)$/gm)].map((match) => match[1]);

    expect(names).toEqual(['parser', 'grep', 'kubernetes']);
    expect(filters).toMatch(/^\[FILTER\]\n {4}Name +parser\n {4}Match +kube\.\*\n {4}Key_Name +log\n {4}Parser +cri\n/);
    expect(configMap(logging.prod).data['parsers.conf']).toMatch(/^\[PARSER\]\n {4}Name +cri\n {4}Format +regex\n/);
    expect(filters).not.toMatch(/Kube_(URL|CA_File|Token_Command|Token_File)/i);
  });

  it('turns a raw Fargate CRI line into the record of the fixture, and drops a health-check line', () => {
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/fargate-log-line.json', import.meta.url), 'utf8'));
    const data = configMap(logging.prod).data;
    const setting = (text: string, key: string) => new RegExp(`^ {4}${key}\\s+(.+)$`, 'm').exec(text)![1]!;
    // Fluent Bit's regex parser uses Onigmo, whose (?<name>...) groups JavaScript reads the same.
    const cri = new RegExp(setting(data['parsers.conf'], 'Regex'));
    const parse = (line: string) => ({ ...cri.exec(line)!.groups });
    // The kubernetes filter with Merge_Log On and Keep_Log Off: a JSON log replaced by its fields.
    const kubernetes = setting(data['filters.conf'].slice(data['filters.conf'].indexOf('kubernetes')), 'Merge_Log');
    const merge = ({ time: _, log, ...rest }: Record<string, string>) => ({ ...rest, ...(kubernetes === 'On' ? JSON.parse(log!) : { log }) });
    const [, key, pattern] = /^(\S+) (.+)$/.exec(setting(data['filters.conf'], 'Exclude'))!;

    expect(parse(fixture.raw)).toEqual(fixture.afterCriParser);
    expect(merge(parse(fixture.raw))).toEqual(fixture.record);
    expect(new RegExp(pattern!).test(parse(fixture.healthCheck)[key!]!)).toBe(true);
    expect(new RegExp(pattern!).test(parse(fixture.raw)[key!]!)).toBe(false);
  });

  it('adds the env parsers after the CRI parser, and defaults the stream prefix to the env name', () => {
    const env: EnvironmentSpec = {
      ...environments.dev.env,
      name: 'qa',
      logging: { parsers: [{ Name: 'app', Format: 'regex', Regex: '^(?<time>[^ ]+) (?<log>.*)$' }] },
    };
    const parameters = Object.fromEntries(Object.entries(environments.dev.parameters));

    const data = configMap(renderComponent(awsObservability, env, parameters)).data;

    expect(data['parsers.conf']).toMatch(/^\[PARSER\]\n {4}Name +cri\n[^]*\n\n\[PARSER\]\n {4}Name   app\n {4}Format regex\n {4}Regex  \^\(\?<time>\[\^ \]\+\) \(\?<log>\.\*\)\$\n$/);
    expect(data['output.conf']).toContain('log_stream_prefix qa-');
    expect(data.flb_log_cw).toBe('false');
    expect(validateFargateLogging(data)).toEqual([]);
  });

  it.each(Object.keys(logging) as EnvName[])('validates every %s object strictly against the Kubernetes 1.29 schema', (name) => {
    for (const manifest of logging[name]) expect(schemaValidator().validate(manifest)).toEqual([]);
  });
});

describe('renderFluentBit', () => {
  it('repeats a key given a list, keeping the order of keys and values', () => {
    expect(renderFluentBit([{ type: 'FILTER', parameters: { Name: 'modify', Match: '*', Rule: ['a b', 'c d'] } }])).toBe(
      '[FILTER]\n    Name  modify\n    Match *\n    Rule  a b\n    Rule  c d\n',
    );
  });
});

/** The rendered aws-observability folder, as the check is given it. */
const objectsOf = (manifests: readonly Manifest[]) =>
  manifests.map((manifest) => ({ component: 'aws-observability', file: `aws-observability/${manifest.kind.toLowerCase()}-${manifest.metadata.name}.yaml`, manifest }));

/** Prod with an extra filter Fargate refuses, whose script path holds a variable. */
function luaInProd() {
  const env: EnvironmentSpec = { ...environments.prod.env, logging: { extraFilters: [{ Name: 'lua', Match: 'kube.*', script: '/fluent-bit/${SCRIPT}' }] } };
  return { env, objects: objectsOf(renderComponent(awsObservability, env, environments.prod.parameters)) };
}

/** An aws-logging ConfigMap outside aws-observability, which Fargate never reads. */
const elsewhere = {
  component: 'app-web',
  file: 'app-web/configmap-aws-logging.yaml',
  manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-logging', namespace: 'web' }, data: { x: '${Y}' } },
};

describe('fargateLoggingCheck', () => {
  it('reports each violation of a rendered aws-logging ConfigMap with env, file, key and line, and rule', () => {
    const problems = fargateLoggingCheck(luaInProd());

    expect(problems).toEqual([
      {
        env: 'prod',
        component: 'aws-observability',
        file: 'gitops/prod/aws-observability/configmap-aws-logging.yaml',
        parameter: 'data.filters.conf:19',
        message: `Fargate logging rule "variables" (${fargateLoggingRules.variables}): \${SCRIPT}`,
      },
      {
        env: 'prod',
        component: 'aws-observability',
        file: 'gitops/prod/aws-observability/configmap-aws-logging.yaml',
        parameter: 'data.filters.conf:16',
        message: `Fargate logging rule "filter-name" (${fargateLoggingRules['filter-name']}): filter "lua"`,
      },
    ]);
  });

  it('ignores ConfigMaps other than aws-observability/aws-logging', () => {
    expect(fargateLoggingCheck({ env: environments.dev.env, objects: [elsewhere] })).toEqual([]);
  });
});

describe('FARGATE_LOGGING_READS', () => {
  const dev = environments.dev;
  /** The dev folder with its aws-logging data replaced, and a Deployment and a Secret of the same name beside it. */
  const withData = (data: Record<string, string>, apiVersion = 'v1') => ({
    env: dev.env,
    objects: objectsOf([
      ...logging.dev.map((manifest) => (manifest.kind === 'ConfigMap' ? { ...manifest, apiVersion, data } : manifest)),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'aws-logging', namespace: 'aws-observability' }, data: { x: 'eA==' } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'aws-logging', namespace: 'aws-observability' },
        spec: { template: { spec: { containers: [{ name: 'x', image: 'example/x:1.0.0', env: [{ name: 'A', value: 'a' }] }] } } },
      },
    ]),
  });
  const fixtures: Record<string, { env: EnvironmentSpec; objects: ReturnType<typeof objectsOf> }> = {
    ...Object.fromEntries((Object.keys(logging) as EnvName[]).map((name) => [`the rendered ${name} folder`, { env: environments[name].env, objects: objectsOf(logging[name]) }])),
    'prod with a lua filter': luaInProd(),
    'aws-logging elsewhere': { env: dev.env, objects: [elsewhere] },
    'a valid ConfigMap': withData(valid),
    'a key Fargate does not read, and a bad flb_log_cw': withData({ ...valid, 'fluent-bit.conf': 'x', flb_log_cw: 'yes' }),
    'an OUTPUT under filters.conf': withData(withFilters('[OUTPUT]', '    Name  cloudwatch_logs', '    Match kube.*')),
    'a variable and an output Fargate does not allow': withData({ ...valid, 'output.conf': '[OUTPUT]\n    Name  stdout\n    Match ${TAG}\n' }),
    'the kubernetes filter first': withData({ ...valid, 'filters.conf': `${kubernetesFilter}\n${criFilter}` }),
    'broken data in a ConfigMap of another API version': withData({ ...valid, flb_log_cw: 'yes' }, 'v2'),
  };
  const found = Object.fromEntries(Object.entries(fixtures).map(([name, rendered]) => [name, JSON.stringify(fargateLoggingCheck(rendered))]));

  it.each(Object.keys(fixtures))('finds the same problems in the objects cut down to what it declares: %s', (name) => {
    expect(fargateLoggingCheck(projected(fixtures[name]!, FARGATE_LOGGING_READS))).toEqual(fargateLoggingCheck(fixtures[name]!));
  });

  it('has fixtures that find problems, so the comparison is not of empty lists', () => {
    expect(Object.values(found).filter((problems) => problems !== '[]').length).toBeGreaterThanOrEqual(5);
  });

  it('declares nothing the fixtures do not need: without any one path, some fixture finds otherwise', () => {
    const unneeded = declaredPaths(FARGATE_LOGGING_READS).filter(({ kind, path }) => {
      const reads = without(FARGATE_LOGGING_READS, kind, path);
      return Object.entries(fixtures).every(([name, rendered]) => JSON.stringify(fargateLoggingCheck(projected(rendered, reads))) === found[name]);
    });
    expect(unneeded).toEqual([]);
  });

  it('keeps every projection when a release changes only images, commands, args, env values, probes and resources', () => {
    const project = projector(FARGATE_LOGGING_READS);
    const manifests = Object.values(fixtures).flatMap(({ objects }) => objects.map(({ manifest }) => manifest));
    for (const manifest of manifests) {
      expect(project(withContainers(manifest, (container) => ({ ...releaseChange(container), args: ['--next'] })))).toEqual(project(manifest));
    }
    expect(manifests.some((manifest) => JSON.stringify(withContainers(manifest, releaseChange)) !== JSON.stringify(manifest))).toBe(true);
  });
});
