import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { basicAuthorization } from '../../shared/oidc/token-endpoint.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../stack/dynamodb.js';
import { findFreePort } from '../stack/ports.js';
import { CountingProxy } from '../support/counting-proxy.js';
import { tokenEvent } from '../support/token-events.js';

/**
 * functions/token/handler.ts as Lambda loads it, once per simulated container (a fresh module instance: an
 * empty memory tier), against the hosted-UI stand-in of the local stack behind a counting proxy (the count
 * of calls to "Cognito") and a dynalite table created from serverless.yml.
 */
const stack = inject('stack');
const { clientId, clientSecret } = stack.m2mClient;
type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2 & { body: string }>;

const basic = (scope?: string, secret = clientSecret) =>
  tokenEvent({
    headers: { authorization: basicAuthorization(clientId, secret) },
    form: [['grant_type', 'client_credentials'], ...(scope ? [['scope', scope] as [string, string]] : [])],
  });
const post = (scope: string) =>
  tokenEvent({
    form: [
      ['grant_type', 'client_credentials'],
      ['client_id', clientId],
      ['client_secret', clientSecret],
      ['scope', scope],
    ],
  });
const body = (result: { body: string }) => JSON.parse(result.body) as Record<string, unknown>;

describe('the caching token endpoint against the hosted-UI stand-in and dynalite', () => {
  let dynamo: LocalDynamoDb;
  let proxy: CountingProxy;
  let tableName: string;
  const savedEnv = { ...process.env };

  /** A new container: the handler module loaded afresh, with the settings serverless.yml gives it locally. */
  async function container(tokenEndpoint = `${proxy.url}/oauth2/token`): Promise<Handler> {
    vi.resetModules();
    Object.assign(process.env, {
      COGNITO_TOKEN_ENDPOINT: tokenEndpoint,
      TOKEN_CACHE_TABLE: tableName,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      LOG_LEVEL: 'warn',
    });
    const { handler } = await import('../../functions/token/handler.js');
    return (event) => handler(event as never, {} as never) as ReturnType<Handler>;
  }

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    tableName = dynamo.tables.TokenCacheTable!;
    proxy = await new CountingProxy(stack.hostedUiBaseUrl).start();
  });
  afterAll(async () => {
    process.env = savedEnv;
    await proxy.stop();
    await dynamo.stop();
  });

  it('makes one call to the stand-in for two requests with the same client and scope', async () => {
    // Prepare
    const handler = await container();
    const before = proxy.callsFor(clientId);
    // Act
    const first = await handler(basic('cognito-gate/read'));
    const second = await handler(basic('cognito-gate/read'));
    // Assess
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(body(second).access_token).toBe(body(first).access_token);
    expect(proxy.callsFor(clientId) - before).toBe(1);
  });

  it('gives a token that the authorizer accepts on the API', async () => {
    const handler = await container();
    const { access_token } = body(await handler(basic('cognito-gate/read')));
    const echo = await fetch(`${stack.apiBaseUrl}/echo`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(echo.status).toBe(200);
  });

  it('answers a wrong secret with the stand-in’s 401 invalid_client, right after a hit', async () => {
    // Prepare
    const handler = await container();
    await handler(basic('cognito-gate/read'));
    const hit = await handler(basic('cognito-gate/read'));
    const before = proxy.callsFor(clientId);
    // Act
    // The last character changed, whatever it was (a secret ending in x stayed right before: a flaky test).
    const wrongSecret = `${clientSecret.slice(0, -1)}${clientSecret.endsWith('x') ? 'y' : 'x'}`;
    const wrong = await handler(basic('cognito-gate/read', wrongSecret));
    // Assess
    expect(hit.statusCode).toBe(200);
    expect(wrong.statusCode).toBe(401);
    expect(body(wrong)).toEqual({ error: 'invalid_client' });
    expect(proxy.callsFor(clientId) - before).toBe(1);
  });

  it('gives a different scope its own token, and treats scope order as the same set', async () => {
    // Prepare
    const handler = await container();
    const read = body(await handler(basic('cognito-gate/read')));
    const before = proxy.callsFor(clientId);
    // Act
    const both = body(await handler(basic('cognito-gate/read cognito-gate/write')));
    const bothReordered = body(await handler(basic('cognito-gate/write cognito-gate/read')));
    // Assess
    expect(both.access_token).not.toBe(read.access_token);
    expect(bothReordered.access_token).toBe(both.access_token);
    expect(proxy.callsFor(clientId) - before).toBe(1);
  });

  it('serves a second container from the table without calling the stand-in', async () => {
    // Prepare
    const first = await container();
    const issued = body(await first(basic('cognito-gate/admin')));
    const before = proxy.callsFor(clientId);
    // Act
    const second = await container();
    const fromTable = body(await second(basic('cognito-gate/admin')));
    // Assess
    expect(fromTable.access_token).toBe(issued.access_token);
    expect(proxy.callsFor(clientId) - before).toBe(0);
  });

  it('answers client_secret_post from the entry that client_secret_basic filled', async () => {
    const handler = await container();
    const viaBasic = body(await handler(basic('cognito-gate/read')));
    const before = proxy.callsFor(clientId);
    const viaPost = body(await handler(post('cognito-gate/read')));
    expect(viaPost.access_token).toBe(viaBasic.access_token);
    expect(proxy.callsFor(clientId) - before).toBe(0);
  });

  it('keeps nothing usable in the table: no token, secret, client id or scope', async () => {
    // Prepare
    const handler = await container();
    const { access_token } = body(await handler(basic('cognito-gate/read')));
    // Act
    const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: tableName }));
    // Assess
    const dump = JSON.stringify(Items.map((item) => [item.id?.S, Buffer.from(item.sealed!.B!).toString('latin1')]));
    for (const secret of [String(access_token).split('.')[1]!, clientSecret, clientId, 'cognito-gate/read'])
      expect(dump).not.toContain(secret);
  });

  it('refuses another grant with 400 unsupported_grant_type, without calling the stand-in', async () => {
    const handler = await container();
    const before = proxy.calls.length;
    const result = await handler(
      tokenEvent({
        headers: { authorization: basicAuthorization(clientId, clientSecret) },
        form: [
          ['grant_type', 'authorization_code'],
          ['code', 'AUTHORIZATION_CODE'],
        ],
      }),
    );
    expect(result.statusCode).toBe(400);
    expect(body(result)).toEqual({ error: 'unsupported_grant_type' });
    expect(proxy.calls.length).toBe(before);
  });

  it('answers 429 with Retry-After when Cognito throttles (the proxy answers for it: the stand-in cannot throttle)', async () => {
    // Prepare
    const handler = await container();
    proxy.answer = { status: 429, headers: { 'retry-after': '9' }, body: { error: 'too_many_requests' } };
    try {
      // Act
      const result = await handler(basic('cognito-gate/write'));
      // Assess
      expect(result.statusCode).toBe(429);
      expect(result.headers).toMatchObject({ 'retry-after': '9' });
      expect(body(result)).toEqual({ error: 'too_many_requests' });
    } finally {
      proxy.answer = undefined;
    }
  });

  it('answers 502 temporarily_unavailable when the token endpoint cannot be reached', async () => {
    const handler = await container(`http://127.0.0.1:${await findFreePort()}/oauth2/token`);
    const result = await handler(basic('cognito-gate/write'));
    expect(result.statusCode).toBe(502);
    expect(body(result)).toEqual({ error: 'temporarily_unavailable' });
  });
});
