import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parameterName, parameters } from '@gitops/contract';
import type { Component, EnvironmentSpec } from '@gitops/core';
import { ApiObject } from 'cdk8s';
import { afterAll, describe, expect, it } from 'vitest';
import { renderParts, wholeOf } from '../src/render';
import { cacheable, canonical, RenderCache } from '../src/render-cache';

// A render cache key must change with anything that can change a component's output, and only
// with that: the order keys were written in is not an input, a value is.

const dir = mkdtempSync(join(tmpdir(), 'render-cache-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const component = (name: string): Component => ({ name, parameters: [], render() {} });
const env = (apps: Record<string, object>) => ({ name: 'dev', account: '111111111111', region: 'ap-northeast-1', ssmPrefix: '/fargate-gitops/dev', apps }) as unknown as EnvironmentSpec;

describe('canonical', () => {
  it('gives one text whatever the key order, and another for another value', () => {
    expect(canonical({ b: 1, a: { d: [1, 'x'], c: null } })).toBe(canonical({ a: { c: null, d: [1, 'x'] }, b: 1 }));
    expect(canonical({ a: 1 })).not.toBe(canonical({ a: '1' }));
    expect(canonical({ a: undefined })).not.toBe(canonical({}));
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
  });

  it('refuses what is not plain data: a function, a class instance, a Map', () => {
    expect(canonical({ hook: () => 1 })).toBeUndefined();
    expect(canonical({ when: new Date(0) })).toBeUndefined();
    expect(canonical({ apps: new Map() })).toBeUndefined();
  });

  it('names a cacheable component by its key', () => {
    const web = cacheable(component('app-web'), {});

    expect(canonical({ delivered: [web] }, () => 'k1')).toBe(canonical({ delivered: [web] }, () => 'k1'));
    expect(canonical({ delivered: [web] }, () => 'k1')).not.toBe(canonical({ delivered: [web] }, () => 'k2'));
    expect(canonical({ delivered: [component('plain')] })).toBeUndefined();
  });
});

describe('a component key', () => {
  const keyOf = (code: string, spec: EnvironmentSpec, built: Component, parameters = new Map<string, unknown>()) =>
    new RenderCache({ dir, code }).componentKey(spec, built, parameters);

  it('changes with the code, the env spec and what the component was built from, not with key order', () => {
    const app = { name: 'web', image: 'nginx:1' };
    const base = keyOf('code-1', env({ web: { replicas: 1 } }), cacheable(component('app-web'), { app }));

    expect(base).toMatch(/^[0-9a-f]{40}$/);
    expect(keyOf('code-1', env({ web: { replicas: 1 } }), cacheable(component('app-web'), { app: { image: 'nginx:1', name: 'web' } }))).toBe(base);
    expect(keyOf('code-2', env({ web: { replicas: 1 } }), cacheable(component('app-web'), { app }))).not.toBe(base);
    expect(keyOf('code-1', env({ web: { replicas: 2 } }), cacheable(component('app-web'), { app }))).not.toBe(base);
    expect(keyOf('code-1', env({ web: { replicas: 1 } }), cacheable(component('app-web'), { app: { ...app, image: 'nginx:2' } }))).not.toBe(base);
  });

  it('is undefined for a component not declared cacheable, or built from a function', () => {
    expect(keyOf('code-1', env({}), component('custom'))).toBeUndefined();
    expect(keyOf('code-1', env({}), cacheable(component('app-web'), { app: { hook: () => 1 } }))).toBeUndefined();
  });

  it('changes with the value of a parameter the component declares', () => {
    const spec = env({});
    const declaring = () => cacheable({ ...component('platform'), parameters: [parameters.vpcId] }, {});
    const name = parameterName(parameters.vpcId, spec);

    expect(keyOf('code-1', spec, declaring(), new Map([[name, 'vpc-1']]))).not.toBe(keyOf('code-1', spec, declaring(), new Map([[name, 'vpc-2']])));
    expect(keyOf('code-1', spec, declaring(), new Map([[name, 'vpc-1']]))).toBe(keyOf('code-1', spec, declaring(), new Map([[name, 'vpc-1']])));
  });
});

describe('a component that reads the objects before it through a view', () => {
  const spec = { ...env({}), name: 'view' } as EnvironmentSpec;
  const cache = new RenderCache({ dir, code: 'code-view' });
  const scope = `${dir}\nview`;
  const configMap = (name: string, value: string): Component =>
    cacheable({ ...component('first'), render: (chart) => void new ApiObject(chart, 'map', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { value } }) }, { name, value });
  const seen: unknown[][] = [];
  const lister = cacheable<Component>(
    {
      ...component('lister'),
      viewOfBefore: (manifest) => ({ kind: manifest.kind, name: manifest.metadata.name }),
      render(chart, ctx) {
        const views = ctx.renderedBefore!.map((object) => object.manifest);
        seen.push(views);
        new ApiObject(chart, 'list', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'list' }, data: { names: views.map((view) => view.name).join(',') } });
      },
    },
    {},
  );
  const render = (first: Component) => {
    const parts = renderParts(spec, [first, lister], new Map(), { cache, scope });
    return { sources: Object.fromEntries(parts.map((part) => [part.component.name, part.source])), files: wholeOf(spec, parts).files };
  };

  it('sees only the views, and is reused while they are unchanged, however the objects changed', () => {
    render(configMap('a', '1'));
    expect(seen).toEqual([[{ kind: 'ConfigMap', name: 'a' }]]);

    const changedValue = render(configMap('a', '2'));
    expect(seen).toHaveLength(1);
    expect(changedValue.sources).toEqual({ first: 'rendered', lister: 'cached' });

    const renamed = render(configMap('b', '2'));
    expect(seen).toEqual([[{ kind: 'ConfigMap', name: 'a' }], [{ kind: 'ConfigMap', name: 'b' }]]);
    expect(renamed.files.get('lister/configmap-list.yaml')).toContain('names: b');
  });
});
