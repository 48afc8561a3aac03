import { startSsmServer } from '@gitops/ssm-server';
import { runOnce, type Command, type Sample } from './measure';
import type { SyntheticWorkspace } from './synthetic-workspace';

/** GetParametersByPath returns at most 10 parameters per page. */
export const SSM_PAGE_SIZE = 10;

export interface EnvCalls {
  readonly env: string;
  readonly parameters: number;
  /** ceil(parameters / 10): the fewest GetParametersByPath calls that can read them. */
  readonly pages: number;
  readonly calls: number;
}

export interface LiveCalls {
  readonly envs: readonly EnvCalls[];
  /** Whether the envs' walks overlapped in time (each env's first call before any env's last). */
  readonly parallel: boolean;
  readonly latencyMs: number;
  readonly sample: Sample;
}

/**
 * Runs `synth --live --check` against a local SSM-protocol server holding exactly the
 * workspace's snapshot values, and counts GetParametersByPath calls per env. The server answers
 * for one account, so the workspace must put every env in it (SyntheticWorkspaceOptions.account).
 * A small per-answer latency makes sequential walks visible in the arrival order.
 */
export async function measureLiveCalls(
  workspace: SyntheticWorkspace,
  synth: (args: string[]) => Command,
  latencyMs = 20,
): Promise<LiveCalls> {
  const parameters = [...workspace.parameters.values()].flatMap((env) => [...env].map(([name, { type, value }]) => ({ name, value, type: type as 'String' })));
  const server = await startSsmServer({ parameters, latencyMs });
  try {
    const command = synth(['--live', '--check', '--endpoint', server.endpoint]);
    // The SDK signs requests even for a local endpoint; these are not credentials of any account.
    const sample = await runOnce({
      ...command,
      env: { ...command.env, AWS_ACCESS_KEY_ID: 'benchmark', AWS_SECRET_ACCESS_KEY: 'benchmark', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    const walks = server.requests.filter((request) => request.operation === 'GetParametersByPath');
    const indicesOf = (env: string) => walks.flatMap((request, index) => (request.body.Path === workspace.ssmPrefixes.get(env) ? [index] : []));
    const envs = workspace.envs.map((env): EnvCalls => {
      const count = workspace.parameters.get(env)!.size;
      return { env, parameters: count, pages: Math.max(1, Math.ceil(count / SSM_PAGE_SIZE)), calls: indicesOf(env).length };
    });
    const spans = workspace.envs.map((env) => ({ first: Math.min(...indicesOf(env)), last: Math.max(...indicesOf(env)) }));
    const parallel = Math.max(...spans.map((span) => span.first)) < Math.min(...spans.map((span) => span.last));
    return { envs, parallel, latencyMs, sample };
  } finally {
    await server.close();
  }
}
