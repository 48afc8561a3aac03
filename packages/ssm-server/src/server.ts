import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SsmParameterType = 'String' | 'StringList' | 'SecureString';

/** A parameter to seed the server with, or to `put` later. */
export interface SsmParameterInput {
  /** Full name, e.g. `/fargate-gitops/dev/network/vpc-id`. */
  readonly name: string;
  readonly value: string;
  /** @default 'String' */
  readonly type?: SsmParameterType;
}

/**
 * A failure the server answers with instead of a normal GetParametersByPath response.
 * - `ThrottlingException`: HTTP 400, what SSM returns past its per-account TPS quota (retryable).
 * - `AccessDeniedException`: HTTP 400, what SSM returns when IAM denies the call (not retryable).
 * - `InternalServerError`: HTTP 500 (retryable as a transient error).
 * - `EmptyPage`: HTTP 200 with no parameters but a `NextToken`, which SSM may legitimately
 *   return ("best effort" pages); a client that stops at an empty page loses parameters.
 */
export type SsmFault = 'ThrottlingException' | 'AccessDeniedException' | 'InternalServerError' | 'EmptyPage';

export interface SsmServerOptions {
  /** Parameters present from the start. @default none */
  readonly parameters?: Iterable<SsmParameterInput>;
  /** Account in the parameters' ARNs. @default '111111111111' */
  readonly account?: string;
  /**
   * Region in the parameters' ARNs.
   * @default the region of each request's SigV4 credential scope, else 'ap-northeast-1'
   */
  readonly region?: string;
  /**
   * At most this many parameters per page even when `MaxResults` allows more, as SSM's
   * best-effort pages may hold fewer. @default MaxResults of the request (10 when absent)
   */
  readonly pageLimit?: number;
  /** Delay before every answer, to make the cost of each round trip visible. @default 0 */
  readonly latencyMs?: number;
  /** `LastModifiedDate` of every parameter, so answers are reproducible. @default 2026-01-01T00:00:00Z */
  readonly lastModified?: Date;
}

/** One request the server received, in arrival order. */
export interface SsmRequest {
  /** Operation name: the `X-Amz-Target` header without its `AmazonSSM.` prefix. */
  readonly operation: string;
  /** The parsed JSON body (empty when it was not JSON). */
  readonly body: Readonly<Record<string, unknown>>;
  /** HTTP status the server answered with. */
  readonly status: number;
  /** The injected fault this request consumed, if any. */
  readonly fault?: SsmFault;
}

/** A running server. Every count and log covers requests since start (or the last `reset`). */
export interface SsmServer {
  /** Base URL to pass as the SDK client's `endpoint`, e.g. `http://127.0.0.1:49152`. */
  readonly endpoint: string;
  /**
   * Requests per operation, live: `calls.GetParametersByPath` is the number of
   * GetParametersByPath requests so far (each page is one; each retry is one more).
   */
  readonly calls: Readonly<Record<string, number>>;
  /** Every request, in arrival order. */
  readonly requests: readonly SsmRequest[];
  /** Adds or overwrites parameters (an overwrite increments `Version`). */
  put(...parameters: SsmParameterInput[]): void;
  /** Removes a parameter; false when there was none. */
  delete(name: string): boolean;
  /**
   * Makes the next `times` GetParametersByPath requests fail with `fault` (queued after faults
   * injected earlier). `Infinity` makes it permanent.
   */
  inject(fault: SsmFault, times?: number): void;
  /** Clears call counts, the request log and pending faults; parameters stay. */
  reset(): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** What a SecureString's `Value` is when the caller did not ask for decryption: never the plaintext. */
export function encryptedValueOf(name: string): string {
  return Buffer.from(`kms-ciphertext-of:${name}`).toString('base64');
}

const TARGET_PREFIX = 'AmazonSSM.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_RESULTS = 10;

interface Stored {
  readonly name: string;
  readonly type: SsmParameterType;
  readonly value: string;
  readonly version: number;
}

class SsmError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface PageToken {
  readonly path: string;
  readonly recursive: boolean;
  readonly offset: number;
  /** Makes every token unique, as SSM's are, so a client cannot mistake a new token for a repeat. */
  readonly serial: number;
}

const encodeToken = (token: PageToken) => Buffer.from(JSON.stringify(token)).toString('base64url');

function decodeToken(raw: unknown, path: string, recursive: boolean): PageToken {
  try {
    const token = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8')) as PageToken;
    if (token.path === path && token.recursive === recursive && Number.isInteger(token.offset) && token.offset >= 0) return token;
  } catch {
    // falls through to the error SSM gives for a token it did not issue for this request
  }
  throw new SsmError('InvalidNextToken', 'The specified token is not valid.');
}

/** Whether `name` is under `path`: any depth when recursive, else exactly one level below it. */
function isUnder(name: string, path: string, recursive: boolean): boolean {
  const base = path === '/' ? '/' : `${path.replace(/\/+$/, '')}/`;
  if (!name.startsWith(base)) return false;
  return recursive || !name.slice(base.length).includes('/');
}

function regionOf(request: IncomingMessage): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\/ssm\//.exec(String(request.headers.authorization ?? ''))?.[1];
}

/**
 * Starts a local server speaking SSM's JSON 1.1 protocol on 127.0.0.1 (a free port), answering
 * `AmazonSSM.GetParametersByPath` like SSM does: `Path`, `Recursive` (otherwise one level),
 * `MaxResults` 1-10 (default 10), `NextToken`, `WithDecryption`; `ParameterFilters` are ignored.
 * Point the real `@aws-sdk/client-ssm` client at `endpoint` (with any credentials) to test
 * pagination, retries and error handling without AWS.
 */
export async function startSsmServer(options: SsmServerOptions = {}): Promise<SsmServer> {
  const account = options.account ?? '111111111111';
  const lastModified = Math.floor((options.lastModified ?? new Date('2026-01-01T00:00:00Z')).getTime() / 1000);
  const store = new Map<string, Stored>();
  const calls: Record<string, number> = { GetParametersByPath: 0 };
  const requests: SsmRequest[] = [];
  const faults: { fault: SsmFault; remaining: number }[] = [];
  let serial = 0;
  let requestId = 0;

  const put = (...parameters: SsmParameterInput[]) => {
    for (const { name, value, type = 'String' } of parameters) {
      store.set(name, { name, type, value, version: (store.get(name)?.version ?? 0) + 1 });
    }
  };
  put(...(options.parameters ?? []));

  const takeFault = (): SsmFault | undefined => {
    const head = faults[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) faults.shift();
    return head.fault;
  };

  const getParametersByPath = (body: Record<string, unknown>, region: string, fault: SsmFault | undefined) => {
    const path = body.Path;
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new SsmError('ValidationException', `1 validation error detected: Value at 'path' failed to satisfy constraint: Member must start with "/"`);
    }
    const recursive = body.Recursive === true;
    const maxResults = body.MaxResults ?? MAX_RESULTS;
    if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
      throw new SsmError(
        'ValidationException',
        `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: ` +
          `Member must have value between 1 and ${MAX_RESULTS}`,
      );
    }
    const offset = body.NextToken === undefined ? 0 : decodeToken(body.NextToken, path, recursive).offset;
    const matching = [...store.values()].filter((p) => isUnder(p.name, path, recursive)).sort((a, b) => (a.name < b.name ? -1 : 1));
    const size = fault === 'EmptyPage' ? 0 : Math.min(maxResults, options.pageLimit ?? maxResults);
    const page = matching.slice(offset, offset + size);
    const next = offset + page.length;
    const more = fault === 'EmptyPage' || next < matching.length;
    const decrypt = body.WithDecryption === true;
    return {
      Parameters: page.map((p) => ({
        Name: p.name,
        Type: p.type,
        Value: p.type === 'SecureString' && !decrypt ? encryptedValueOf(p.name) : p.value,
        Version: p.version,
        LastModifiedDate: lastModified,
        ARN: `arn:aws:ssm:${region}:${account}:parameter/${p.name.replace(/^\//, '')}`,
        DataType: 'text',
      })),
      ...(more ? { NextToken: encodeToken({ path, recursive, offset: next, serial: ++serial }) } : {}),
    };
  };

  const answer = (response: ServerResponse, status: number, payload: unknown) => {
    const send = () => {
      response.writeHead(status, { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': `ssm-server-${++requestId}` });
      response.end(JSON.stringify(payload));
    };
    if (options.latencyMs) setTimeout(send, options.latencyMs);
    else send();
  };

  const handle = (request: IncomingMessage, raw: string, response: ServerResponse) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    calls[operation] = (calls[operation] ?? 0) + 1;
    let body: Record<string, unknown> = {};
    let fault: SsmFault | undefined;
    let status = 200;
    let payload: unknown;
    try {
      if (request.method !== 'POST') throw new SsmError('UnknownOperationException', `${request.method} is not supported; SSM takes POST`);
      if (!String(request.headers['content-type'] ?? '').startsWith(CONTENT_TYPE)) {
        throw new SsmError('SerializationException', `Content-Type must be ${CONTENT_TYPE}`);
      }
      try {
        body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
      } catch {
        throw new SsmError('SerializationException', 'the request body is not JSON');
      }
      if (!request.headers.authorization) {
        throw new SsmError('MissingAuthenticationTokenException', 'Missing Authentication Token (the request is not SigV4-signed)');
      }
      if (operation !== 'GetParametersByPath') {
        throw new SsmError('UnknownOperationException', `${target || '(no X-Amz-Target)'} is not implemented by this server`);
      }
      fault = takeFault();
      const region = options.region ?? regionOf(request) ?? 'ap-northeast-1';
      if (fault === 'ThrottlingException') throw new SsmError('ThrottlingException', 'Rate exceeded');
      if (fault === 'InternalServerError') throw new SsmError('InternalServerError', 'An internal error occurred', 500);
      if (fault === 'AccessDeniedException') {
        throw new SsmError(
          'AccessDeniedException',
          `User: arn:aws:sts::${account}:assumed-role/test/session is not authorized to perform: ssm:GetParametersByPath ` +
            `on resource: arn:aws:ssm:${region}:${account}:parameter${String(body.Path ?? '')} ` +
            'because no identity-based policy allows the ssm:GetParametersByPath action',
        );
      }
      payload = getParametersByPath(body, region, fault);
    } catch (error) {
      if (!(error instanceof SsmError)) throw error;
      status = error.status;
      payload = { __type: error.type, message: error.message };
    }
    requests.push({ operation, body, status, ...(fault ? { fault } : {}) });
    answer(response, status, payload);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    requests,
    put,
    delete: (name) => store.delete(name),
    inject(fault, times = 1) {
      if (times > 0) faults.push({ fault, remaining: times });
    },
    reset() {
      for (const operation of Object.keys(calls)) calls[operation] = 0;
      requests.length = 0;
      faults.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
