import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthHandler } from '../../../functions/auth/create-handler.js';
import { loadAuthConfig } from '../../../shared/config/auth-config.js';
import { UpstreamError } from '../../../shared/errors/gate-error.js';
import { createLogger } from '../../../shared/logging/logger.js';
import type { OidcEndpoints } from '../../../shared/oidc/discovery.js';
import {
  type TokenEndpointClient,
  TokenEndpointRejection,
  type TokenSet,
} from '../../../shared/oidc/token-endpoint.js';
import { createAuthSecrets } from '../../../shared/session/auth-secrets.js';
import { CookieSealer } from '../../../shared/session/seal.js';
import { findToken } from '../../../shared/tokens/token-source.js';
import { createTokenVerifier } from '../../../shared/tokens/verifier.js';
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
 * The auth function in-process, fed real HTTP API event shapes: a JWKS server and keys of our own play the
 * IdP's signing side, a stub plays its token endpoint. Every failure path the browser can cause.
 */
const CLIENT_ID = 'unit-web-client';
const COOKIE_SECRET = 'unit-test-cookie-secret-0123456789abcdef';
const ENDPOINTS: OidcEndpoints = {
  authorization: 'https://auth.example.com/oauth2/authorize',
  token: 'https://auth.example.com/oauth2/token',
  revocation: 'https://auth.example.com/oauth2/revoke',
  logout: 'https://auth.example.com/logout',
};
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

type Result = { statusCode: number; headers: Record<string, string>; body: string; cookies?: string[] };

function event(
  method: string,
  path: string,
  { query = '', cookies = [] as string[], headers = {} as Record<string, string> } = {},
) {
  const base = loadEvent('no-authorizer.aws-lambda-go');
  Object.assign(base, { rawPath: path, rawQueryString: query, routeKey: `${method} ${path}` });
  Object.assign(base.requestContext, { routeKey: `${method} ${path}` });
  Object.assign(base.requestContext.http, { method, path });
  Object.assign(base.headers, headers);
  if (cookies.length > 0) base.cookies = cookies;
  return base;
}

/** name=value of every cookie a response sets (cleared ones left out), as a browser would send them back. */
function kept(result: Result): string[] {
  return (result.cookies ?? [])
    .filter((cookie) => !/Max-Age=0(;|$)/.test(cookie))
    .map((cookie) => cookie.slice(0, cookie.indexOf(';')));
}
const names = (result: Result) => (result.cookies ?? []).map((cookie) => cookie.slice(0, cookie.indexOf('=')));
const errorCode = (result: Result) => (JSON.parse(result.body) as { error: { code: string } }).error.code;

describe('the token service, in-process', () => {
  const issuer = new JwksServer();
  let key: TestKey;
  let clock: number;
  let tokenClient: {
    exchangeCode: ReturnType<typeof vi.fn>;
    refresh: ReturnType<typeof vi.fn>;
    revoke: ReturnType<typeof vi.fn>;
  };
  let logLines: string[];
  let handler: (event: unknown) => Promise<Result>;

  beforeAll(async () => {
    await issuer.start('/us-east-1_unit');
    key = generateTestKey();
    issuer.serve(jwksOf(key));
  });
  afterAll(() => issuer.stop());

  beforeEach(() => {
    issuer.mode = 'ok';
    clock = Date.now();
    logLines = [];
    tokenClient = { exchangeCode: vi.fn(), refresh: vi.fn(), revoke: vi.fn(async () => undefined) };
    const config = loadAuthConfig({
      COGNITO_USER_POOL_ID: 'us-east-1_unit',
      COGNITO_ISSUER: issuer.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: 'unit-client-secret',
      OIDC_REDIRECT_URI: 'https://app.example.com/auth/callback',
      COOKIE_SECRET,
      POST_LOGIN_PATHS: '/app',
      POST_LOGOUT_PATHS: '/,/bye',
      JWKS_TIMEOUT_MS: '300',
    });
    const lambda = createAuthHandler({
      config,
      logger: createLogger('auth', { level: 'debug', write: (line) => logLines.push(line) }),
      verifier: createTokenVerifier({
        issuers: [config.issuer],
        clientIds: [CLIENT_ID],
        clockSkewSeconds: 0,
        jwksTimeoutMs: 300,
        jwksCooldownSeconds: 1,
      }),
      endpoints: { get: async () => ENDPOINTS },
      tokenClient: tokenClient as unknown as TokenEndpointClient,
      secrets: createAuthSecrets(config),
      now: () => clock,
    });
    handler = (input) => lambda(input as never, {} as never) as Promise<Result>;
  });

  const fixture = {
    get issuer() {
      return issuer.issuer;
    },
    clientId: CLIENT_ID,
  };
  const tokensFor = (
    nonce: string,
    overrides: { access?: Record<string, unknown>; id?: Record<string, unknown> } = {},
  ): TokenSet => ({
    accessToken: signJwt(key, accessClaims(fixture, overrides.access)),
    idToken: signJwt(key, idClaims(fixture, { nonce, ...overrides.id })),
    refreshToken: 'opaque-refresh-token-from-the-idp',
    expiresIn: 3600,
  });

  /** GET /auth/login, and what the browser would bring back to the callback. */
  async function login(returnTo = '/app/orders') {
    const result = await handler(event('GET', '/auth/login', { query: `return_to=${encodeURIComponent(returnTo)}` }));
    const location = new URL(result.headers.location!);
    return {
      result,
      state: location.searchParams.get('state')!,
      nonce: location.searchParams.get('nonce')!,
      flowCookies: kept(result),
    };
  }

  async function signIn(tokenOverrides: Parameters<typeof tokensFor>[1] = {}) {
    const { state, nonce, flowCookies } = await login();
    tokenClient.exchangeCode.mockResolvedValueOnce(tokensFor(nonce, tokenOverrides));
    const result = await handler(
      event('GET', '/auth/callback', { query: `code=the-code&state=${state}`, cookies: flowCookies }),
    );
    return { result, session: kept(result) };
  }

  describe('GET /auth/login', () => {
    it('answers 302 to the authorize endpoint and a sealed, HttpOnly flow cookie on the callback path', async () => {
      // Act
      const { result, state } = await login();
      // Assess
      expect(result.statusCode).toBe(302);
      expect(result.headers.location).toMatch(
        /^https:\/\/auth\.example\.com\/oauth2\/authorize\?response_type=code&client_id=unit-web-client/,
      );
      expect(result.headers['cache-control']).toBe('no-store');
      expect(result.cookies).toEqual([
        expect.stringMatching(
          /^cg_flow=v1\.[\w-]+; Path=\/auth\/callback; Max-Age=600; HttpOnly; Secure; SameSite=Lax$/,
        ),
      ]);
      expect(result.cookies![0]).not.toContain(state);
    });

    it('answers 400 to an identity_provider that is not a provider name', async () => {
      const result = await handler(event('GET', '/auth/login', { query: 'identity_provider=a%20b' }));
      expect(result.statusCode).toBe(400);
      expect(errorCode(result)).toBe('bad_request');
    });
  });

  describe('GET /auth/callback', () => {
    it('exchanges the code with the PKCE verifier and sets the session cookies', async () => {
      // Act
      const { result } = await signIn();
      // Assess
      expect(result.statusCode).toBe(302);
      expect(result.headers.location).toBe('/app/orders');
      expect(tokenClient.exchangeCode).toHaveBeenCalledWith(
        expect.objectContaining({
          code: 'the-code',
          redirectUri: 'https://app.example.com/auth/callback',
          verifier: expect.stringMatching(/^[\w-]{43}$/),
        }),
      );
      expect(names(result)).toEqual(['cg_session', 'cg_id', 'cg_refresh', 'cg_flow']);
      expect(result.cookies![0]).toMatch(/; Path=\/; Max-Age=3[56]\d\d; HttpOnly; Secure; SameSite=Lax$/);
      expect(result.cookies![1]).toMatch(/; Path=\/auth; Max-Age=3[56]\d\d; HttpOnly; Secure; SameSite=Lax$/);
      expect(result.cookies![2]).toMatch(
        /^cg_refresh=v1\.[\w-]+; Path=\/auth; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax$/,
      );
      expect(result.cookies!.join()).not.toContain('opaque-refresh-token-from-the-idp');
    });

    it('splits a large access token into chunks that the authorizer reads back', async () => {
      // Prepare: a user in very many groups has a token past 4096 bytes.
      const groups = Array.from({ length: 300 }, (_, index) => `group-with-a-long-name-${index}`);
      // Act
      const { result, session } = await signIn({ access: { 'cognito:groups': groups } });
      // Assess
      expect(names(result)).toEqual(expect.arrayContaining(['cg_session.0', 'cg_session.1', 'cg_session.2']));
      for (const cookie of result.cookies!) expect(Buffer.byteLength(cookie)).toBeLessThanOrEqual(4096);
      const found = findToken({ headers: { cookie: session.join('; ') } }, 'cg_session');
      expect(
        JSON.parse(Buffer.from(found.token.split('.')[1]!, 'base64url').toString())['cognito:groups'],
      ).toHaveLength(300);
    });

    it.each([
      ['nonce_mismatch', 'a nonce from another login', { id: { nonce: 'someone-elses-nonce' } }],
      ['nonce_mismatch', 'no nonce at all', { id: { nonce: undefined } }],
      ['login_failed', 'an ID token for another client', { id: { aud: 'other-client' } }],
      ['login_failed', 'an expired ID token', { id: { exp: nowSeconds() - 60 } }],
      ['login_failed', 'an access token for another client', { access: { client_id: 'other-client' } }],
      ['login_failed', 'tokens for two different users', { access: { sub: 'someone-else' } }],
      ['login_failed', 'an access token where the ID token should be', { id: { token_use: 'access' } }],
    ])('answers 400 %s to %s, and sets no session cookie', async (code, _case, overrides) => {
      // Act
      const { result } = await signIn(overrides);
      // Assess
      expect(result.statusCode).toBe(400);
      expect(errorCode(result)).toBe(code);
      expect(names(result)).toEqual(['cg_flow']);
    });

    it('answers 400 when the IdP sends no ID token', async () => {
      // Prepare
      const { state, nonce, flowCookies } = await login();
      const { idToken: _none, ...withoutId } = tokensFor(nonce);
      tokenClient.exchangeCode.mockResolvedValueOnce(withoutId);
      // Act
      const result = await handler(
        event('GET', '/auth/callback', { query: `code=c&state=${state}`, cookies: flowCookies }),
      );
      // Assess
      expect(result.statusCode).toBe(400);
      expect(errorCode(result)).toBe('login_failed');
    });

    it('answers 400 flow_expired after LOGIN_FLOW_TTL_SECONDS, without calling the token endpoint', async () => {
      // Prepare
      const { state, flowCookies } = await login();
      clock += 601_000;
      // Act
      const result = await handler(
        event('GET', '/auth/callback', { query: `code=c&state=${state}`, cookies: flowCookies }),
      );
      // Assess
      expect(result.statusCode).toBe(400);
      expect(errorCode(result)).toBe('flow_expired');
      expect(tokenClient.exchangeCode).not.toHaveBeenCalled();
    });

    it('answers 400 flow_missing to a forged flow cookie', async () => {
      const { state } = await login();
      const forged = new CookieSealer(['an-attacker-secret-0123456789abcdefghij']).seal(
        'flow',
        { s: state, n: 'n', v: 'v', r: '/' },
        { ttlSeconds: 600, nowSeconds: nowSeconds() },
      );
      const result = await handler(
        event('GET', '/auth/callback', { query: `code=c&state=${state}`, cookies: [`cg_flow=${forged}`] }),
      );
      expect(errorCode(result)).toBe('flow_missing');
    });

    it('answers 400 state_mismatch to a repeated state parameter', async () => {
      const { state, flowCookies } = await login();
      const result = await handler(
        event('GET', '/auth/callback', { query: `code=c&state=${state}&state=${state}`, cookies: flowCookies }),
      );
      expect(errorCode(result)).toBe('state_mismatch');
    });

    it('answers 400 when an RFC 9207 iss parameter names another issuer', async () => {
      const { state, flowCookies } = await login();
      const result = await handler(
        event('GET', '/auth/callback', {
          query: `code=c&state=${state}&iss=${encodeURIComponent('https://evil.example.com')}`,
          cookies: flowCookies,
        }),
      );
      expect(errorCode(result)).toBe('login_failed');
      expect(tokenClient.exchangeCode).not.toHaveBeenCalled();
    });

    it.each([
      ['code_rejected', 'invalid_grant'],
      ['token_exchange_failed', 'invalid_client'],
      ['token_exchange_failed', 'unauthorized_client'],
    ])('answers 400 %s when the token endpoint says %s', async (code, oauthError) => {
      // Prepare
      const { state, flowCookies } = await login();
      tokenClient.exchangeCode.mockRejectedValueOnce(new TokenEndpointRejection(oauthError, 400));
      // Act
      const result = await handler(
        event('GET', '/auth/callback', { query: `code=c&state=${state}`, cookies: flowCookies }),
      );
      // Assess
      expect(result.statusCode).toBe(400);
      expect(errorCode(result)).toBe(code);
    });

    it('answers 502, not 500, when the token endpoint cannot be reached', async () => {
      const { state, flowCookies } = await login();
      tokenClient.exchangeCode.mockRejectedValueOnce(new UpstreamError('auth.example.com could not be reached'));
      const result = await handler(
        event('GET', '/auth/callback', { query: `code=c&state=${state}`, cookies: flowCookies }),
      );
      expect(result.statusCode).toBe(502);
      expect(errorCode(result)).toBe('upstream_unavailable');
    });

    it('answers 503 when the JWKS cannot be fetched, and sets no session', async () => {
      // Prepare
      issuer.mode = 'down';
      // Act
      const { result } = await signIn();
      // Assess
      expect(result.statusCode).toBe(503);
      expect(names(result)).toEqual(['cg_flow']);
    });

    const documentedErrors: Array<[string, string]> = [
      ...loadEvent('cognito-authorize-redirects.aws-docs').error_redirects,
      ...loadEvent('cognito-authorize-redirects.aws-docs').real_world_error_redirects,
    ].map((redirect: { location: string }) => [
      new URL(redirect.location).searchParams.get('error')!,
      new URL(redirect.location).search.slice(1),
    ]);
    it.each(documentedErrors)(
      "answers Cognito's documented error redirect (%s) with 400 idp_error and no token exchange",
      async (code, query) => {
        // Prepare
        const { flowCookies } = await login();
        // Act
        const result = await handler(event('GET', '/auth/callback', { query, cookies: flowCookies }));
        // Assess
        expect(result.statusCode).toBe(400);
        expect(errorCode(result)).toBe('idp_error');
        expect((JSON.parse(result.body) as { error: { message: string } }).error.message).toContain(code);
        expect(names(result)).toEqual(['cg_flow']);
        expect(tokenClient.exchangeCode).not.toHaveBeenCalled();
      },
    );

    it('shows a browser an HTML page that escapes what the IdP sent', async () => {
      // Act
      const result = await handler(
        event('GET', '/auth/callback', {
          query: 'error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
          headers: { accept: BROWSER_ACCEPT },
        }),
      );
      // Assess
      expect(result.statusCode).toBe(400);
      expect(result.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(result.headers['content-security-policy']).toContain("default-src 'none'");
      expect(result.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
      expect(result.body).not.toContain('<script>');
      expect(result.body).toContain('<a href="/auth/login">Sign in again</a>');
    });

    it('never logs a token, a code or a refresh token', async () => {
      // Act
      await signIn();
      await signIn({ id: { nonce: 'wrong' } });
      // Assess
      const log = logLines.join('\n');
      expect(log).toContain('login completed');
      expect(log).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
      expect(log).not.toContain('the-code');
      expect(log).not.toContain('opaque-refresh-token-from-the-idp');
    });
  });

  describe('GET /auth/me', () => {
    it('answers the claims of the ID token in the cookie', async () => {
      // Prepare
      const { session } = await signIn();
      // Act
      const result = await handler(event('GET', '/auth/me', { cookies: session }));
      // Assess
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body)).toEqual({
        sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        username: 'alice',
        email: 'alice@example.com',
        groups: ['users'],
        expiresAt: expect.any(Number),
      });
    });

    it('answers 401 session_expired once the ID token has expired', async () => {
      const idToken = signJwt(key, idClaims(fixture, { exp: nowSeconds() - 10 }));
      const result = await handler(event('GET', '/auth/me', { cookies: [`cg_id=${idToken}`] }));
      expect(result.statusCode).toBe(401);
      expect(errorCode(result)).toBe('session_expired');
    });

    it('answers 401 to an ID token signed by someone else, or an access token in the ID cookie', async () => {
      const foreign = signJwt(generateTestKey(), idClaims(fixture));
      const access = signJwt(key, accessClaims(fixture));
      for (const token of [foreign, access, 'not-a-jwt']) {
        const result = await handler(event('GET', '/auth/me', { cookies: [`cg_id=${token}`] }));
        expect(result.statusCode).toBe(401);
      }
    });
  });

  describe('POST /auth/refresh', () => {
    const refreshHeaders = { origin: 'https://app.example.com', 'x-requested-with': 'fetch' };

    it('renews the access and ID cookies, and keeps a refresh token that Cognito did not rotate', async () => {
      // Prepare
      const { session } = await signIn();
      tokenClient.refresh.mockResolvedValueOnce({
        accessToken: signJwt(key, accessClaims(fixture)),
        idToken: signJwt(key, idClaims(fixture)),
      });
      // Act
      const result = await handler(event('POST', '/auth/refresh', { cookies: session, headers: refreshHeaders }));
      // Assess
      expect(result.statusCode).toBe(200);
      expect(tokenClient.refresh).toHaveBeenCalledWith(
        expect.objectContaining({ refreshToken: 'opaque-refresh-token-from-the-idp' }),
      );
      expect(names(result)).toEqual(['cg_session', 'cg_id']);
    });

    it('stores a rotated refresh token', async () => {
      const { session } = await signIn();
      tokenClient.refresh.mockResolvedValueOnce({
        accessToken: signJwt(key, accessClaims(fixture)),
        idToken: signJwt(key, idClaims(fixture)),
        refreshToken: 'rotated',
      });
      const result = await handler(event('POST', '/auth/refresh', { cookies: session, headers: refreshHeaders }));
      expect(names(result)).toEqual(['cg_session', 'cg_id', 'cg_refresh']);
    });

    it('ends the session with 401 when the refresh token was revoked (invalid_grant)', async () => {
      // Prepare
      const { session } = await signIn();
      tokenClient.refresh.mockRejectedValueOnce(new TokenEndpointRejection('invalid_grant', 400));
      // Act
      const result = await handler(event('POST', '/auth/refresh', { cookies: session, headers: refreshHeaders }));
      // Assess
      expect(result.statusCode).toBe(401);
      expect(errorCode(result)).toBe('session_expired');
      expect(names(result)).toEqual(['cg_session', 'cg_id', 'cg_refresh', 'cg_flow']);
      expect(kept(result)).toEqual([]);
    });

    it('ends the session when the refreshed tokens are for another user', async () => {
      const { session } = await signIn();
      tokenClient.refresh.mockResolvedValueOnce({
        accessToken: signJwt(key, accessClaims(fixture, { sub: 'mallory' })),
        idToken: signJwt(key, idClaims(fixture, { sub: 'mallory' })),
      });
      const result = await handler(event('POST', '/auth/refresh', { cookies: session, headers: refreshHeaders }));
      expect(result.statusCode).toBe(401);
      expect(kept(result)).toEqual([]);
    });

    it('keeps the session when the token endpoint refuses our client (invalid_client): 502, no cookie touched', async () => {
      // Prepare: a rotated client secret is the operator's fault, not a reason to sign every user out
      const { session } = await signIn();
      tokenClient.refresh.mockRejectedValueOnce(new TokenEndpointRejection('invalid_client', 401));
      // Act
      const result = await handler(event('POST', '/auth/refresh', { cookies: session, headers: refreshHeaders }));
      // Assess
      expect(result.statusCode).toBe(502);
      expect(errorCode(result)).toBe('upstream_unavailable');
      expect(result.cookies).toBeUndefined();
    });

    it('keeps the session when the IdP is down: 502, no cookie touched', async () => {
      const { session } = await signIn();
      tokenClient.refresh.mockRejectedValueOnce(new UpstreamError('down'));
      const result = await handler(event('POST', '/auth/refresh', { cookies: session, headers: refreshHeaders }));
      expect(result.statusCode).toBe(502);
      expect(result.cookies).toBeUndefined();
    });

    it('answers 401 to a refresh cookie sealed for another purpose', async () => {
      const flowSealed = new CookieSealer([COOKIE_SECRET]).seal(
        'flow',
        { t: 'x', sub: 'y' },
        { ttlSeconds: 600, nowSeconds: nowSeconds() },
      );
      const result = await handler(
        event('POST', '/auth/refresh', { cookies: [`cg_refresh=${flowSealed}`], headers: refreshHeaders }),
      );
      expect(result.statusCode).toBe(401);
      expect(tokenClient.refresh).not.toHaveBeenCalled();
    });
  });

  describe('/auth/logout', () => {
    it("revokes the refresh token, clears every cookie and its chunks, and redirects to Cognito's logout", async () => {
      // Prepare
      const { session } = await signIn();
      // Act
      const result = await handler(
        event('GET', '/auth/logout', {
          query: 'return_to=%2Fbye',
          cookies: [...session, 'cg_session.0=stale', 'cg_session.1=stale'],
        }),
      );
      // Assess
      expect(tokenClient.revoke).toHaveBeenCalledWith(
        expect.objectContaining({
          revocationEndpoint: ENDPOINTS.revocation,
          token: 'opaque-refresh-token-from-the-idp',
        }),
      );
      expect(result.statusCode).toBe(302);
      expect(result.headers.location).toBe(
        `${ENDPOINTS.logout}?client_id=${CLIENT_ID}&logout_uri=${encodeURIComponent('https://app.example.com/bye')}`,
      );
      expect(names(result)).toEqual(['cg_session', 'cg_session.0', 'cg_session.1', 'cg_id', 'cg_refresh', 'cg_flow']);
      expect(kept(result)).toEqual([]);
    });

    it('still signs out when revocation fails, and says so in the log', async () => {
      // Prepare
      const { session } = await signIn();
      tokenClient.revoke.mockRejectedValueOnce(new UpstreamError('down'));
      // Act
      const result = await handler(
        event('POST', '/auth/logout', { cookies: session, headers: { origin: 'https://app.example.com' } }),
      );
      // Assess
      expect(result.statusCode).toBe(302);
      expect(kept(result)).toEqual([]);
      expect(logLines.some((line) => line.includes('refresh token not revoked'))).toBe(true);
    });

    it('refuses a POST from another origin with 403 and clears nothing', async () => {
      const { session } = await signIn();
      const result = await handler(
        event('POST', '/auth/logout', { cookies: session, headers: { origin: 'https://evil.example.com' } }),
      );
      expect(result.statusCode).toBe(403);
      expect(result.cookies).toBeUndefined();
      expect(tokenClient.revoke).not.toHaveBeenCalled();
    });
  });

  it('answers 404 to a route it does not have, as JSON or as a page', async () => {
    const asJson = await handler(event('GET', '/auth/nowhere'));
    const asHtml = await handler(event('GET', '/auth/nowhere', { headers: { accept: BROWSER_ACCEPT } }));
    expect(asJson.statusCode).toBe(404);
    expect(errorCode(asJson)).toBe('not_found');
    expect(asHtml.statusCode).toBe(404);
    expect(asHtml.headers['content-type']).toMatch(/^text\/html/);
  });
});
