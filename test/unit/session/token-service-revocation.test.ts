import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthHandler } from '../../../functions/auth/create-handler.js';
import { loadAuthConfig } from '../../../shared/config/auth-config.js';
import { createLogger } from '../../../shared/logging/logger.js';
import type { OidcEndpoints } from '../../../shared/oidc/discovery.js';
import { type TokenEndpointClient, TokenEndpointRejection } from '../../../shared/oidc/token-endpoint.js';
import {
  createRevocationReader,
  createRevocationWriter,
  type RevocationStoreOptions,
} from '../../../shared/revocation/revocation-store.js';
import { createSessionRevoker } from '../../../shared/revocation/session-revoker.js';
import { createAuthSecrets } from '../../../shared/session/auth-secrets.js';
import { CookieSealer } from '../../../shared/session/seal.js';
import { createTokenVerifier } from '../../../shared/tokens/verifier.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../stack/dynamodb.js';
import { findFreePort } from '../../stack/ports.js';
import { loadEvent } from '../../support/fixtures.js';
import { JwksServer } from '../../support/jwks-server.js';
import {
  accessClaims,
  generateTestKey,
  idClaims,
  jwksOf,
  nowSeconds,
  signJwt,
  type TestKey,
} from '../../support/signing.js';

/**
 * Logout and a refused refresh end the session at the authorizer too: the auth function in-process with real
 * HTTP API events, tokens signed by a JWKS of our own, the revocation table in dynalite. A stub plays the IdP's
 * token endpoint.
 */
const CLIENT_ID = 'unit-web-client';
const COOKIE_SECRET = 'unit-test-cookie-secret-0123456789abcdef';
const ENDPOINTS: OidcEndpoints = {
  authorization: 'https://auth.example.com/oauth2/authorize',
  token: 'https://auth.example.com/oauth2/token',
  revocation: 'https://auth.example.com/oauth2/revoke',
  logout: 'https://auth.example.com/logout',
};

type Result = { statusCode: number; headers: Record<string, string>; body: string; cookies?: string[] };

function event(method: string, path: string, cookies: string[], headers: Record<string, string> = {}) {
  const base = loadEvent('no-authorizer.aws-lambda-go');
  Object.assign(base, { rawPath: path, rawQueryString: '', routeKey: `${method} ${path}`, cookies });
  Object.assign(base.requestContext, { routeKey: `${method} ${path}` });
  Object.assign(base.requestContext.http, { method, path });
  Object.assign(base.headers, headers);
  return base;
}

describe('the token service ends sessions at the authorizer', () => {
  const issuer = new JwksServer();
  let key: TestKey;
  let db: LocalDynamoDb;
  let storeOptions: RevocationStoreOptions;
  let logLines: Record<string, unknown>[];
  let tokenClient: {
    exchangeCode: ReturnType<typeof vi.fn>;
    refresh: ReturnType<typeof vi.fn>;
    revoke: ReturnType<typeof vi.fn>;
  };
  let handler: (event: unknown) => Promise<Result>;

  beforeAll(async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    await issuer.start('/us-east-1_unit');
    key = generateTestKey();
    issuer.serve(jwksOf(key));
    db = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await db.stop();
    await issuer.stop();
    vi.unstubAllEnvs();
  });

  /** The auth function with its session revoker writing to `endpoint`. */
  function authFunction(endpoint = db.endpoint) {
    const config = loadAuthConfig({
      COGNITO_USER_POOL_ID: 'us-east-1_unit',
      COGNITO_ISSUER: issuer.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: 'unit-client-secret',
      OIDC_REDIRECT_URI: 'https://app.example.com/auth/callback',
      COOKIE_SECRET,
    });
    const logger = createLogger('auth', { write: (line) => logLines.push(JSON.parse(line)) });
    const verifier = createTokenVerifier({
      issuers: [config.issuer],
      clientIds: [CLIENT_ID],
      clockSkewSeconds: 0,
      jwksTimeoutMs: 300,
      jwksCooldownSeconds: 1,
    });
    const lambda = createAuthHandler({
      config,
      logger,
      verifier,
      endpoints: { get: async () => ENDPOINTS },
      tokenClient: tokenClient as unknown as TokenEndpointClient,
      secrets: createAuthSecrets(config),
      sessionRevoker: createSessionRevoker({
        writer: createRevocationWriter({ ...storeOptions, endpoint }),
        verifier,
        logger,
      }),
    });
    return (input: unknown) => lambda(input as never, {} as never) as Promise<Result>;
  }

  beforeEach(() => {
    logLines = [];
    storeOptions = {
      tableName: db.tables.RevocationTable!,
      region: 'us-east-1',
      endpoint: db.endpoint,
      tokenLifetimeSeconds: 3600,
      timeoutMs: 2000,
    };
    tokenClient = { exchangeCode: vi.fn(), refresh: vi.fn(), revoke: vi.fn(async () => undefined) };
    handler = authFunction();
  });

  const fixture = {
    get issuer() {
      return issuer.issuer;
    },
    clientId: CLIENT_ID,
  };
  /** The cookies a signed-in browser sends: access token, ID token, sealed refresh token. */
  function sessionCookies(originJti: string | undefined, overrides: Record<string, unknown> = {}): string[] {
    const claims = { origin_jti: originJti, ...overrides };
    const sealed = new CookieSealer([COOKIE_SECRET]).seal(
      'refresh',
      { t: 'opaque-refresh-token', sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' },
      { ttlSeconds: 3600, nowSeconds: nowSeconds() },
    );
    return [
      `cg_session=${signJwt(key, accessClaims(fixture, claims))}`,
      `cg_id=${signJwt(key, idClaims(fixture, claims))}`,
      `cg_refresh=${sealed}`,
    ];
  }
  const revokedSessions = async () =>
    (await createRevocationReader(storeOptions).readSince(0, Date.now())).entries
      .filter((entry) => entry.kind === 'session')
      .map((entry) => entry.subject);

  it('logout writes a session entry for the sign-in its tokens came from, then signs out as before', async () => {
    // Act
    const result = await handler(event('GET', '/auth/logout', sessionCookies('origin-logout-1')));
    // Assess
    expect(result.statusCode).toBe(302);
    expect(await revokedSessions()).toContain('origin-logout-1');
    expect(tokenClient.revoke).toHaveBeenCalled();
    expect(logLines).toContainEqual(
      expect.objectContaining({
        message: 'session revoked at the authorizer',
        cause: 'logout',
        sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      }),
    );
  });

  it('a refresh that Cognito refuses (invalid_grant) writes a session entry, and ends the session with 401', async () => {
    // Prepare
    tokenClient.refresh.mockRejectedValueOnce(new TokenEndpointRejection('invalid_grant', 400));
    // Act
    const result = await handler(
      event('POST', '/auth/refresh', sessionCookies('origin-refresh-1'), {
        origin: 'https://app.example.com',
        'x-requested-with': 'fetch',
      }),
    );
    // Assess
    expect(result.statusCode).toBe(401);
    expect(await revokedSessions()).toContain('origin-refresh-1');
  });

  it('writes nothing for tokens that do not verify: an attacker cannot revoke sessions with forged cookies', async () => {
    // Prepare: well-formed tokens naming a victim's sign-in, signed with the attacker's own key
    const attackerKey = generateTestKey();
    const forged = [
      `cg_session=${signJwt(attackerKey, accessClaims(fixture, { origin_jti: 'origin-of-the-victim' }))}`,
      `cg_id=${signJwt(attackerKey, idClaims(fixture, { origin_jti: 'origin-of-the-victim' }))}`,
    ];
    // Act
    const result = await handler(event('GET', '/auth/logout', forged));
    // Assess
    expect(result.statusCode).toBe(302);
    expect(await revokedSessions()).not.toContain('origin-of-the-victim');
    expect(logLines).toContainEqual(
      expect.objectContaining({
        message: 'no session to revoke at the authorizer',
        tokens: ['token_invalid', 'token_invalid'],
      }),
    );
  });

  it('writes nothing for expired tokens: nothing of that sign-in is left to use', async () => {
    const expired = sessionCookies('origin-expired', { exp: nowSeconds() - 60 });
    await handler(event('GET', '/auth/logout', expired));
    expect(await revokedSessions()).not.toContain('origin-expired');
  });

  it('signs out all the same when the table cannot be written, and logs the failure as an error', async () => {
    // Prepare: nothing listens where the table should be
    handler = authFunction(`http://127.0.0.1:${await findFreePort()}`);
    // Act
    const result = await handler(event('GET', '/auth/logout', sessionCookies('origin-unwritten')));
    // Assess
    expect(result.statusCode).toBe(302);
    expect(result.cookies?.every((cookie) => cookie.includes('Max-Age=0'))).toBe(true);
    expect(logLines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'session not revoked at the authorizer', cause: 'logout' }),
    );
  });
});
