import { describe, expect, it } from 'vitest';
import { mergeReadPaths, projector } from '../src/read-paths';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'api', labels: { app: 'api' }, annotations: { a: 'b' } },
  spec: {
    replicas: 2,
    template: {
      metadata: { labels: { app: 'api' } },
      spec: {
        serviceAccountName: 'api',
        containers: [
          { name: 'api', image: 'example/api:1.2', args: ['--queue=arn:aws:sqs:x', '--verbose'], resources: { requests: { cpu: '250m' } } },
          { name: 'sidecar', image: 'example/sidecar:3' },
        ],
      },
    },
  },
};

describe('projector', () => {
  it('keeps the paths of the object\'s kind and of every kind, with the objects on the way and the length of arrays', () => {
    const view = projector({ '*': ['apiVersion', 'kind', 'metadata.name'], Deployment: ['spec.template.spec.containers[].resources', 'spec.template.metadata.labels.*'] })(deployment);
    expect(view).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: { template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ resources: { requests: { cpu: '250m' } } }, {}] } } },
    });
  });

  it('leaves out what no path names, so a change there leaves the view as it was', () => {
    const project = projector({ '*': ['kind'], Deployment: ['spec.template.spec.containers[].name'] });
    const changed = structuredClone(deployment);
    changed.spec.template.spec.containers[0]!.image = 'example/api:1.3';
    expect(JSON.stringify(project(changed))).toBe(JSON.stringify(project(deployment)));
    changed.spec.template.spec.containers[0]!.name = 'renamed';
    expect(JSON.stringify(project(changed))).not.toBe(JSON.stringify(project(deployment)));
  });

  it('ignores the paths of other kinds', () => {
    expect(projector({ Service: ['spec'] })(deployment)).toEqual({});
  });

  it('keeps the strings `keep` selects where they stand, for the kinds it names', () => {
    const keep = { kinds: new Set(['Deployment']), text: (text: string) => text.endsWith('arn:aws:sqs:x') };
    const view = projector({ '*': ['kind'] }, keep)(deployment);
    expect(view).toEqual({
      kind: 'Deployment',
      spec: { template: { spec: { containers: [{ args: ['--queue=arn:aws:sqs:x', null] }, null] } } },
    });
    expect(projector({ '*': ['kind'] }, keep)({ kind: 'Service', spec: { note: 'arn:aws:sqs:x' } })).toEqual({ kind: 'Service' });
  });

  it('refuses a malformed path', () => {
    expect(() => projector({ '*': ['spec..replicas'] })(deployment)).toThrow(/malformed/);
  });
});

describe('mergeReadPaths', () => {
  it('lists every path of each, per kind', () => {
    expect(mergeReadPaths({ '*': ['kind'], Service: ['spec.ports'] }, { Service: ['spec.selector'] })).toEqual({ '*': ['kind'], Service: ['spec.ports', 'spec.selector'] });
  });
});
