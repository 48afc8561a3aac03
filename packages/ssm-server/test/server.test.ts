import { afterEach, describe, expect, it } from 'vitest';
import { encryptedValueOf, startSsmServer, type SsmServer } from '../src/index';

// Raw HTTP on purpose: these tests pin the wire protocol the SDK relies on (packages/synth's
// tests drive the same server through the real @aws-sdk/client-ssm client).
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/eu-west-1/ssm/aws4_request, SignedHeaders=host, Signature=0';

async function call(server: SsmServer, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(server.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AmazonSSM.GetParametersByPath',
      Authorization: AUTHORIZATION,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

const names = (json: Record<string, any>) => (json.Parameters as { Name: string }[]).map((p) => p.Name);

let server: SsmServer;
afterEach(async () => server?.close());

describe('GetParametersByPath', () => {
  it('returns parameters under the path in name order, one level unless Recursive', async () => {
    // GIVEN
    server = await startSsmServer({
      parameters: [
        { name: '/p/dev/b', value: '2' },
        { name: '/p/dev/a', value: '1' },
        { name: '/p/dev/deep/c', value: '3' },
        { name: '/p/development/x', value: 'not under /p/dev' },
      ],
    });
    // WHEN
    const flat = await call(server, { Path: '/p/dev' });
    const deep = await call(server, { Path: '/p/dev', Recursive: true });
    // THEN
    expect(names(flat.json)).toEqual(['/p/dev/a', '/p/dev/b']);
    expect(names(deep.json)).toEqual(['/p/dev/a', '/p/dev/b', '/p/dev/deep/c']);
    expect(deep.json.NextToken).toBeUndefined();
  });

  it('answers every field the SDK reads, with an ARN in the signing region', async () => {
    server = await startSsmServer({ account: '222222222222', parameters: [{ name: '/p/list', value: 'a,b', type: 'StringList' }] });
    server.put({ name: '/p/list', value: 'a,b,c', type: 'StringList' });

    const { status, json } = await call(server, { Path: '/p' });

    expect(status).toBe(200);
    expect(json.Parameters).toEqual([
      {
        Name: '/p/list',
        Type: 'StringList',
        Value: 'a,b,c',
        Version: 2,
        LastModifiedDate: 1767225600,
        ARN: 'arn:aws:ssm:eu-west-1:222222222222:parameter/p/list',
        DataType: 'text',
      },
    ]);
  });

  it('pages by MaxResults (default 10) with NextToken until the last page', async () => {
    server = await startSsmServer({
      parameters: Array.from({ length: 23 }, (_, i) => ({ name: `/p/${String(i).padStart(2, '0')}`, value: `${i}` })),
    });

    const first = await call(server, { Path: '/p' });
    const second = await call(server, { Path: '/p', NextToken: first.json.NextToken });
    const third = await call(server, { Path: '/p', NextToken: second.json.NextToken, MaxResults: 5 });

    expect([first, second, third].map(({ json }) => json.Parameters.length)).toEqual([10, 10, 3]);
    expect(names(first.json)[0]).toBe('/p/00');
    expect(names(second.json)[0]).toBe('/p/10');
    expect(names(third.json)).toEqual(['/p/20', '/p/21', '/p/22']);
    expect(third.json.NextToken).toBeUndefined();
    expect(server.calls.GetParametersByPath).toBe(3);
  });

  it('refuses MaxResults outside 1-10, a foreign NextToken, and unsigned requests', async () => {
    server = await startSsmServer({ parameters: [{ name: '/p/a', value: '1' }, { name: '/q/a', value: '1' }] });

    const tooMany = await call(server, { Path: '/p', MaxResults: 11 });
    const zero = await call(server, { Path: '/p', MaxResults: 0 });
    const token = (await call(server, { Path: '/q', MaxResults: 1 })).json.NextToken;
    const foreign = await call(server, { Path: '/p', NextToken: token ?? 'x' });
    const garbage = await call(server, { Path: '/p', NextToken: 'not-a-token' });
    const unsigned = await call(server, { Path: '/p' }, { Authorization: '' });

    expect([tooMany, zero].map((r) => [r.status, r.json.__type])).toEqual([
      [400, 'ValidationException'],
      [400, 'ValidationException'],
    ]);
    expect([foreign, garbage].map((r) => r.json.__type)).toEqual(['InvalidNextToken', 'InvalidNextToken']);
    expect(unsigned.json.__type).toBe('MissingAuthenticationTokenException');
  });

  it('never returns a SecureString plaintext unless asked to decrypt', async () => {
    server = await startSsmServer({ parameters: [{ name: '/p/secret', value: 'hunter2', type: 'SecureString' }] });

    const plain = await call(server, { Path: '/p' });
    const decrypted = await call(server, { Path: '/p', WithDecryption: true });

    expect(plain.json.Parameters[0].Value).toBe(encryptedValueOf('/p/secret'));
    expect(JSON.stringify(plain.json)).not.toContain('hunter2');
    expect(decrypted.json.Parameters[0].Value).toBe('hunter2');
  });
});

describe('fault injection and call counts', () => {
  it('serves queued faults in order, then answers normally', async () => {
    server = await startSsmServer({ parameters: [{ name: '/p/a', value: '1' }] });
    server.inject('ThrottlingException', 2);
    server.inject('EmptyPage');
    server.inject('InternalServerError');

    const results = [];
    for (let i = 0; i < 5; i++) results.push(await call(server, { Path: '/p' }));

    expect(results.map((r) => [r.status, r.json.__type ?? 'ok'])).toEqual([
      [400, 'ThrottlingException'],
      [400, 'ThrottlingException'],
      [200, 'ok'],
      [500, 'InternalServerError'],
      [200, 'ok'],
    ]);
    expect(results[2]!.json.Parameters).toEqual([]);
    expect(results[2]!.json.NextToken).toEqual(expect.any(String));
    expect(names(results[4]!.json)).toEqual(['/p/a']);
    expect(server.requests.map((r) => r.fault)).toEqual(['ThrottlingException', 'ThrottlingException', 'EmptyPage', 'InternalServerError', undefined]);
    expect(server.calls.GetParametersByPath).toBe(5);
  });

  it('continues after an empty page from where it stood', async () => {
    server = await startSsmServer({ parameters: [{ name: '/p/a', value: '1' }, { name: '/p/b', value: '2' }] });
    const first = await call(server, { Path: '/p', MaxResults: 1 });
    server.inject('EmptyPage');

    const empty = await call(server, { Path: '/p', MaxResults: 1, NextToken: first.json.NextToken });
    const rest = await call(server, { Path: '/p', MaxResults: 1, NextToken: empty.json.NextToken });

    expect(names(first.json)).toEqual(['/p/a']);
    expect(empty.json.NextToken).not.toBe(first.json.NextToken);
    expect(names(rest.json)).toEqual(['/p/b']);
    expect(rest.json.NextToken).toBeUndefined();
  });

  it('denies permanently with Infinity, naming the path; reset clears counts and faults', async () => {
    server = await startSsmServer({ account: '333333333333', region: 'ap-northeast-1' });
    server.inject('AccessDeniedException', Infinity);

    const denied = await Promise.all([call(server, { Path: '/p/dev' }), call(server, { Path: '/p/dev' })]);
    expect(denied.map((r) => r.json.__type)).toEqual(['AccessDeniedException', 'AccessDeniedException']);
    expect(denied[0]!.json.message).toContain('arn:aws:ssm:ap-northeast-1:333333333333:parameter/p/dev');

    server.reset();
    expect(server.calls.GetParametersByPath).toBe(0);
    expect(server.requests).toEqual([]);
    expect((await call(server, { Path: '/p/dev' })).status).toBe(200);
  });

  it('counts calls per target, unknown targets included', async () => {
    server = await startSsmServer();

    const unknown = await call(server, { Name: '/p/a' }, { 'X-Amz-Target': 'AmazonSSM.GetParameter' });
    await call(server, { Path: '/p' });

    expect(unknown.json.__type).toBe('UnknownOperationException');
    expect(server.calls).toEqual({ GetParametersByPath: 1, GetParameter: 1 });
  });
});
