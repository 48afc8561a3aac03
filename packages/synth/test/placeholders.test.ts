import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from './support/cli';
import { hashTree, scratchRepo, type Scratch } from './support/scratch';

const TARGET_GROUP = '/fargate-gitops/dev/apps/web/target-group-arn';

describe('placeholder parameters in a snapshot', () => {
  let repo: Scratch;
  beforeAll(() => {
    repo = scratchRepo(['clusters', 'apps', 'gitops']);
    repo.editJson('clusters/dev/ssm-snapshot.json', (snapshot) => {
      snapshot.parameters[TARGET_GROUP].placeholder = true;
    });
  });
  afterAll(() => repo?.dispose());

  it('render, and every run says the env renders from them until params:pull replaces them', async () => {
    for (const argv of [['synth', '--root', repo.root], ['synth', '--check', '--root', repo.root]]) {
      const { code, out } = await run(argv);
      expect(code).toBe(0);
      expect(out).toContain(
        '  placeholder parameters: 1 in clusters/dev/ssm-snapshot.json (apps/web/target-group-arn); this env renders from them until `pnpm params:pull --env dev` replaces them',
      );
      expect(out.filter((line) => line.includes('placeholder'))).toHaveLength(1);
    }
  });

  it('are refused with --refuse-placeholders in a deployed env (one whose snapshot was read from SSM), one line each, nothing written', async () => {
    const before = hashTree(repo.path('gitops'));
    const { code, err } = await run(['synth', '--refuse-placeholders', '--root', repo.root]);
    expect(code).toBe(1);
    expect(err).toEqual([
      `error: env dev: clusters/dev/ssm-snapshot.json: ${TARGET_GROUP}: is a placeholder, and env dev is deployed (its snapshot was read from SSM): deploy its infra, then run \`pnpm params:pull --env dev\``,
      '1 problem; gitops/ was not changed',
    ]);
    expect(hashTree(repo.path('gitops'))).toBe(before);
  });

  it('are accepted with --refuse-placeholders in an env that was never deployed (the snapshot itself is a placeholder)', async () => {
    repo.editJson('clusters/dev/ssm-snapshot.json', (snapshot) => {
      snapshot.source.placeholder = true;
    });
    const { code, out } = await run(['synth', '--check', '--refuse-placeholders', '--root', repo.root]);
    expect(code).toBe(0);
    expect(out).toContain('  placeholder parameters: 1 in clusters/dev/ssm-snapshot.json, a snapshot never read from SSM; this env renders from them until `pnpm params:pull --env dev` replaces them');
  });

  it('refuse any other marker value, like every snapshot field', async () => {
    repo.editJson('clusters/dev/ssm-snapshot.json', (snapshot) => {
      snapshot.parameters[TARGET_GROUP].placeholder = 'yes';
    });
    const { code, err } = await run(['synth', '--check', '--root', repo.root]);
    expect(code).toBe(1);
    expect(err[0]).toMatch(new RegExp(`^error: env dev: clusters/dev/ssm-snapshot.json: ${TARGET_GROUP}: placeholder: `));
  });
});
