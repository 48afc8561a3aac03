import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli';
import { hashTree, scratchRepo, type Scratch } from './support/scratch';

// The table of realistic mistakes: each is made in a scratch copy of this repository (its
// clusters/, apps/ and gitops/), then `synth` runs through the CLI's own entry point. Every case
// must exit 1, leave gitops/ byte for byte as it was, print one `error:` line per problem that
// names the source file a person must edit and the field in it, and print no stack trace.
// Cases that need the real launcher (a module that throws inside the bundle, a read-only
// gitops/, a held lock, an empty cache) are in launcher-failures.test.ts.

/** One change to a scratch repository. */
type Edit = (scratch: Scratch) => void;

interface Case {
  readonly name: string;
  readonly edits: readonly Edit[];
  /** Each expected problem line contains exactly one of these, in any order: `<file>: <field>: <what>`. */
  readonly lines: readonly string[];
  /** CLI arguments after `synth`. @default none */
  readonly args?: readonly string[];
}

const STG = 'clusters/stg/env.ts';
const DEV = 'clusters/dev/env.ts';
const PROD = 'clusters/prod/env.ts';
const SHARED = 'clusters/shared.ts';
const WEB = 'apps/web/src/index.ts';
const API = 'apps/api/src/index.ts';
const WORKER = 'apps/worker/src/index.ts';
const SNAPSHOT = 'clusters/dev/ssm-snapshot.json';

/** Replaces `from` in a file; a `from` the file does not contain fails the case, so no case silently tests nothing. */
const edit =
  (file: string, from: string | RegExp, to: string): Edit =>
  (scratch) => {
    const before = scratch.read(file);
    const after = before.replace(from, to);
    expect(after, `${file} must contain ${String(from)}`).not.toBe(before);
    scratch.write(file, after);
  };
const write =
  (file: string, content: string): Edit =>
  (scratch) =>
    scratch.write(file, content);
const copy =
  (from: string, to: string, change: readonly [string, string] = ['', '']): Edit =>
  (scratch) =>
    scratch.write(to, scratch.read(from).replace(change[0], change[1]));
const rename =
  (from: string, to: string): Edit =>
  (scratch) => {
    copy(from, to)(scratch);
    scratch.remove(from);
  };

const PEM = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF0qyYOn+nvP4xTqr', '-----END RSA PRIVATE KEY-----'].join('\\n');
// Shapes only: none of these is a live credential.
const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`;
const SLACK_TOKEN = `xoxb-${'123456789012'}-${'1234567890123'}-${'abcdefghijABCDEFGHIJabcd'}`;
const AWS_KEY_ID = `AKIA${'ZQ3X5T7R2W4Y6U8P'}`;
const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${'c2lnbmF0dXJlLXBsYWNlaG9sZGVy'}`;

const cases: readonly Case[] = [
  // Env specs: unknown keys at every depth, with a near miss named.
  { name: 'loging instead of logging', edits: [edit(STG, '  logging: {', '  loging: {')], lines: [`${STG}: loging: unknown field; did you mean "logging"?`] },
  { name: 'a nested typo (lineFilter)', edits: [edit(STG, 'lineFilters:', 'lineFilter:')], lines: [`${STG}: logging.lineFilter: unknown field; did you mean "lineFilters"?`] },
  { name: 'a missing ssmPrefix', edits: [edit(DEV, "  ssmPrefix: '/fargate-gitops/dev',\n", '')], lines: [`${DEV}: ssmPrefix: missing; expected an SSM path`] },
  {
    name: 'a misspelt fargateProfiles',
    edits: [edit(DEV, '  fargateProfiles,', '  fargateProfile: fargateProfiles,')],
    lines: [`${DEV}: fargateProfile: unknown field; did you mean "fargateProfiles"?`, `${DEV}: fargateProfiles: missing; expected a list`],
  },
  { name: 'an unknown top-level key far from any field', edits: [edit(DEV, '  apps: {', '  colour: "blue",\n  apps: {')], lines: [`${DEV}: colour: unknown field (expected one of: name,`] },
  { name: 'an unknown key in cluster', edits: [edit(DEV, "kubernetesVersion: '1.33' }", "kubernetesVersion: '1.33', version: '1.33' }")], lines: [`${DEV}: cluster.version: unknown field`] },
  { name: 'an unknown key in an app override (replica)', edits: [edit(PROD, 'web: { replicas: 3 }', 'web: { replica: 3 }')], lines: [`${PROD}: apps.web.replica: unknown field; did you mean "replicas"?`] },
  // Ranges.
  { name: 'replicas: 3e9 (beyond int32)', edits: [edit(PROD, 'web: { replicas: 3 }', 'web: { replicas: 3e9 }')], lines: [`${PROD}: apps.web.replicas: given 3000000000; expected replicas: an integer from 0 to 500`] },
  { name: 'negative replicas', edits: [edit(STG, 'web: { replicas: 2 }', 'web: { replicas: -1 }')], lines: [`${STG}: apps.web.replicas: given -1; expected replicas: an integer from 0 to 500`] },
  { name: 'fractional replicas', edits: [edit(STG, 'web: { replicas: 2 }', 'web: { replicas: 1.5 }')], lines: [`${STG}: apps.web.replicas: given 1.5; expected replicas: an integer`] },
  { name: 'replicas as a string', edits: [edit(STG, 'web: { replicas: 2 }', "web: { replicas: '2' }")], lines: [`${STG}: apps.web.replicas: given "2"; expected replicas: an integer`] },
  // Forms.
  { name: "kubernetesVersion: '1.99'", edits: [edit(DEV, "kubernetesVersion: '1.33'", "kubernetesVersion: '1.99'")], lines: [`${DEV}: cluster.kubernetesVersion: given "1.99"; expected a quoted Kubernetes version the project supports`] },
  { name: 'an unquoted kubernetesVersion: 1.30', edits: [edit(DEV, "kubernetesVersion: '1.33'", 'kubernetesVersion: 1.30')], lines: [`${DEV}: cluster.kubernetesVersion: given 1.3; expected a quoted Kubernetes version`] },
  { name: "logStreamPrefix: 'stg:*'", edits: [edit(STG, "logStreamPrefix: 'stg-'", "logStreamPrefix: 'stg:*'")], lines: [`${STG}: logging.logStreamPrefix: given "stg:*"; expected a CloudWatch log stream prefix (no ":", "*"`] },
  { name: 'a repoURL without scheme', edits: [edit(DEV, '  argocd,', "  argocd: { ...argocd, repoURL: 'github.com/example-org/fargate-gitops.git' },")], lines: [`${DEV}: argocd.repoURL: given "github.com/example-org/fargate-gitops.git"; expected a repository URL with its scheme`] },
  { name: 'a targetRevision with a space', edits: [edit(DEV, '  argocd,', "  argocd: { ...argocd, targetRevision: 'release 1' },")], lines: [`${DEV}: argocd.targetRevision: given "release 1"; expected a Git branch, tag or commit`] },
  { name: 'managedBy that is not an env name', edits: [edit(DEV, '  argocd,', "  argocd: { ...argocd, managedBy: 'Prod' },")], lines: [`${DEV}: argocd.managedBy: given "Prod"; expected a DNS label`] },
  { name: 'an 11-digit account', edits: [edit(DEV, "account: '111111111111'", "account: '11111111111'")], lines: [`${DEV}: account: given "11111111111"; expected a 12-digit AWS account ID`] },
  { name: 'an account as a number', edits: [edit(DEV, "account: '111111111111'", 'account: 111111111111')], lines: [`${DEV}: account: given 111111111111; expected a 12-digit AWS account ID, quoted`] },
  { name: 'a region that is not one', edits: [edit(DEV, '  region,', "  region: 'tokyo',")], lines: [`${DEV}: region: given "tokyo"; expected an AWS region name`] },
  { name: 'an ssmPrefix ending in /', edits: [edit(DEV, "ssmPrefix: '/fargate-gitops/dev'", "ssmPrefix: '/fargate-gitops/dev/'")], lines: [`${DEV}: ssmPrefix: given "/fargate-gitops/dev/"; expected an SSM path`] },
  { name: 'an ssmPrefix SSM reserves (aws...)', edits: [edit(DEV, "ssmPrefix: '/fargate-gitops/dev'", "ssmPrefix: '/aws/dev'")], lines: [`${DEV}: ssmPrefix: given "/aws/dev"; expected an SSM path: names must not begin with "aws" or "ssm"`] },
  { name: 'a cluster name with a space', edits: [edit(DEV, "name: 'fargate-gitops-dev'", "name: 'fargate gitops dev'")], lines: [`${DEV}: cluster.name: given "fargate gitops dev"; expected an EKS cluster name`] },
  { name: 'an env name that differs from its folder', edits: [edit(DEV, "name: 'dev',", "name: 'development',")], lines: [`${DEV}: name: given "development"; expected "dev", the env's folder clusters/dev/`] },
  { name: 'an env name with "_"', edits: [edit(DEV, "name: 'dev',", "name: 'd_v',")], lines: [`${DEV}: name: given "d_v"; expected a DNS label`] },
  { name: 'fluentBitProcessLogs: "yes"', edits: [edit(DEV, 'fluentBitProcessLogs: true', "fluentBitProcessLogs: 'yes'")], lines: [`${DEV}: logging.fluentBitProcessLogs: given "yes"; expected true or false`] },
  { name: 'a logging filter value with ${...}', edits: [edit(DEV, 'fluentBitProcessLogs: true,', "fluentBitProcessLogs: true,\n    extraFilters: [{ Name: 'grep', Match: '${HOME}' }],")], lines: [`${DEV}: logging.extraFilters[0].Match: given "\${HOME}"; expected a one-line value without \${...}`] },
  { name: 'a parser key that is not a Fluent Bit key', edits: [edit(DEV, 'fluentBitProcessLogs: true,', "fluentBitProcessLogs: true,\n    parsers: [{ Name: 'json', 'Time Key': 'time' }],")], lines: [`${DEV}: logging.parsers[0]["Time Key"]: key "Time Key"; expected a Fluent Bit key`] },
  // Fargate profile limits, checked by synth itself.
  {
    name: 'a Fargate profile with 6 selectors',
    edits: [edit(DEV, '  fargateProfiles,', "  fargateProfiles: [fargateProfiles[0]!, { name: 'apps', selectors: ['a', 'b', 'c', 'd', 'e', 'f'].map((namespace) => ({ namespace })) }],")],
    lines: [`${DEV}: fargateProfiles[1].selectors: given a list of 6; expected at most 5 selectors per profile`],
  },
  {
    name: '11 Fargate profiles',
    edits: [edit(DEV, '  fargateProfiles,', "  fargateProfiles: [...fargateProfiles, ...Array.from({ length: 9 }, (_, i) => ({ name: `extra-${i}`, selectors: [{ namespace: `x${i}` }] }))],")],
    lines: [`${DEV}: fargateProfiles: given a list of 11; expected at most 10 Fargate profiles per cluster`],
  },
  {
    name: 'two Fargate profiles of one name',
    edits: [edit(DEV, '  fargateProfiles,', "  fargateProfiles: [...fargateProfiles, { name: 'apps', selectors: [{ namespace: 'other' }] }],")],
    lines: [`${DEV}: fargateProfiles[2].name: given "apps"; expected a name no other profile has (fargateProfiles[1] is also "apps")`],
  },
  { name: 'a profile without selectors', edits: [edit(DEV, '  fargateProfiles,', "  fargateProfiles: [...fargateProfiles, { name: 'empty', selectors: [] }],")], lines: [`${DEV}: fargateProfiles[2].selectors: given a list of 0; expected at least 1 selector`] },
  { name: 'no Fargate profile at all', edits: [edit(DEV, '  fargateProfiles,', '  fargateProfiles: [],')], lines: [`${DEV}: fargateProfiles: given a list of 0; expected at least 1 Fargate profile`] },
  { name: 'a selector namespace in capitals', edits: [edit(DEV, '  fargateProfiles,', "  fargateProfiles: [...fargateProfiles, { name: 'caps', selectors: [{ namespace: 'Web' }] }],")], lines: [`${DEV}: fargateProfiles[2].selectors[0].namespace: given "Web"; expected a namespace name`] },
  { name: 'a selector with namespaces (plural)', edits: [edit(DEV, '  fargateProfiles,', "  fargateProfiles: [...fargateProfiles, { name: 'plural', selectors: [{ namespaces: ['a'] }] }],")], lines: [`${DEV}: fargateProfiles[2].selectors[0].namespaces: unknown field; did you mean "namespace"?`, `${DEV}: fargateProfiles[2].selectors[0].namespace: missing`] },
  // Per-env overrides.
  { name: "an imageTag 'latest'", edits: [edit(STG, 'api: { replicas: 2 }', "api: { replicas: 2, imageTag: 'latest' }")], lines: [`${STG}: apps.api.imageTag: given "latest"; expected a pinned tag, not "latest"`] },
  { name: 'an imageTag with a space', edits: [edit(STG, 'api: { replicas: 2 }', "api: { replicas: 2, imageTag: '1.4 beta' }")], lines: [`${STG}: apps.api.imageTag: given "1.4 beta"; expected an image tag`] },
  { name: 'a resources override with only cpu', edits: [edit(PROD, "resources: { cpu: '1', memory: '1792Mi' }", "resources: { cpu: '1' }")], lines: [`${PROD}: apps.api.resources.memory: missing; expected a Kubernetes quantity for memory`] },
  { name: 'a cpu quantity that is not one', edits: [edit(PROD, "resources: { cpu: '1', memory: '1792Mi' }", "resources: { cpu: '1 core', memory: '1792Mi' }")], lines: [`${PROD}: apps.api.resources.cpu: given "1 core"; expected a Kubernetes quantity for cpu`] },
  { name: 'an env value that is a number', edits: [edit(DEV, "env: { LOG_LEVEL: 'debug' }", 'env: { LOG_LEVEL: 3 }')], lines: [`${DEV}: apps.api.env.LOG_LEVEL: given 3; expected a string (quote numbers and booleans`] },
  { name: 'an env variable name starting with a digit', edits: [edit(DEV, "env: { LOG_LEVEL: 'debug' }", "env: { '1LEVEL': 'debug' }")], lines: [`${DEV}: apps.api.env["1LEVEL"]: key "1LEVEL"; expected an environment variable name`] },
  { name: 'an app the env lists but apps/ does not define', edits: [edit(DEV, '    worker: {},', '    worker: {},\n    ghost: {},')], lines: [`${DEV}: apps.ghost: lists app "ghost", but apps/ghost/ does not define it`] },
  { name: 'a password in an env override', edits: [edit(DEV, "env: { LOG_LEVEL: 'debug' }", "env: { LOG_LEVEL: 'debug', DB_PASSWORD: 'hunter2hunter2' }")], lines: [`${DEV}: apps.api.env.DB_PASSWORD: given a literal value under a credential's name ("PASSWORD"); expected no credential in Git: declare DB_PASSWORD under \`secrets\` in apps/api/src/index.ts instead`] },
  // Across envs.
  {
    name: 'a copy of stg with only its name changed',
    edits: [copy(STG, 'clusters/stg2/env.ts', ["name: 'stg'", "name: 'stg2'"]), copy('clusters/stg/ssm-snapshot.json', 'clusters/stg2/ssm-snapshot.json')],
    lines: [
      'clusters/stg2/env.ts: cluster.name: given account 222222222222, region ap-northeast-1, cluster "fargate-gitops-stg"; expected a cluster of its own, but env stg (clusters/stg/env.ts) already renders for that cluster',
      'clusters/stg2/env.ts: ssmPrefix: given "/fargate-gitops/stg"; expected a prefix of its own, but env stg (clusters/stg/env.ts) uses "/fargate-gitops/stg"',
    ],
  },
  { name: 'an SSM prefix inside another env\'s', edits: [edit(STG, "ssmPrefix: '/fargate-gitops/stg'", "ssmPrefix: '/fargate-gitops/dev/stg'")], lines: [`${STG}: ssmPrefix: given "/fargate-gitops/dev/stg"; expected a prefix of its own, but env dev (clusters/dev/env.ts) uses "/fargate-gitops/dev"`] },
  { name: 'two apps claiming the same host and path', edits: [edit(API, "host: 'api.example.com'", "host: 'www.example.com'")], lines: [...['dev', 'prod', 'stg'].map((env) => `env ${env}: component app-web: ${WEB}: expose.host: given host www.example.com path /*; expected a host and path no other app of env ${env} claims, but app api (${API}) does`)] },
  // Layout of clusters/ and apps/.
  { name: 'env.ts renamed to Env.ts', edits: [rename(DEV, 'clusters/dev/Env.ts')], lines: ['clusters/dev/: has no env.ts (found Env.ts: the file must be named exactly env.ts); every folder under clusters/ is an env and needs one. To remove env dev, delete the whole folder clusters/dev/'] },
  { name: 'an env folder without env.ts', edits: [write('clusters/qa/ssm-snapshot.json', '{}\n')], lines: ['clusters/qa/: has no env.ts; every folder under clusters/ is an env'] },
  { name: 'a second env file beside env.ts', edits: [write('clusters/dev/env.js', 'export default {};\n')], lines: ['clusters/dev/env.js: a second env file beside env.ts'] },
  { name: 'an env module that throws while loading', edits: [edit(DEV, "import { defineEnvironment } from '@gitops/core';", "import { defineEnvironment } from '@gitops/core';\nthrow new Error('account lookup failed');")], lines: [`${DEV}: failed to load: account lookup failed`] },
  { name: 'an env module without a default export', edits: [edit(DEV, 'export default defineEnvironment(', 'export const env = defineEnvironment(')], lines: [`${DEV}: must default-export defineEnvironment({...})`] },
  { name: 'an app folder without src/index.ts', edits: [write('apps/notes/README.md', 'notes\n')], lines: ['apps/notes/: has no src/index.ts'] },
  // shared.ts: the problem names shared.ts and the export, once, with every env that uses it.
  { name: 'shared.ts: a repoURL without scheme', edits: [edit(SHARED, "repoURL: 'https://", "repoURL: '")], lines: [`${SHARED}: argocd.repoURL: given "github.com/example-org/fargate-gitops.git"; expected a repository URL with its scheme, e.g. https://github.com/org/repo.git or ssh://git@host/org/repo.git; used by clusters/dev/env.ts (as argocd), clusters/prod/env.ts (as argocd), clusters/stg/env.ts (as argocd)`] },
  { name: 'shared.ts: a profile with 6 selectors', edits: [edit(SHARED, "{ namespace: 'worker' }", "{ namespace: 'worker' }, { namespace: 'a' }, { namespace: 'b' }")], lines: [`${SHARED}: fargateProfiles[1].selectors: given a list of 6; expected at most 5 selectors per profile (EKS Fargate limit); used by clusters/dev/env.ts (as fargateProfiles)`] },
  { name: 'shared.ts: a region that is not one', edits: [edit(SHARED, "region = 'ap-northeast-1'", "region = 'ap-northeast'")], lines: [`${SHARED}: region: given "ap-northeast"; expected an AWS region name like ap-northeast-1; used by clusters/dev/env.ts (as region)`] },
  { name: 'shared.ts: a filter value on two lines', edits: [edit(SHARED, "Exclude: 'log (kube-probe|ELB-HealthChecker)/'", "Exclude: 'log kube-probe\\nELB-HealthChecker'")], lines: [`${SHARED}: dropHealthChecks.Exclude: given "log kube-probe\\nELB-HealthChecker"; expected a one-line value without \${...}; used by clusters/prod/env.ts (as logging.lineFilters[0]), clusters/stg/env.ts (as logging.lineFilters[0])`] },
  { name: 'shared.ts: an unknown key in a profile', edits: [edit(SHARED, "{ name: 'platform', selectors:", "{ name: 'platform', subnets: [], selectors:")], lines: [`${SHARED}: fargateProfiles[0].subnets: unknown field (expected one of: name, selectors); used by`] },
  { name: 'shared.ts: a module that throws while loading', edits: [edit(SHARED, "export const region = 'ap-northeast-1';", "export const region = 'ap-northeast-1';\nthrow new Error('shared settings unreadable');")], lines: [`${SHARED}: failed to load: shared settings unreadable`] },
  // App definitions.
  { name: 'healthcheckPath in expose', edits: [edit(WEB, 'healthCheckPath:', 'healthcheckPath:')], lines: [`${WEB}: expose.healthcheckPath: unknown field; did you mean "healthCheckPath"?`] },
  { name: 'an app name with "_"', edits: [edit(WEB, "name: 'web',", "name: 'web_app',")], lines: [`${WEB}: name: given "web_app"; expected a DNS label`] },
  { name: 'an app name that differs from its folder', edits: [edit(WEB, "name: 'web',", "name: 'www',")], lines: [`${WEB}: name: given "www"; expected "web", the app's folder apps/web/`] },
  { name: 'an untagged image', edits: [edit(WEB, "image: 'public.ecr.aws/nginx/nginx-unprivileged:1.27.3'", "image: 'public.ecr.aws/nginx/nginx-unprivileged'")], lines: [`${WEB}: image: given "public.ecr.aws/nginx/nginx-unprivileged"; expected a pinned tag or digest`] },
  { name: 'an image tagged latest', edits: [edit(WEB, ':1.27.3', ':latest')], lines: [`${WEB}: image: given "public.ecr.aws/nginx/nginx-unprivileged:latest"; expected a pinned tag or digest, so that a rollout is a Git diff, not "latest"`] },
  { name: 'a port beyond 65535', edits: [edit(WEB, 'ports: [{ port: 8080 }]', 'ports: [{ port: 80800 }]')], lines: [`${WEB}: ports[0].port: given 80800; expected a port: an integer from 1 to 65535`] },
  { name: 'containerPort instead of port', edits: [edit(WEB, 'ports: [{ port: 8080 }]', 'ports: [{ containerPort: 8080 }]')], lines: [`${WEB}: ports[0].containerPort: unknown field (expected one of: port, name)`, `${WEB}: ports[0].port: missing; expected a port`] },
  { name: 'a port name over 15 characters', edits: [edit(WEB, 'ports: [{ port: 8080 }]', "ports: [{ port: 8080, name: 'http-static-content' }]")], lines: [`${WEB}: ports[0].name: given "http-static-content"; expected a port name`] },
  { name: 'a probe period of 0 s', edits: [edit(WEB, 'tcpSocket: true, periodSeconds: 20', 'tcpSocket: true, periodSeconds: 0')], lines: [`${WEB}: probes.liveness.periodSeconds: given 0; expected seconds: an integer from 1 to 3600`] },
  { name: 'an httpGet probe without "/"', edits: [edit(API, "httpGet: '/livez'", "httpGet: 'livez'")], lines: [`${API}: probes.liveness.httpGet: given "livez"; expected a path starting with "/"`] },
  { name: "tcpSocket: 'yes'", edits: [edit(WEB, 'tcpSocket: true', "tcpSocket: 'yes'")], lines: [`${WEB}: probes.liveness.tcpSocket: given "yes"; expected true`] },
  { name: "IAM Effect 'allow'", edits: [edit(API, "Effect: 'Allow'", "Effect: 'allow'")], lines: [`env dev: component app-api: ${API}: aws.policy(dev)[0].Effect: given "allow"; expected exactly "Allow" or "Deny"`, `env prod: component app-api: ${API}: aws.policy(prod)[0].Effect: given "allow"; expected exactly "Allow" or "Deny"`, `env stg: component app-api: ${API}: aws.policy(stg)[0].Effect: given "allow"; expected exactly "Allow" or "Deny"`] },
  { name: 'an IAM statement without resources', edits: [edit(WORKER, "Resource: [aws.arn('sqs', 'jobs')]", 'Resource: []')], lines: [`env dev: component app-worker: ${WORKER}: aws.policy(dev)[0].Resource: given a list of 0; expected at least 1 resource`, `env prod: component app-worker: ${WORKER}: aws.policy(prod)[0].Resource: given a list of 0; expected at least 1 resource`, `env stg: component app-worker: ${WORKER}: aws.policy(stg)[0].Resource: given a list of 0; expected at least 1 resource`] },
  { name: 'an IAM Action as a string', edits: [edit(WORKER, "Action: ['s3:PutObject']", "Action: 's3:PutObject'")], lines: [`env dev: component app-worker: ${WORKER}: aws.policy(dev)[1].Action: given "s3:PutObject"; expected a list`, `env prod: component app-worker: ${WORKER}: aws.policy(prod)[1].Action: given "s3:PutObject"; expected a list`, `env stg: component app-worker: ${WORKER}: aws.policy(stg)[1].Action: given "s3:PutObject"; expected a list`] },
  { name: 'an empty IAM policy', edits: [edit(API, /policy: \(aws\) => \[[\s\S]*?\n    \],/, 'policy: [],')], lines: [`${API}: aws.policy: given a list of 0; expected at least 1 statement`] },
  { name: 'maxReplicas 0', edits: [edit(WEB, "  probes: {", "  autoscaling: { maxReplicas: 0 },\n  probes: {")], lines: [`${WEB}: autoscaling.maxReplicas: given 0; expected replicas: an integer from 1 to 500`] },
  { name: 'a CPU target of 150 %', edits: [edit(WEB, "  probes: {", "  autoscaling: { maxReplicas: 4, targetCpuPercent: 150 },\n  probes: {")], lines: [`${WEB}: autoscaling.targetCpuPercent: given 150; expected percent: an integer from 1 to 100`] },
  { name: 'a negative preStop delay', edits: [edit(WORKER, 'shutdown: { preStopSeconds: 0,', 'shutdown: { preStopSeconds: -5,')], lines: [`${WORKER}: shutdown.preStopSeconds: given -5; expected seconds: an integer from 0 to 3600`] },
  { name: 'a deregistration delay over the ALB maximum', edits: [edit(API, 'shutdown: { drainSeconds: 20 }', 'shutdown: { drainSeconds: 20, deregistrationDelaySeconds: 5000 }')], lines: [`${API}: shutdown.deregistrationDelaySeconds: given 5000; expected seconds: an integer from 0 to 3600`] },
  { name: "memory '1GB' (not a Kubernetes quantity)", edits: [edit(WEB, "memory: '256Mi'", "memory: '1GB'")], lines: [`${WEB}: resources.memory: given "1GB"; expected a Kubernetes quantity for memory`] },
  { name: 'app resources with only cpu', edits: [edit(WEB, "resources: { cpu: '250m', memory: '256Mi' }", "resources: { cpu: '250m' }")], lines: [`${WEB}: resources.memory: missing; expected a Kubernetes quantity for memory`] },
  { name: 'a relative writable path', edits: [edit(WEB, "  probes: {", "  writablePaths: ['tmp'],\n  probes: {")], lines: [`${WEB}: writablePaths[0]: given "tmp"; expected an absolute path below "/"`] },
  { name: 'runAsUser 0 (root)', edits: [edit(WEB, "  probes: {", '  runAsUser: 0,\n  probes: {')], lines: [`${WEB}: runAsUser: given 0; expected a non-root user ID: an integer from 1 to 2147483647`] },
  { name: 'extend that is not a function', edits: [edit(WEB, "  probes: {", "  extend: 'objects.yaml',\n  probes: {")], lines: [`${WEB}: extend: given "objects.yaml"; expected a function (chart, ctx) => void`] },
  { name: 'an app env value that is a boolean', edits: [edit(API, "LOG_FORMAT: 'json'", 'LOG_FORMAT: true')], lines: [`${API}: env.LOG_FORMAT: given true; expected a string`] },
  { name: 'an app module that throws while loading', edits: [edit(WEB, "import { defineApp } from '@gitops/app';", "import { defineApp } from '@gitops/app';\nthrow new TypeError('config is undefined');")], lines: [`${WEB}: failed to load: TypeError: config is undefined`] },
  { name: 'an app default-exporting a string', edits: [write(WEB, "export default 'web';\n")], lines: [`${WEB}: must default-export defineApp({...})`] },
  { name: 'two apps of one name', edits: [copy(WEB, 'apps/web-copy/src/index.ts')], lines: ['apps/web-copy/src/index.ts: name: given "web", which apps/web/src/index.ts defines too; expected a name of its own, equal to its folder'] },
  // Secrets, by name and by value.
  { name: "DB_PASSWORD: 'hunter2hunter2' in an app's env", edits: [edit(WORKER, "QUEUE_NAME: 'jobs'", "QUEUE_NAME: 'jobs', DB_PASSWORD: 'hunter2hunter2'")], lines: [`${WORKER}: env.DB_PASSWORD: given a literal value under a credential's name ("PASSWORD"); expected no credential in Git: declare DB_PASSWORD under \`secrets\` in apps/worker/src/index.ts instead`] },
  { name: 'a GitHub token under an innocent name', edits: [edit(API, "LOG_FORMAT: 'json'", `LOG_FORMAT: 'json', UPSTREAM: '${GITHUB_TOKEN}'`)], lines: [`${API}: env.UPSTREAM: given a value that looks like GITHUB_TOKEN (secretlint github); expected no credential in Git`] },
  { name: 'a Slack token', edits: [edit(API, "LOG_FORMAT: 'json'", `LOG_FORMAT: 'json', NOTIFY: '${SLACK_TOKEN}'`)], lines: [`${API}: env.NOTIFY: given a value that looks like SLACK_TOKEN (secretlint slack); expected no credential in Git`] },
  { name: 'an AWS access key ID', edits: [edit(WORKER, "QUEUE_NAME: 'jobs'", `QUEUE_NAME: 'jobs', KEY: '${AWS_KEY_ID}'`)], lines: [`${WORKER}: env.KEY: given a value that looks like an AWS access key ID; expected no credential in Git`] },
  { name: 'a PEM private key', edits: [edit(WORKER, "QUEUE_NAME: 'jobs'", `QUEUE_NAME: 'jobs', TLS: '${PEM}'`)], lines: [`${WORKER}: env.TLS: given a value that looks like`] },
  { name: 'a JWT in the arguments', edits: [edit(WORKER, "  replicas: 1,", `  args: ['--session', '${JWT}'],\n  replicas: 1,`)], lines: [`${WORKER}: args[1]: given a value that looks like a JSON Web Token; expected no credential in Git`] },
  { name: 'a --password flag in the arguments', edits: [edit(WORKER, "  replicas: 1,", "  args: ['--password=hunter2hunter2'],\n  replicas: 1,")], lines: [`${WORKER}: args[0]: given a literal value under a credential's name ("password")`] },
  { name: 'a database URL with its password', edits: [edit(API, "TABLE_NAME: 'orders'", "TABLE_NAME: 'orders', DATABASE_URL: 'postgres://app:hunter2hunter2@db.example.com:5432/app'")], lines: [`${API}: env.DATABASE_URL: given a value that looks like PostgreSQLConnection (secretlint database-connection-string)`] },
  // Snapshots.
  { name: 'a snapshot that is not JSON', edits: [write(SNAPSHOT, '{ "source": { "account": "111111111111", }')], lines: [`env dev: ${SNAPSHOT}: not valid JSON: `] },
  {
    name: 'a snapshot parameter with a field it does not know',
    edits: [edit(SNAPSHOT, '"/fargate-gitops/dev/cluster/name": {', '"/fargate-gitops/dev/cluster/name": {\n      "version": 3,')],
    lines: [`env dev: ${SNAPSHOT}: /fargate-gitops/dev/cluster/name: Unrecognized key: "version"`],
  },
  // The command line.
  { name: 'an env that clusters/ does not define', edits: [], args: ['--env', 'qa'], lines: ['env qa: unknown environment; clusters/ defines: dev, prod, stg'] },
];

let repo: Scratch | undefined;
afterEach(() => {
  repo?.dispose();
  repo = undefined;
  vi.restoreAllMocks();
});

async function run(args: readonly string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void stdout.push(parts.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void stderr.push(parts.join(' ')));
  vi.spyOn(console, 'warn').mockImplementation((...parts: unknown[]) => void stderr.push(parts.join(' ')));
  const code = await main(['synth', ...args]);
  return { code, stdout: stdout.flatMap((text) => text.split('\n')), stderr: stderr.flatMap((text) => text.split('\n')) };
}

describe('every mistake in a spec is refused at synth, naming the file and the field', () => {
  it('has at least 60 cases, each a different mistake', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) {
    it(c.name, async () => {
      repo = scratchRepo(['clusters', 'apps', 'gitops']);
      for (const change of c.edits) change(repo);
      const before = hashTree(repo.path('gitops'));

      const { code, stdout, stderr } = await run(['--root', repo.root, ...(c.args ?? [])]);

      const errors = stderr.filter((line) => line.startsWith('error: '));
      expect(code, stderr.join('\n')).toBe(1);
      expect(hashTree(repo.path('gitops')), 'gitops/ must be unchanged').toBe(before);
      expect(errors, stderr.join('\n')).toHaveLength(c.lines.length);
      for (const expected of c.lines) expect(errors.filter((line) => line.includes(expected)), `one line containing: ${expected}\n${errors.join('\n')}`).toHaveLength(1);
      // Every line names a source file (never a generated one) and, but for layout and CLI lines, a field.
      for (const line of errors) expect(line).toMatch(/^error: (env [a-z0-9-]+: )?(component [a-z0-9-]+: )?((clusters|apps|packages)\/\S*|(unknown environment))/);
      expect(stderr.at(-1)).toMatch(/^\d+ problems?; gitops\/ was not changed$/);
      expect([...stdout, ...stderr].join('\n')).not.toMatch(/^\s+at |node_modules\/\.cache/m);
    });
  }
});
