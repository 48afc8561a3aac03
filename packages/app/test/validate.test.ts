import type { AppOverrides } from '@gitops/core';
import { describe, expect, it } from 'vitest';
import { appComponent, appProblems, type AppDefinition } from '../src/index';
import { shop, testEnv } from './support';

/** `file parameter: message` of every problem of `app` run with `overrides`. */
function problems(app: AppDefinition, overrides: AppOverrides = {}): string[] {
  return appProblems(testEnv(), [appComponent(app, overrides)]).map((p) => `${p.file} ${p.parameter}: ${p.message}`);
}

describe('appProblems', () => {
  it('finds nothing wrong with a well-formed app', () => {
    expect(problems(shop, { replicas: 3, imageTag: '1.2.4', env: { A: 'b' } })).toEqual([]);
  });

  it('refuses an invalid image reference, naming the app file and field', () => {
    const found = appProblems(testEnv(), [appComponent({ ...shop, image: 'Registry/Shop:1' })]);
    expect(found).toEqual([
      {
        env: 'test',
        component: 'app-shop',
        file: 'apps/shop/src/index.ts',
        parameter: 'image',
        message: '"Registry/Shop:1" is not an image reference ([registry/]path[:tag][@sha256:digest], path in lowercase)',
      },
    ]);
  });

  it('refuses ports outside 1-65535, and each one separately', () => {
    expect(problems({ ...shop, ports: [{ port: 0 }, { port: 8080 }, { port: 65536 }] })).toEqual([
      'apps/shop/src/index.ts ports[0].port: 0 is outside 1-65535',
      'apps/shop/src/index.ts ports[2].port: 65536 is outside 1-65535',
    ]);
  });

  it('refuses duplicate ports and bad port names', () => {
    expect(problems({ ...shop, ports: [{ port: 8080 }, { port: 8080, name: 'Metrics_Port' }] })).toEqual([
      'apps/shop/src/index.ts ports[1].port: port 8080 is listed twice',
      'apps/shop/src/index.ts ports[1].name: "Metrics_Port" is not a port name (at most 15 lowercase letters, digits and single hyphens, one letter at least)',
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
    expect(problems({ ...shop, shutdown: { deregistrationDelaySeconds: 4000 } })).toEqual([
      'apps/shop/src/index.ts shutdown.deregistrationDelaySeconds: 4000 s is over the target group maximum of 3600 s',
    ]);
  });

  it('refuses static AWS keys in env vars, in the app or an override', () => {
    expect(problems({ ...shop, env: { AWS_SECRET_ACCESS_KEY: 'x' } }, { env: { AWS_ACCESS_KEY_ID: 'y' } })).toEqual([
      'apps/shop/src/index.ts env.AWS_SECRET_ACCESS_KEY: static AWS credentials are refused; give the app an IRSA role with `aws`',
      'clusters/test/env.ts apps.shop.env.AWS_ACCESS_KEY_ID: static AWS credentials are refused; give the app an IRSA role with `aws`',
    ]);
  });

  it('refuses an IRSA role without statements, or allowing every action', () => {
    expect(problems({ ...shop, aws: { policy: [] } })).toEqual(['apps/shop/src/index.ts aws.policy: an IRSA role needs at least one statement']);
    expect(problems({ ...shop, aws: { policy: [{ Action: ['*'], Resource: ['*'] }] } })).toEqual([
      'apps/shop/src/index.ts aws.policy[0].Action: "*" allows every AWS action; list the actions the app calls',
    ]);
  });

  it('refuses a bad override against the env file: unknown field, bad tag, negative replicas', () => {
    const overrides = { replica: 2, imageTag: 'v1 beta', replicas: -1 } as AppOverrides;
    expect(problems(shop, overrides)).toEqual([
      'clusters/test/env.ts apps.shop.replica: unknown override; an env may set replicas, imageTag, resources, env',
      'clusters/test/env.ts apps.shop.replicas: -1 is not an integer >= 0',
      'clusters/test/env.ts apps.shop.imageTag: "v1 beta" is not an image tag (letters, digits, "_", ".", "-", at most 128)',
    ]);
  });

  it('refuses an unknown definition field and a platform namespace', () => {
    expect(problems({ ...shop, namespace: 'kube-system', replica: 2 } as AppDefinition)).toEqual([
      'apps/shop/src/index.ts replica: unknown field; defineApp accepts name, image, namespace, ports, command, args, resources, env, probes, replicas, runAsUser, writablePaths, aws, secrets, expose, autoscaling, shutdown, extend',
      'apps/shop/src/index.ts namespace: "kube-system" belongs to the platform; an app gets a namespace of its own',
    ]);
  });

  it('refuses two apps in one namespace', () => {
    const found = appProblems(testEnv(), [appComponent(shop), appComponent({ ...shop, name: 'shop-admin', namespace: 'shop' })]);
    expect(found.map((p) => `${p.component} ${p.parameter}: ${p.message}`)).toEqual([
      'app-shop-admin namespace: namespace "shop" is app shop\'s too; each app needs its own',
    ]);
  });
});
