import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Authorizer, createAuthorizer } from '../../../shared/authorizer/authorize.js';
import { loadAuthorizerConfig } from '../../../shared/authorizer/authorizer-config.js';
import { UnauthorizedResponse } from '../../../shared/errors/gate-error.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { RevocationList } from '../../../shared/revocation/revocation-list.js';
import {
  entryFor,
  type RevocationCause,
  type RevocationEntry,
  type RevocationKind,
  type RevocationReader,
} from '../../../shared/revocation/revocation-store.js';
import { createTokenVerifier, type TokenVerifier } from '../../../shared/tokens/verifier.js';
import { loadEvent } from '../../support/fixtures.js';
import { JwksServer } from '../../support/jwks-server.js';
import { accessClaims, generateTestKey, jwksOf, signJwt, type TestKey } from '../../support/signing.js';

const CLIENT = 'client-a';
const RULES = {
  rules: [
    { route: 'GET /echo', scopes: ['cognito-gate/read'] },
    { route: 'GET /health', public: true },
  ],
};
const REFRESH_MS = 5000;
const LIFETIME_SECONDS = 3600;

/** The revocation table as a reader sees it, in memory: what the writers put, and whether reads fail. */
class TableInMemory implements RevocationReader {
  private readonly rows: { writtenAt: number; entry: RevocationEntry }[] = [];
  failing = false;
  reads = 0;

  write(kind: RevocationKind, subject: string, cause: RevocationCause, now: number): void {
    this.rows.push({
      writtenAt: now,
      entry: entryFor(kind, subject, cause, { now, tokenLifetimeSeconds: LIFETIME_SECONDS }),
    });
  }

  async readSince(sinceMs: number) {
    this.reads++;
    if (this.failing) throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
    return { entries: this.rows.filter((row) => row.writtenAt >= sinceMs).map((row) => row.entry), malformed: 0 };
  }
}

function httpEvent(token: string, via: 'bearer' | 'cookie'): Record<string, any> {
  const event = loadEvent('authorizer-http-v2.powertools-ts');
  event.routeArn = 'arn:aws:execute-api:eu-west-1:123456789012:api123/$default/GET/echo';
  event.routeKey = 'GET /echo';
  event.rawPath = '/echo';
  event.requestContext = {
    ...event.requestContext,
    http: { ...event.requestContext.http, method: 'GET', path: '/echo' },
  };
  event.headers = via === 'bearer' ? { authorization: `Bearer ${token}` } : {};
  if (via === 'cookie') event.cookies = [`__Host-cg_session=${token}`];
  return event;
}

function publicHttpEvent(): Record<string, any> {
  const event = httpEvent('', 'bearer');
  event.routeArn = 'arn:aws:execute-api:eu-west-1:123456789012:api123/$default/GET/health';
  event.headers = {};
  return event;
}

function restEvent(token: string): Record<string, any> {
  const event = loadEvent('offline-rest-request-authorizer');
  event.methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:api123/dev/GET/echo';
  event.headers = { Authorization: `Bearer ${token}` };
  event.multiValueHeaders = { Authorization: [`Bearer ${token}`] };
  return event;
}

/** The reason the authorizer gave for refusing, or 'allowed'. */
async function outcome(decision: Promise<unknown>): Promise<string> {
  try {
    const response = (await decision) as { isAuthorized?: boolean };
    return response.isAuthorized === false ? 'denied' : 'allowed';
  } catch (error) {
    if (error instanceof UnauthorizedResponse) return error.reason;
    return `error:${(error as { reason?: string }).reason}`;
  }
}

describe('the authorizer with revocation', () => {
  const jwks = new JwksServer();
  let key: TestKey;
  let clock: number;
  let table: TableInMemory;
  let logs: Record<string, unknown>[];
  let verifications: number;
  let authorize: Authorizer;

  beforeAll(async () => {
    await jwks.start();
    key = generateTestKey();
    jwks.serve(jwksOf(key));
  });
  afterAll(() => jwks.stop());

  beforeEach(() => {
    clock = Date.now();
    table = new TableInMemory();
    logs = [];
    verifications = 0;
    const config = loadAuthorizerConfig(
      {
        COGNITO_USER_POOL_ID: 'local_pool',
        COGNITO_ISSUER: jwks.issuer,
        COGNITO_CLIENT_IDS: CLIENT,
        AUTH_RULES: JSON.stringify(RULES),
      },
      undefined,
    );
    const real = createTokenVerifier(config);
    const counting: TokenVerifier = {
      hydrate: real.hydrate,
      verify: (token, accept) => {
        verifications++;
        return real.verify(token, accept);
      },
    };
    const logger = createLogger('authorizer', { write: (line) => logs.push(JSON.parse(line)) });
    const list = new RevocationList(
      table,
      { refreshMs: REFRESH_MS, staleMs: 60_000, stalePolicy: 'deny', tokenLifetimeSeconds: LIFETIME_SECONDS },
      logger,
      () => clock,
    );
    authorize = createAuthorizer(config, counting, logger, undefined, list);
  });

  const token = (overrides: Record<string, unknown> = {}) =>
    signJwt(key, accessClaims({ issuer: jwks.issuer, clientId: CLIENT }, overrides));
  /** Lets a refresh that a request started in the background finish. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('refuses a token whose session was logged out, as a bearer, a cookie and on the REST API: 401 token_revoked', async () => {
    // Prepare
    table.write('session', 'origin-logged-out', 'logout', clock - 1000);
    const revoked = token({ origin_jti: 'origin-logged-out' });
    // Act
    const answers = [
      await outcome(authorize(httpEvent(revoked, 'bearer'))),
      await outcome(authorize(httpEvent(revoked, 'cookie'))),
      await outcome(authorize(restEvent(revoked))),
      await outcome(authorize(httpEvent(token({ origin_jti: 'another-sign-in' }), 'bearer'))),
    ];
    // Assess
    expect(answers).toEqual(['token_revoked', 'token_revoked', 'token_revoked', 'allowed']);
  });

  it('logs the refusal with the sub and what revoked it, never the token', async () => {
    // Prepare
    table.write('user', 'sub-disabled', 'disable', clock);
    const revoked = token({ sub: 'sub-disabled', iat: Math.floor(clock / 1000) - 10 });
    // Act
    await outcome(authorize(httpEvent(revoked, 'bearer')));
    // Assess
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'denied',
        reason: 'token_revoked',
        revokedBy: 'user',
        sub: 'sub-disabled',
      }),
    );
    expect(JSON.stringify(logs)).not.toContain(revoked.split('.')[1]);
  });

  it("refuses a disabled user's tokens issued before the disable, and lets a token issued after it through", async () => {
    // Prepare
    const nowSeconds = Math.floor(clock / 1000);
    table.write('user', 'sub-bob', 'disable', clock);
    // Act
    const before = await outcome(authorize(httpEvent(token({ sub: 'sub-bob', iat: nowSeconds - 60 }), 'bearer')));
    const after = await outcome(authorize(httpEvent(token({ sub: 'sub-bob', iat: nowSeconds + 1 }), 'bearer')));
    // Assess
    expect([before, after]).toEqual(['token_revoked', 'allowed']);
  });

  it('refuses a cached token once a revocation reaches the list: the decision cache is no exemption', async () => {
    // Prepare: allowed, and now in the decision cache
    const held = token({ origin_jti: 'origin-stolen' });
    expect(await outcome(authorize(httpEvent(held, 'bearer')))).toBe('allowed');
    expect(verifications).toBe(1);
    // Act: the session is logged out; the next request after REFRESH_MS starts a refresh, the one after sees it
    table.write('session', 'origin-stolen', 'logout', clock + 1000);
    clock += REFRESH_MS + 1;
    const whileRefreshing = await outcome(authorize(httpEvent(held, 'bearer')));
    await settle();
    const afterRefresh = await outcome(authorize(httpEvent(held, 'bearer')));
    // Assess
    expect(whileRefreshing).toBe('allowed');
    expect(afterRefresh).toBe('token_revoked');
    expect(verifications).toBe(1); // both answers came from the decision cache
  });

  it('fails closed with revocation_unavailable (API Gateway answers 500) when the list is stale and unreadable', async () => {
    // Prepare
    expect(await outcome(authorize(httpEvent(token(), 'bearer')))).toBe('allowed');
    table.failing = true;
    clock += 61_000;
    // Act
    const answer = await outcome(authorize(httpEvent(token(), 'bearer')));
    // Assess
    expect(answer).toBe('error:revocation_unavailable');
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', reason: 'revocation_unavailable' }));
  });

  it('fails closed at once when the copy is stale and a read failed moments ago, without queueing another read', async () => {
    // Prepare: loaded; 59 s later a request answers from the copy and starts a read, which fails
    const held = token();
    expect(await outcome(authorize(httpEvent(held, 'bearer')))).toBe('allowed');
    table.failing = true;
    clock += 59_000;
    expect(await outcome(authorize(httpEvent(held, 'bearer')))).toBe('allowed');
    await settle();
    const readsSoFar = table.reads;
    // Act: 2 s later the copy is past its 60 s limit, and the failed read is younger than REFRESH_MS
    clock += 2_000;
    const answer = await outcome(authorize(httpEvent(held, 'bearer')));
    // Assess
    expect(answer).toBe('error:revocation_unavailable');
    expect(table.reads).toBe(readsSoFar);
  });

  it('lets an anonymous caller reach a public route: there is no token to look up', async () => {
    // Prepare: even a stale, unreadable list does not matter without a token
    table.failing = true;
    clock += 61_000;
    // Act / Assess
    expect(await outcome(authorize(publicHttpEvent()))).toBe('allowed');
  });

  it('does not read the table per request: one read per REVOCATION_REFRESH_SECONDS at most', async () => {
    // Act: 50 requests in the first refresh interval, 50 in the second
    for (let i = 0; i < 50; i++) await authorize(httpEvent(token(), 'bearer'));
    clock += REFRESH_MS + 1;
    for (let i = 0; i < 50; i++) await authorize(httpEvent(token(), 'bearer'));
    await settle();
    // Assess
    expect(table.reads).toBe(2);
  });
});
