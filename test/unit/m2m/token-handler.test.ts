import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTokenHandler } from '../../../functions/token/create-handler.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { MemoryTier, TokenCache } from '../../../shared/m2m/token-cache.js';
import { createTokenIssuer, type TokenIssuer } from '../../../shared/m2m/token-issuer.js';
import { basicAuthorization } from '../../../shared/oidc/token-endpoint.js';
import { basicTokenEvent, CLIENT_ID, CLIENT_SECRET, tokenEvent } from '../../support/token-events.js';
import { FakeCognito, recordingLogger, SealedMapTable } from './support/fakes.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
type Result = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string>; body: string };

describe('POST /oauth2/token (handler)', () => {
  let clock: number;
  let cognito: FakeCognito;
  let log: ReturnType<typeof recordingLogger>;
  let call: (event: unknown) => Promise<Result>;
  const json = (result: Result) => JSON.parse(result.body) as Record<string, unknown>;
  const requestLines = () => log.entries().filter((entry) => entry.message === 'token request');

  const build = (issuer?: TokenIssuer) => {
    const logger = createLogger('token', { write: log.write });
    const handler = createTokenHandler({
      logger,
      now: () => clock,
      issuer:
        issuer ??
        createTokenIssuer({
          cache: new TokenCache(new MemoryTier(100), new SealedMapTable(), logger),
          upstream: cognito,
          tokenEndpoint: 'https://auth.example.com/oauth2/token',
          reuseFraction: 0.75,
          defaultRetryAfterSeconds: 1,
          logger,
          now: () => clock,
        }),
    });
    call = (event) => handler(event as never, {} as never) as Promise<Result>;
  };

  beforeEach(() => {
    clock = T0;
    cognito = new FakeCognito({ [CLIENT_ID]: CLIENT_SECRET });
    log = recordingLogger();
    build();
  });

  it("answers Cognito's success body, not to be stored by any cache on the way", async () => {
    // Act
    const result = await call(basicTokenEvent({ scope: 'orders/read' }));
    // Assess
    expect(result.statusCode).toBe(200);
    expect(Object.keys(json(result)).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(json(result)).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    expect(result.headers).toMatchObject({
      'content-type': expect.stringMatching(/^application\/json/),
      'cache-control': 'no-store',
      pragma: 'no-cache',
    });
  });

  it('answers a repeat from the cache with the same token and the lifetime that is left', async () => {
    const first = json(await call(basicTokenEvent({ scope: 'orders/read' })));
    clock += 600_000;
    const second = json(await call(basicTokenEvent({ scope: 'orders/read' })));
    expect(second.access_token).toBe(first.access_token);
    expect(second.expires_in).toBe(3000);
    expect(cognito.calls).toHaveLength(1);
  });

  it('serves a client_secret_post request from the entry a client_secret_basic one filled', async () => {
    await call(basicTokenEvent({ scope: 'orders/read' }));
    const post = await call(
      tokenEvent({
        form: [
          ['grant_type', 'client_credentials'],
          ['client_id', CLIENT_ID],
          ['client_secret', CLIENT_SECRET],
          ['scope', 'orders/read'],
        ],
      }),
    );
    expect(post.statusCode).toBe(200);
    expect(cognito.calls).toHaveLength(1);
  });

  it("answers an attacker's guessed secret with Cognito's 401, right after the real client's hit", async () => {
    // Prepare: the real client gets a token, then a cache hit
    await call(basicTokenEvent({ scope: 'orders/read' }));
    await call(basicTokenEvent({ scope: 'orders/read' }));
    // Act: the attacker knows the client id and the scope, and guesses the secret
    const attack = await call({
      ...basicTokenEvent(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${CLIENT_ID}:guessed-secret-0000000000000000000000000000000000`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials&scope=orders%2Fread',
    });
    // Assess
    expect(attack.statusCode).toBe(401);
    expect(json(attack)).toEqual({ error: 'invalid_client' });
    expect(attack.headers['www-authenticate']).toMatch(/^Basic /);
    expect(cognito.calls).toHaveLength(2);
  });

  it("passes Cognito's other refusals on with Cognito's status and code", async () => {
    cognito.behaviour = { kind: 'refuse', status: 400, error: 'invalid_scope' };
    const result = await call(basicTokenEvent({ scope: 'orders/delete' }));
    expect(result.statusCode).toBe(400);
    expect(json(result)).toEqual({ error: 'invalid_scope' });
  });

  it('answers 429 with Retry-After when Cognito throttles', async () => {
    cognito.behaviour = { kind: 'refuse', status: 429, error: 'too_many_requests', retryAfter: '3' };
    const result = await call(basicTokenEvent());
    expect(result.statusCode).toBe(429);
    expect(result.headers['retry-after']).toBe('3');
    expect(json(result)).toEqual({ error: 'too_many_requests' });
  });

  it('answers 502 temporarily_unavailable when Cognito cannot be reached', async () => {
    cognito.behaviour = { kind: 'unreachable' };
    const result = await call(basicTokenEvent());
    expect(result.statusCode).toBe(502);
    expect(json(result)).toEqual({ error: 'temporarily_unavailable' });
  });

  it('answers 500 server_error, and logs it, when something unexpected breaks', async () => {
    build({
      issue: async () => {
        throw new TypeError('boom');
      },
    });
    const result = await call(basicTokenEvent());
    expect(result.statusCode).toBe(500);
    expect(json(result)).toEqual({ error: 'server_error' });
    expect(log.entries()).toEqual(
      expect.arrayContaining([expect.objectContaining({ level: 'error', errorName: 'TypeError' })]),
    );
  });

  it('answers 503 temporarily_unavailable before the Lambda timeout when the token never comes, with the request id', async () => {
    // Prepare: an issuer that never answers, and 600 ms left of the function's time (the margin is 500 ms)
    const logger = createLogger('token', { write: log.write });
    const slow = createTokenHandler({
      logger,
      now: () => clock,
      issuer: { issue: () => new Promise(() => undefined) },
    });
    // Act
    const result = (await slow(
      basicTokenEvent() as never,
      {
        awsRequestId: 'lambda-request-1',
        getRemainingTimeInMillis: () => 600,
      } as never,
    )) as Result;
    // Assess
    expect(result.statusCode).toBe(503);
    expect(json(result)).toEqual({ error: 'temporarily_unavailable' });
    expect(log.entries()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'error', reason: 'deadline_exceeded', requestId: 'lambda-request-1' }),
      ]),
    );
  });
  it('logs one line per request with its outcome, and says why a bad request was refused', async () => {
    await call(basicTokenEvent());
    await call(basicTokenEvent());
    await call(basicTokenEvent({ clientSecret: 'wrong' }));
    await call(tokenEvent({ form: [['grant_type', 'password']] }));
    expect(requestLines().map(({ clientId, outcome, status }) => ({ clientId, outcome, status }))).toEqual([
      { clientId: CLIENT_ID, outcome: 'upstream', status: 200 },
      { clientId: CLIENT_ID, outcome: 'memory', status: 200 },
      { clientId: CLIENT_ID, outcome: 'refused', status: 401 },
      { clientId: undefined, outcome: 'bad_request', status: 400 },
    ]);
    expect(requestLines()[3]!.detail).toBe('this endpoint serves the client_credentials grant only');
  });

  it('emits hits and misses per client id as metrics, but no client id that Cognito has not accepted', async () => {
    // Act
    await call(basicTokenEvent());
    await call(basicTokenEvent());
    await call(basicTokenEvent({ clientId: 'made-up-client-id', clientSecret: 'x' }));
    // Assess
    const dimensions = requestLines().map((entry) => {
      const aws = entry._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
      return [entry.outcome, aws.CloudWatchMetrics[0]!.Dimensions];
    });
    expect(dimensions).toEqual([
      ['upstream', [['outcome'], ['clientId', 'outcome']]],
      ['memory', [['outcome'], ['clientId', 'outcome']]],
      ['refused', [['outcome']]],
    ]);
    expect(requestLines()[0]).toMatchObject({ TokenRequests: 1 });
  });

  it('never logs a secret or a token', async () => {
    const ok = json(await call(basicTokenEvent()));
    await call(basicTokenEvent());
    await call(basicTokenEvent({ clientSecret: 'wrong-secret-value' }));
    await call(
      tokenEvent({
        headers: { authorization: basicAuthorization(CLIENT_ID, CLIENT_SECRET) },
        form: [['grant_type', 'refresh_token']],
      }),
    );
    const everything = log.lines.join('\n');
    const token = String(ok.access_token);
    for (const secret of [CLIENT_SECRET, 'wrong-secret-value', token, token.split('.')[1]!])
      expect(everything).not.toContain(secret);
  });
});
