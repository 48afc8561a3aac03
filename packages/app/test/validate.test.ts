import { appOverridesSchema, checkSpec, type AppOverrides } from '@gitops/core';
import { describe, expect, it } from 'vitest';
import { appComponent, appDefinitionProblems, appDefinitionSchema, appProblems, appSetProblems, envReferences, type AlbExposure, type AppDefinition } from '../src/index';
import { shop, testEnv } from './support';

/** `field: message` of every schema issue of a definition or an override (the checks made when the modules load). */
const schemaIssues = (schema: typeof appDefinitionSchema | typeof appOverridesSchema, value: unknown) => checkSpec(schema, value).map((issue) => `${issue.path}: ${issue.message}`);

/** `file parameter: message` of every problem of `app` run with `overrides`. */
function problems(app: AppDefinition, overrides: AppOverrides = {}): string[] {
  return appProblems(testEnv(), [appComponent(app, overrides)]).map((p) => `${p.file} ${p.parameter}: ${p.message}`);
}

describe('appProblems', () => {
  it('finds nothing wrong with a well-formed app', () => {
    expect(problems(shop, { replicas: 3, imageTag: '1.2.4', env: { A: 'b' } })).toEqual([]);
  });

  it('leaves the form of each field to the schema: an image, a port range, a port name', () => {
    expect(schemaIssues(appDefinitionSchema, { ...shop, image: 'Registry/Shop:1', ports: [{ port: 0 }, { port: 8080, name: 'Metrics_Port' }, { port: 65536 }] })).toEqual([
      'image: given "Registry/Shop:1"; expected an image reference ([registry/]path[:tag][@sha256:digest], path in lowercase)',
      'ports[0].port: given 0; expected a port: an integer from 1 to 65535',
      'ports[1].name: given "Metrics_Port"; expected a port name (at most 15 lowercase letters, digits and single hyphens, one letter at least)',
      'ports[2].port: given 65536; expected a port: an integer from 1 to 65535',
    ]);
  });

  it('refuses duplicate ports and port names', () => {
    expect(problems({ ...shop, ports: [{ port: 8080 }, { port: 8080, name: 'http' }] })).toEqual([
      'apps/shop/src/index.ts ports[1].port: port 8080 is listed twice',
      'apps/shop/src/index.ts ports[1].name: port name "http" is used twice',
    ]);
  });

  it('refuses an exposed app without a port, or exposed on a port it does not list', () => {
    expect(problems({ ...shop, ports: [] })).toEqual(['apps/shop/src/index.ts expose: an exposed app needs a port; add one to ports']);
    expect(problems({ ...shop, expose: { port: 9090 } })).toEqual(["apps/shop/src/index.ts expose.port: 9090 is not one of the app's ports"]);
  });

  it('refuses a probe with no or two actions, and on a port the app does not list', () => {
    expect(problems({ ...shop, probes: { liveness: {}, startup: { httpGet: '/up', exec: ['true'] }, readiness: { tcpSocket: true, port: 9 } } })).toEqual([
      "apps/shop/src/index.ts probes.readiness.port: 9 is not one of the app's ports",
      'apps/shop/src/index.ts probes.liveness: needs exactly one of httpGet, tcpSocket, exec',
      'apps/shop/src/index.ts probes.startup: needs exactly one of httpGet, tcpSocket, exec',
    ]);
  });

  it('refuses a grace period that does not cover preStop plus drain', () => {
    expect(problems({ ...shop, shutdown: { preStopSeconds: 30, drainSeconds: 30, terminationGracePeriodSeconds: 60 } })).toEqual([
      'apps/shop/src/index.ts shutdown.terminationGracePeriodSeconds: 60 s must exceed preStop 30 s + drain 30 s, or the kubelet kills the app while it drains',
    ]);
  });

  it('refuses a deregistration delay longer than the pod lives, or over the target group maximum', () => {
    expect(problems({ ...shop, shutdown: { deregistrationDelaySeconds: 300 } })).toEqual([
      'apps/shop/src/index.ts shutdown.deregistrationDelaySeconds: 300 s is longer than the pod lives after deregistration (terminationGracePeriodSeconds 60 s); the ALB would wait on a pod that is gone',
    ]);
    expect(schemaIssues(appDefinitionSchema, { ...shop, shutdown: { deregistrationDelaySeconds: 4000 } })).toEqual([
      'shutdown.deregistrationDelaySeconds: given 4000; expected seconds: an integer from 0 to 3600',
    ]);
  });

  it('refuses static AWS keys in env vars, in the app or an override', () => {
    expect(problems({ ...shop, env: { AWS_SECRET_ACCESS_KEY: 'x' } }, { env: { AWS_ACCESS_KEY_ID: 'y' } })).toEqual([
      'apps/shop/src/index.ts env.AWS_SECRET_ACCESS_KEY: static AWS credentials are refused; give the app an IRSA role with `aws`',
      'clusters/test/env.ts apps.shop.env.AWS_ACCESS_KEY_ID: static AWS credentials are refused; give the app an IRSA role with `aws`',
    ]);
  });

  it('refuses an IRSA role without statements, or allowing every action', () => {
    expect(schemaIssues(appDefinitionSchema, { ...shop, aws: { policy: [] } })).toEqual(['aws.policy: given a list of 0; expected at least 1 statement (an IRSA role without permissions is refused)']);
    expect(problems({ ...shop, aws: { policy: [{ Action: ['*'], Resource: ['*'] }] } })).toEqual([
      'apps/shop/src/index.ts aws.policy[0].Action: "*" allows every AWS action; list the actions the app calls',
    ]);
  });

  it('leaves a bad override to the schema: unknown field, bad tag, negative replicas', () => {
    expect(schemaIssues(appOverridesSchema, { replica: 2, imageTag: 'v1 beta', replicas: -1 })).toEqual([
      'replicas: given -1; expected replicas: an integer from 0 to 500',
      'imageTag: given "v1 beta"; expected an image tag (at most 128 letters, digits, "_", "." and "-")',
      'replica: unknown field; did you mean "replicas"? (expected one of: replicas, imageTag, imageDigest, resources, env, expose)',
    ]);
  });

  it('accepts a $(NAME) reference to an earlier variable, in the app or from an override', () => {
    const app = { ...shop, env: { HOST: 'shop', PORT: '8080', BASE_URL: 'http://$(HOST):$(PORT)' } };
    expect(problems(app, { env: { HOST: 'shop.internal', ORIGIN: '$(BASE_URL)/', API: '$(KUBERNETES_SERVICE_HOST)' } })).toEqual([]);
  });

  it('refuses a $(NAME) reference to a later or undefined variable, in the file of the variable that refers', () => {
    const app = { ...shop, env: { BASE_URL: 'http://$(HOST):8080', HOST: 'shop', LOOP: 'x$(LOOP)' } };
    expect(problems(app, { env: { CALLBACK: '$(ORIGIN)/cb', ORIGIN: '$(MISSING)' } })).toEqual([
      'apps/shop/src/index.ts env.BASE_URL: "$(HOST)" refers to HOST, which comes after BASE_URL; Kubernetes expands $(NAME) only from ' +
        'variables listed before, so the pod would see the literal text. List HOST before BASE_URL, or write $$(HOST) for the literal text',
      'apps/shop/src/index.ts env.LOOP: "$(LOOP)" refers to LOOP itself; Kubernetes expands $(NAME) only from variables listed before, ' +
        'so the pod would see the literal text. Remove the reference, or write $$(LOOP) for the literal text',
      'clusters/test/env.ts apps.shop.env.CALLBACK: "$(ORIGIN)" refers to ORIGIN, which comes after CALLBACK; Kubernetes expands ' +
        '$(NAME) only from variables listed before, so the pod would see the literal text. List ORIGIN before CALLBACK, or write $$(ORIGIN) for the literal text',
      'clusters/test/env.ts apps.shop.env.ORIGIN: "$(MISSING)" refers to MISSING, which no variable of app shop defines; Kubernetes ' +
        'expands $(NAME) only from variables listed before, so the pod would see the literal text. Define MISSING before ORIGIN, or write $$(MISSING) for the literal text',
    ]);
  });

  it('names the other file when an app variable refers to one the env appends after it', () => {
    expect(problems({ ...shop, env: { URL: 'http://$(HOST)' } }, { env: { HOST: 'shop' } })).toEqual([
      'apps/shop/src/index.ts env.URL: "$(HOST)" refers to HOST, which comes after URL (in clusters/test/env.ts); Kubernetes expands ' +
        '$(NAME) only from variables listed before, so the pod would see the literal text. List HOST before URL, or write $$(HOST) for the literal text',
    ]);
  });

  it('refuses an imageTag alone over an image pinned by digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const pinned = { ...shop, image: `registry.example.com/shop:1.2.3@${digest}` };
    expect(problems(pinned, { imageTag: '1.3.0' })).toEqual([
      `clusters/test/env.ts apps.shop.imageTag: app shop's image is pinned by digest ${digest}, which a tag alone would drop; set imageDigest too (or instead)`,
    ]);
    expect(problems(pinned, { imageTag: '1.3.0', imageDigest: `sha256:${'b'.repeat(64)}` })).toEqual([]);
    expect(problems(pinned, { imageDigest: `sha256:${'b'.repeat(64)}` })).toEqual([]);
  });

  it('takes an imageDigest only in OCI form (appOverridesSchema)', () => {
    const expected = 'an image digest ("sha256:" and 64 lowercase hex digits, or "sha512:" and 128)';
    expect(checkSpec(appOverridesSchema, { imageDigest: `sha256:${'b'.repeat(64)}` })).toEqual([]);
    expect(checkSpec(appOverridesSchema, { imageDigest: `sha512:${'c'.repeat(128)}`, imageTag: '1.3.0' })).toEqual([]);
    for (const digest of [`sha256:${'B'.repeat(64)}`, `sha256:${'b'.repeat(63)}`, `md5:${'b'.repeat(32)}`, 'b'.repeat(64)]) {
      expect(checkSpec(appOverridesSchema, { imageDigest: digest }).map((issue) => `${issue.path}: ${issue.message}`), digest).toEqual([
        expect.stringMatching(new RegExp(`^imageDigest: .*${expected.replace(/[()]/g, '\\$&')}`)),
      ]);
    }
  });

  it('refuses a platform namespace', () => {
    expect(problems({ ...shop, namespace: 'kube-system' })).toEqual([
      'apps/shop/src/index.ts namespace: "kube-system" belongs to the platform; an app gets a namespace of its own',
    ]);
  });

  it('leaves a listener-rule priority block outside 1-499 to the schema', () => {
    expect(schemaIssues(appDefinitionSchema, { ...shop, expose: { ...(shop.expose as AlbExposure), priority: 500 } })).toEqual([
      'expose.priority: given 500; expected a listener-rule priority block: an integer from 1 to 499',
    ]);
    expect(schemaIssues(appDefinitionSchema, { ...shop, expose: { ...(shop.expose as AlbExposure), priority: 12 } })).toEqual([]);
  });

  it('leaves a serviceAccountToken that is not a boolean to the schema', () => {
    expect(schemaIssues(appDefinitionSchema, { ...shop, serviceAccountToken: 'yes' })).toEqual(['serviceAccountToken: given "yes"; expected true or false']);
  });

  it('refuses two apps in one namespace', () => {
    const found = appProblems(testEnv(), [appComponent(shop), appComponent({ ...shop, name: 'shop-admin', namespace: 'shop' })]);
    expect(found.map((p) => `${p.component} ${p.parameter}: ${p.message}`)).toEqual([
      'app-shop-admin namespace: namespace "shop" is app shop\'s too; each app needs its own',
    ]);
  });
});

describe('appDefinitionProblems and appSetProblems', () => {
  const env = testEnv();
  const broken = appComponent({ ...shop, ports: [{ port: 8080 }, { port: 8080, name: 'http' }] });
  const sharing = appComponent({ ...shop, name: 'shop-admin', namespace: 'shop', env: { AWS_SECRET_ACCESS_KEY: 'x' } }, { env: { URL: '$(HOST)' } });
  const line = (p: { component: string; parameter: string }) => `${p.component} ${p.parameter}`;

  it("finds an app's own problems from that app alone", () => {
    expect(appDefinitionProblems(env, sharing).map(line)).toEqual(['app-shop-admin env.AWS_SECRET_ACCESS_KEY', 'app-shop-admin apps.shop-admin.env.URL']);
    expect(appDefinitionProblems(env, broken).map(line)).toEqual(['app-shop ports[1].port', 'app-shop ports[1].name']);
  });

  it('finds what needs several apps apart: a namespace two apps share', () => {
    expect(appSetProblems(env, [broken, sharing]).map(line)).toEqual(['app-shop-admin namespace']);
    expect(appSetProblems(env, [sharing])).toEqual([]);
  });

  it("reports every app's own problems in component order, then those of the apps together", () => {
    expect(appProblems(env, [broken, sharing])).toEqual([...appDefinitionProblems(env, broken), ...appDefinitionProblems(env, sharing), ...appSetProblems(env, [broken, sharing])]);
    expect(appProblems(env, [broken, sharing]).map(line).at(-1)).toBe('app-shop-admin namespace');
  });
});

describe('envReferences', () => {
  it.each([
    ['http://$(HOST):$(PORT)', ['HOST', 'PORT']],
    ['$$(HOST) is literal', []],
    ['$$$(HOST)', ['HOST']],
    ['$$$$(HOST)', []],
    ['cost: $5 $(', []],
    ['$(A$(B))', ['A$(B']],
    ['a$', []],
  ])('reads %j as the kubelet does', (value, names) => {
    expect(envReferences(value)).toEqual(names);
  });
});
