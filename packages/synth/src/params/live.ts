import { paginateGetParametersByPath, SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import { partitionOf, type RawParameter } from '@gitops/contract';
import type { EnvironmentSpec } from '@gitops/core';
import { SynthError } from '../problems';
import type { ParameterSource } from './source';

/** Options for reading SSM; `endpoint` and `credentials` exist for a local SSM-protocol server. */
export interface LiveSourceOptions {
  readonly endpoint?: string;
  readonly credentials?: SSMClientConfig['credentials'];
  /** Attempts per request, throttling included; the SDK backs off exponentially with jitter. @default 8 */
  readonly maxAttempts?: number;
}

/** A parameter as live SSM returned it; SecureString values are dropped on read. */
export interface LiveParameter extends RawParameter {
  readonly arn?: string;
}

const GET_PARAMETERS_BY_PATH_MAX_RESULTS = 10;

/**
 * Reads every parameter under the env's prefix with GetParametersByPath (recursive), through the
 * SDK paginator: it follows NextToken until there is none, also past a page that comes back
 * empty, which the API allows. Throttling is retried by the SDK's standard retry strategy.
 */
export class LiveSource implements ParameterSource {
  private readonly clients = new Map<string, SSMClient>();

  constructor(private readonly options: LiveSourceOptions = {}) {}

  describe(env: EnvironmentSpec): string {
    return `SSM ${env.ssmPrefix} in ${env.region}`;
  }

  private client(region: string): SSMClient {
    let client = this.clients.get(region);
    if (!client) {
      client = new SSMClient({
        region,
        maxAttempts: this.options.maxAttempts ?? 8,
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
      });
      this.clients.set(region, client);
    }
    return client;
  }

  async read(env: EnvironmentSpec): Promise<ReadonlyMap<string, LiveParameter>> {
    const found = new Map<string, LiveParameter>();
    const pages = paginateGetParametersByPath(
      { client: this.client(env.region), pageSize: GET_PARAMETERS_BY_PATH_MAX_RESULTS },
      { Path: env.ssmPrefix, Recursive: true, WithDecryption: false },
    );
    try {
      for await (const page of pages) {
        for (const parameter of page.Parameters ?? []) {
          if (!parameter.Name || !parameter.Type) continue;
          const secure = parameter.Type === 'SecureString';
          found.set(parameter.Name, {
            type: parameter.Type,
            value: secure ? '' : (parameter.Value ?? ''),
            ...(parameter.ARN ? { arn: parameter.ARN } : {}),
          });
        }
      }
    } catch (error) {
      throw new SynthError([{ env: env.name, parameter: env.ssmPrefix, message: explain(error, env) }]);
    }
    const foreign = [...found.values()].filter((p) => p.arn && p.arn.split(':')[4] !== env.account);
    if (foreign.length > 0) {
      throw new SynthError([
        {
          env: env.name,
          parameter: env.ssmPrefix,
          message: `SSM answered from account ${foreign[0]!.arn!.split(':')[4]}, but env ${env.name} is in ${env.account}; check AWS_PROFILE`,
        },
      ]);
    }
    return found;
  }
}

function explain(error: unknown, env: EnvironmentSpec): string {
  const name = (error as { name?: string }).name ?? 'Error';
  const message = (error as Error).message ?? String(error);
  const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  if (name === 'AccessDeniedException') {
    return (
      `SSM denied GetParametersByPath in ${env.region} (account ${env.account}): ${message}; the caller needs ` +
      `ssm:GetParametersByPath on arn:${partitionOf(env.region)}:ssm:${env.region}:${env.account}:parameter${env.ssmPrefix}`
    );
  }
  if (name === 'CredentialsProviderError') return `no AWS credentials for live SSM: ${message}`;
  const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  return `reading SSM failed${tries} (${name}): ${message}`;
}
