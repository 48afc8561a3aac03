import { afterAll, describe, expect, it } from 'vitest';
import { synthCheck, yamlLinePaths } from '../src/index';
import { scratchRepo } from '../../synth/test/support/scratch';

describe('the working tree against its sources', () => {
  const scratch = scratchRepo(['clusters', 'apps', 'gitops']);
  afterAll(() => scratch.dispose());

  it('is fresh when gitops/ is what synth renders, and stale, naming the files, when a source changed without pnpm synth', () => {
    expect(synthCheck(scratch.root)).toEqual({ state: 'fresh' });
    scratch.write('clusters/dev/env.ts', scratch.read('clusters/dev/env.ts').replace('web: { replicas: 1 }', 'web: { replicas: 2 }'));
    expect(synthCheck(scratch.root)).toEqual({ state: 'stale', files: ['gitops/dev/README.md', 'gitops/dev/app-web/deployment-web.yaml', 'gitops/dev/app-web/poddisruptionbudget-web.yaml'] });
  });
});

describe('YAML paths of lines', () => {
  it('names each line by its keys and sequence indexes', () => {
    const text = ['spec:', '  replicas: 2', '  template:', '    spec:', '      containers:', '        - name: a', '          image: x', '        - name: b', '          args:', '            - --one', '            - --two', '  note: |', '    line one', 'kind: Deployment'].join('\n');
    expect(yamlLinePaths(text)).toEqual([
      'spec',
      'spec.replicas',
      'spec.template',
      'spec.template.spec',
      'spec.template.spec.containers',
      'spec.template.spec.containers[0].name',
      'spec.template.spec.containers[0].image',
      'spec.template.spec.containers[1].name',
      'spec.template.spec.containers[1].args',
      'spec.template.spec.containers[1].args[0]',
      'spec.template.spec.containers[1].args[1]',
      'spec.note',
      'spec.note',
      'kind',
    ]);
  });
});
