import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthHandler } from '../../../functions/auth/create-handler.js';
import { TokenEndpointRejection } from '../../../shared/errors/login-errors.js';
import { createLogger } from '../../../shared/logging/logger.js';
import type { OidcEndpoints } from '../../../shared/oidc/discovery.js';
import type { TokenEndpointClient } from '../../../shared/oidc/token-endpoint.js';
import {
  createRevocationReader,
  createRevocationWriter,
  type RevocationStoreOptions,
} from '../../../shared/revocation/revocation-store.js';
import { createSessionRevoker } from '../../../shared/revocation/session-revoker.js';
import { loadAuthConfig } from '../../../shared/session/auth-config.js';
import { createAuthSecrets } from '../../../shared/session/auth-secrets.js';
import { createTokenVerifier } from '../../../shared/tokens/verifier.js';
import { LOCAL_DYNAMODB_CREDENTIALS, type LocalDynamoDb, startLocalDynamoDb } from '../../stack/dynamodb.js';
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
const SESSION = '__Host-cg_session';
const OUR_PAGE = { origin: 'https://app.example.com', 'sec-fetch-site': 'same-origin' };
const ENDPOINTS: OidcEndpoints = {
  authorization: 'https://auth.example.com/oauth2/authorize',
  token: 'https://auth.example.com/oauth2/token',
  revocation: 'https://auth.example.com/oauth2/revoke',
  logout: 'https://auth.example.com/logout',
};

type Result = { statusCode: number; headers: Record<string, string>; body: string; cookies?: string[] };

function event(method: string, path: string, cookies: string[], headers: Record<string, string> = {}, query = '') {
  const base = loadEvent('no-authorizer.aws-lambda-go');
  Object.assign(base, { rawPath: path, rawQueryString: query, routeKey: `${method} ${path}` });
  Object.assign(base.requestContext, { routeKey: `${method} ${path}` });
  Object.assign(base.requestContext.http, { method, path });
  Object.assign(base.headers, headers);
  if (cookies.length > 0) base.cookies = cookies;
  return base;
}

/** One browser's cookies: later Set-Cookie headers win, Max-Age=0 removes. */
class Browser {
  readonly cookies = new Map<string, string>();
  take(result: Result): this {
    for (const header of result.cookies ?? []) {
      const pair = header.slice(0, header.indexOf(';'));
      const name = pair.slice(0, pair.indexOf('='));
      if (/Max-Age=0(;|$)/.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(name.length + 1));
    }
    return this;
  }
  get sent(): string[] {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`);
  }
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
      POST_LOGIN_PATHS: '/app',
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

  /** A browser signed in through /auth/login and /auth/callback, with tokens of the sign-in `originJti`. */
  async function signIn(originJti: string, claims: Record<string, unknown> = {}): Promise<Browser> {
    const browser = new Browser();
    const login = await handler(event('GET', '/auth/login', [], {}, 'return_to=%2Fapp'));
    browser.take(login);
    const authorize = new URL(login.headers.location!);
    tokenClient.exchangeCode.mockResolvedValueOnce({
      accessToken: signJwt(key, accessClaims(fixture, { origin_jti: originJti, ...claims })),
      idToken: signJwt(key, idClaims(fixture, { nonce: authorize.searchParams.get('nonce'), origin_jti: originJti })),
      refreshToken: 'opaque-refresh-token-from-the-idp',
      expiresIn: 3600,
    });
    const state = authorize.searchParams.get('state')!;
    const callback = await handler(event('GET', '/auth/callback', browser.sent, {}, `code=the-code&state=${state}`));
    expect(callback.statusCode).toBe(302);
    return browser.take(callback);
  }

  const revokedSessions = async () =>
    (await createRevocationReader(storeOptions, LOCAL_DYNAMODB_CREDENTIALS).readSince(0, Date.now())).entries
      .filter((entry) => entry.kind === 'session')
      .map((entry) => entry.subject);

  it('logout writes a session entry for the sign-in its access token came from, then signs out as before', async () => {
    // Prepare
    const browser = await signIn('origin-logout-1');
    // Act
    const result = await handler(event('POST', '/auth/logout', browser.sent, OUR_PAGE));
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
    const browser = await signIn('origin-refresh-1');
    tokenClient.refresh.mockRejectedValueOnce(new TokenEndpointRejection('invalid_grant', 400));
    // Act
    const result = await handler(
      event('POST', '/auth/refresh', browser.sent, { ...OUR_PAGE, 'x-requested-with': 'fetch' }),
    );
    // Assess
    expect(result.statusCode).toBe(401);
    expect(await revokedSessions()).toContain('origin-refresh-1');
  });

  it('writes nothing for a token that does not verify: an attacker cannot revoke sessions with a forged cookie', async () => {
    // Prepare: a well-formed access token naming a victim's sign-in, signed with the attacker's own key
    const forged = signJwt(generateTestKey(), accessClaims(fixture, { origin_jti: 'origin-of-the-victim' }));
    // Act
    const result = await handler(event('POST', '/auth/logout', [`${SESSION}=${forged}`], OUR_PAGE));
    // Assess
    expect(result.statusCode).toBe(302);
    expect(await revokedSessions()).not.toContain('origin-of-the-victim');
    expect(logLines).toContainEqual(
      expect.objectContaining({ message: 'no session to revoke at the authorizer', tokens: ['token_invalid'] }),
    );
  });

  it('writes nothing for an expired token: nothing of that sign-in is left to use', async () => {
    const browser = await signIn('origin-expired', { exp: nowSeconds() + 3600 });
    const expired = signJwt(key, accessClaims(fixture, { origin_jti: 'origin-expired', exp: nowSeconds() - 60 }));
    browser.cookies.set(SESSION, expired);
    await handler(event('POST', '/auth/logout', browser.sent, OUR_PAGE));
    expect(await revokedSessions()).not.toContain('origin-expired');
  });

  it('revokes both sign-ins when a sibling planted a second session cookie: the planted one is its owner to lose', async () => {
    // Prepare
    const victim = await signIn('origin-victim');
    const planted = signJwt(key, accessClaims(fixture, { origin_jti: 'origin-planted', sub: 'mallory' }));
    // Act
    const result = await handler(event('POST', '/auth/logout', [...victim.sent, `${SESSION}=${planted}`], OUR_PAGE));
    // Assess
    expect(result.statusCode).toBe(302);
    expect(await revokedSessions()).toEqual(expect.arrayContaining(['origin-victim', 'origin-planted']));
  });

  it('signs out all the same when the table cannot be written, and logs the failure as an error', async () => {
    // Prepare: nothing listens where the table should be
    handler = authFunction(`http://127.0.0.1:${await findFreePort()}`);
    const browser = await signIn('origin-unwritten');
    // Act
    const result = await handler(event('POST', '/auth/logout', browser.sent, OUR_PAGE));
    // Assess
    expect(result.statusCode).toBe(302);
    expect(result.cookies?.every((cookie) => cookie.includes('Max-Age=0'))).toBe(true);
    expect(logLines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'session not revoked at the authorizer', cause: 'logout' }),
    );
  });
});
