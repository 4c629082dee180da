import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthHandler } from '../../../functions/auth/create-handler.js';
import { UpstreamError } from '../../../shared/errors/gate-error.js';
import { TokenEndpointRejection } from '../../../shared/errors/login-errors.js';
import { createLogger } from '../../../shared/logging/logger.js';
import type { OidcEndpoints } from '../../../shared/oidc/discovery.js';
import type { TokenEndpointClient, TokenSet } from '../../../shared/oidc/token-endpoint.js';
import { loadAuthConfig } from '../../../shared/session/auth-config.js';
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

/** The deployed names (COOKIE_SECURE defaults to true): `__Host-` at Path=/, `__Secure-` and bound under /auth. */
const SESSION = '__Host-cg_session';
const BIND = '__Host-cg_bind';
const REFRESH = '__Secure-cg_refresh';
/** A pending login's cookie is named after its state, so that two tabs keep two flows. */
const flowNameOf = (state: string) =>
  `__Secure-cg_flow_${createHash('sha256').update(state).digest('base64url').slice(0, 11)}`;

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
const cleared = (result: Result) =>
  (result.cookies ?? []).filter((cookie) => /Max-Age=0(;|$)/.test(cookie)).map((c) => c.slice(0, c.indexOf('=')));
const setCookie = (result: Result, name: string) => result.cookies?.find((cookie) => cookie.startsWith(`${name}=`));
const errorCode = (result: Result) => (JSON.parse(result.body) as { error: { code: string } }).error.code;

/** One browser's cookie jar for /auth/* (every cookie here covers /auth): later Set-Cookie headers win. */
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
  value(name: string): string {
    return this.cookies.get(name)!;
  }
}

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

  /** GET /auth/login from `browser`, and what that browser would bring back to the callback. */
  async function login(returnTo = '/app/orders', browser = new Browser()) {
    const result = await handler(
      event('GET', '/auth/login', { query: `return_to=${encodeURIComponent(returnTo)}`, cookies: browser.sent }),
    );
    browser.take(result);
    const location = new URL(result.headers.location!);
    return {
      result,
      browser,
      state: location.searchParams.get('state')!,
      nonce: location.searchParams.get('nonce')!,
      flowCookies: browser.sent,
    };
  }

  async function signIn(tokenOverrides: Parameters<typeof tokensFor>[1] = {}, browser = new Browser()) {
    const { state, nonce, flowCookies } = await login('/app/orders', browser);
    tokenClient.exchangeCode.mockResolvedValueOnce(tokensFor(nonce, tokenOverrides));
    const result = await handler(
      event('GET', '/auth/callback', { query: `code=the-code&state=${state}`, cookies: flowCookies }),
    );
    browser.take(result);
    return { result, state, browser, session: browser.sent };
  }

  describe('GET /auth/login', () => {
    it('answers 302 to the authorize endpoint, a sealed flow cookie named after its state, and a binding cookie', async () => {
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
          /^__Secure-cg_flow_[\w-]{11}=v1\.[\w-]+; Path=\/auth; Max-Age=600; HttpOnly; Secure; SameSite=Lax$/,
        ),
        expect.stringMatching(/^__Host-cg_bind=[\w-]{43}; Path=\/; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax$/),
      ]);
      expect(names(result)[0]).toBe(flowNameOf(state));
      expect(result.cookies![0]).not.toContain(state);
    });

    it('binds the flow to the binding cookie, and keeps the one a browser already has', async () => {
      // Prepare
      const browser = new Browser();
      await login('/app', browser);
      const binding = browser.value(BIND);
      // Act
      const { result, state } = await login('/app', browser);
      // Assess
      expect(names(result)).toEqual([flowNameOf(state)]);
      const opened = new CookieSealer([COOKIE_SECRET]).open<{ b: string; s: string }>(
        'flow',
        browser.value(flowNameOf(state)),
        { nowSeconds: nowSeconds() },
      );
      expect(opened).toMatchObject({ ok: true, data: { b: binding, s: state } });
    });

    it('answers 400 to an identity_provider that is not a provider name', async () => {
      const result = await handler(event('GET', '/auth/login', { query: 'identity_provider=a%20b' }));
      expect(result.statusCode).toBe(400);
      expect(errorCode(result)).toBe('bad_request');
    });

    it('uses the default path for a return path too long to carry in the flow cookie', async () => {
      // Act
      const { browser, state } = await login(`/app/${'a'.repeat(600)}`);
      // Assess
      const opened = new CookieSealer([COOKIE_SECRET]).open<{ r: string }>('flow', browser.value(flowNameOf(state)), {
        nowSeconds: nowSeconds(),
      });
      expect(opened).toMatchObject({ ok: true, data: { r: '/app' } });
      expect(logLines.some((line) => line.includes('longer than 512 characters'))).toBe(true);
    });

    it('keeps at most three pending logins: a fourth drops the oldest', async () => {
      // Prepare
      const browser = new Browser();
      const first = await login('/app', browser);
      clock += 1000;
      await login('/app', browser);
      clock += 1000;
      await login('/app', browser);
      clock += 1000;
      // Act
      const { result, state } = await login('/app', browser);
      // Assess
      expect(cleared(result)).toEqual([flowNameOf(first.state)]);
      expect([...browser.cookies.keys()].filter((name) => name.startsWith('__Secure-cg_flow_'))).toHaveLength(3);
      expect(browser.cookies.has(flowNameOf(state))).toBe(true);
    });

    it('drops pending flows that expired or that another browser started', async () => {
      // Prepare
      const browser = new Browser();
      const stale = await login('/app', browser);
      clock += 601_000;
      const foreign = await login('/app'); // another browser, another binding
      browser.cookies.set(flowNameOf(foreign.state), foreign.browser.value(flowNameOf(foreign.state)));
      // Act
      const { result } = await login('/app', browser);
      // Assess
      expect(cleared(result).sort()).toEqual([flowNameOf(stale.state), flowNameOf(foreign.state)].sort());
    });

    it('drops older pending flows when the callback would otherwise receive a Cookie header past 8000 bytes', async () => {
      // Prepare: a session of 7,400 bytes (a user in very many groups) and two logins pending.
      const browser = new Browser();
      const older = await login('/app', browser);
      clock += 1000;
      const newer = await login('/app', browser);
      browser.cookies.set(`${SESSION}.0`, 'a'.repeat(3700));
      browser.cookies.set(`${SESSION}.1`, 'b'.repeat(3700));
      // Act
      const { result } = await login('/app', browser);
      // Assess
      expect(cleared(result)).toEqual([flowNameOf(older.state), flowNameOf(newer.state)]);
      expect(browser.sent.join('; ').length).toBeLessThanOrEqual(8000);
    });
  });

  describe('GET /auth/callback', () => {
    it('exchanges the code with the PKCE verifier and sets the session, refresh and binding cookies, but no ID token', async () => {
      // Act
      const { result, state, browser } = await signIn();
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
      expect(names(result)).toEqual([SESSION, REFRESH, BIND, flowNameOf(state)]);
      expect(setCookie(result, SESSION)).toMatch(/; Path=\/; Max-Age=3[56]\d\d; HttpOnly; Secure; SameSite=Lax$/);
      expect(setCookie(result, REFRESH)).toMatch(
        /^__Secure-cg_refresh=z1\.[\w-]+; Path=\/auth; Max-Age=2592000; HttpOnly; Secure; SameSite=Lax$/,
      );
      expect(setCookie(result, BIND)).toMatch(/^__Host-cg_bind=[\w-]{43}; Path=\/; Max-Age=2592000;/);
      expect(cleared(result)).toEqual([flowNameOf(state)]);
      expect(result.cookies!.join()).not.toContain('opaque-refresh-token-from-the-idp');
      expect([...browser.cookies.keys()].sort()).toEqual([BIND, SESSION, REFRESH].sort());
    });

    it('signs in two tabs at once: each callback finds its own flow and clears only that one', async () => {
      // Prepare: one browser, two logins started before either came back.
      const browser = new Browser();
      const tabA = await login('/app/a', browser);
      const tabB = await login('/app/b', browser);
      // Act
      tokenClient.exchangeCode.mockResolvedValueOnce(tokensFor(tabB.nonce));
      const resultB = await handler(
        event('GET', '/auth/callback', { query: `code=code-b&state=${tabB.state}`, cookies: browser.sent }),
      );
      browser.take(resultB);
      tokenClient.exchangeCode.mockResolvedValueOnce(tokensFor(tabA.nonce));
      const resultA = await handler(
        event('GET', '/auth/callback', { query: `code=code-a&state=${tabA.state}`, cookies: browser.sent }),
      );
      // Assess
      expect([resultB.statusCode, resultB.headers.location]).toEqual([302, '/app/b']);
      expect(cleared(resultB)).toEqual([flowNameOf(tabB.state)]);
      expect([resultA.statusCode, resultA.headers.location]).toEqual([302, '/app/a']);
      expect(cleared(resultA)).toEqual([flowNameOf(tabA.state)]);
    });

    it('splits a large access token into chunks that the authorizer reads back', async () => {
      // Prepare: a user in very many groups has a token past 4096 bytes.
      const groups = Array.from({ length: 300 }, (_, index) => `group-with-a-long-name-${index}`);
      // Act
      const { result, session } = await signIn({ access: { 'cognito:groups': groups } });
      // Assess
      expect(names(result)).toEqual(expect.arrayContaining([`${SESSION}.0`, `${SESSION}.1`, `${SESSION}.2`]));
      for (const cookie of result.cookies!) expect(Buffer.byteLength(cookie)).toBeLessThanOrEqual(4096);
      const found = findToken({ headers: { cookie: session.join('; ') } }, SESSION);
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
    ])('answers 400 %s to %s, sets no session cookie and clears the flow', async (code, _case, overrides) => {
      // Act
      const { result, state } = await signIn(overrides);
      // Assess
      expect(result.statusCode).toBe(400);
      expect(errorCode(result)).toBe(code);
      expect(names(result)).toEqual([flowNameOf(state)]);
      expect(kept(result)).toEqual([]);
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

    it('answers 400 flow_missing to a flow cookie sealed with another secret', async () => {
      const { state, browser } = await login();
      const forged = new CookieSealer(['an-attacker-secret-0123456789abcdefghij']).seal(
        'flow',
        { s: state, n: 'n', v: 'v', r: '/', b: browser.value(BIND) },
        { ttlSeconds: 600, nowSeconds: nowSeconds() },
      );
      const result = await handler(
        event('GET', '/auth/callback', {
          query: `code=c&state=${state}`,
          cookies: [`${flowNameOf(state)}=${forged}`, `${BIND}=${browser.value(BIND)}`],
        }),
      );
      expect(errorCode(result)).toBe('flow_missing');
    });

    it('answers 400 flow_missing when the browser that comes back started no login', async () => {
      const { state } = await login();
      const result = await handler(event('GET', '/auth/callback', { query: `code=c&state=${state}` }));
      expect(errorCode(result)).toBe('flow_missing');
      expect(result.cookies).toBeUndefined();
    });

    it('answers 400 state_mismatch to a state this browser did not start, and keeps its own pending login', async () => {
      const { flowCookies } = await login();
      const result = await handler(
        event('GET', '/auth/callback', { query: 'code=c&state=attacker-chosen-state', cookies: flowCookies }),
      );
      expect(errorCode(result)).toBe('state_mismatch');
      expect(result.cookies).toBeUndefined();
    });

    it('answers 400 state_mismatch to a repeated state parameter', async () => {
      const { state, flowCookies } = await login();
      const result = await handler(
        event('GET', '/auth/callback', { query: `code=c&state=${state}&state=${state}`, cookies: flowCookies }),
      );
      expect(errorCode(result)).toBe('state_mismatch');
    });

    it("refuses a flow that a sibling subdomain planted: the attacker's login, the victim's browser (login CSRF)", async () => {
      // Prepare: the attacker starts a login in their own browser and signs in at the hosted UI as themselves;
      // they keep the callback URL (their code and state) and their sealed flow cookie.
      const attacker = await login('/app');
      const attackerFlow = attacker.browser.value(flowNameOf(attacker.state));
      // The victim's browser has visited before, so it holds its own binding cookie.
      const victim = await login('/app');
      const victimBinding = victim.browser.value(BIND);
      // evil.example.com sets the attacker's flow cookie for the parent domain (a __Secure- name needs only
      // Secure) and sends the victim to the attacker's callback URL. The victim's browser then sends:
      const cookie = `${flowNameOf(attacker.state)}=${attackerFlow}; ${flowNameOf(victim.state)}=${victim.browser.value(flowNameOf(victim.state))}; ${BIND}=${victimBinding}`;
      // Act
      const result = await handler(
        event('GET', '/auth/callback', {
          query: `code=the-attackers-code&state=${attacker.state}`,
          headers: {
            cookie,
            'sec-fetch-site': 'cross-site',
            'sec-fetch-mode': 'navigate',
            referer: 'https://evil.example.com/',
          },
        }),
      );
      // Assess: the flow's binding is the attacker's, not this browser's; no code is exchanged.
      expect(result.statusCode).toBe(400);
      expect(errorCode(result)).toBe('flow_missing');
      expect(tokenClient.exchangeCode).not.toHaveBeenCalled();
      expect(kept(result)).toEqual([]);
    });

    it('refuses a flow when the browser has no binding cookie at all', async () => {
      const { state, browser } = await login();
      browser.cookies.delete(BIND);
      const result = await handler(
        event('GET', '/auth/callback', { query: `code=c&state=${state}`, cookies: browser.sent }),
      );
      expect(errorCode(result)).toBe('flow_missing');
      expect(tokenClient.exchangeCode).not.toHaveBeenCalled();
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
      const { result, state } = await signIn();
      // Assess
      expect(result.statusCode).toBe(503);
      expect(names(result)).toEqual([flowNameOf(state)]);
    });

    const documentedErrors: Array<[string, string]> = [
      ...loadEvent('cognito-authorize-redirects.aws-docs').error_redirects,
      ...loadEvent('cognito-authorize-redirects.aws-docs').real_world_error_redirects,
    ].map((redirect: { location: string }) => [
      new URL(redirect.location).searchParams.get('error')!,
      new URL(redirect.location).search.slice(1),
    ]);
    it.each(documentedErrors)(
      "answers Cognito's documented error redirect (%s) with 400 idp_error, no token exchange, and the flow cleared",
      async (code, query) => {
        // Prepare: the redirect as Cognito sends it, for this browser's login.
        const { state, flowCookies } = await login();
        const params = new URLSearchParams(query);
        params.set('state', state);
        // Act
        const result = await handler(
          event('GET', '/auth/callback', { query: params.toString(), cookies: flowCookies }),
        );
        // Assess
        expect(result.statusCode).toBe(400);
        expect(errorCode(result)).toBe('idp_error');
        expect((JSON.parse(result.body) as { error: { message: string } }).error.message).toContain(code);
        expect(names(result)).toEqual([flowNameOf(state)]);
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

    it('never logs a token, a code, a refresh token or a binding value', async () => {
      // Act
      const { browser } = await signIn();
      await signIn({ id: { nonce: 'wrong' } });
      // Assess
      const log = logLines.join('\n');
      expect(log).toContain('login completed');
      expect(log).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
      expect(log).not.toContain('the-code');
      expect(log).not.toContain('opaque-refresh-token-from-the-idp');
      expect(log).not.toContain(browser.value(BIND));
    });
  });

  describe('GET /auth/me', () => {
    it('answers the user from the access token, with the email that the login sealed into the refresh cookie', async () => {
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

    it('answers email null when the refresh cookie is gone, or is bound to another browser', async () => {
      // Prepare
      const { browser } = await signIn();
      const other = await signIn();
      const withoutRefresh = browser.sent.filter((cookie) => !cookie.startsWith(`${REFRESH}=`));
      const withOthersRefresh = [...withoutRefresh, `${REFRESH}=${other.browser.value(REFRESH)}`];
      // Act
      const results = await Promise.all(
        [withoutRefresh, withOthersRefresh].map((cookies) => handler(event('GET', '/auth/me', { cookies }))),
      );
      // Assess
      for (const result of results) {
        expect(result.statusCode).toBe(200);
        expect(JSON.parse(result.body)).toMatchObject({ username: 'alice', email: null });
      }
    });

    it('answers 401 session_expired once the access token has expired', async () => {
      const access = signJwt(key, accessClaims(fixture, { exp: nowSeconds() - 10 }));
      const result = await handler(event('GET', '/auth/me', { cookies: [`${SESSION}=${access}`] }));
      expect(result.statusCode).toBe(401);
      expect(errorCode(result)).toBe('session_expired');
    });

    it('answers 401 to a token signed by someone else, an ID token, or no JWT in the session cookie', async () => {
      const foreign = signJwt(generateTestKey(), accessClaims(fixture));
      const id = signJwt(key, idClaims(fixture));
      for (const token of [foreign, id, 'not-a-jwt']) {
        const result = await handler(event('GET', '/auth/me', { cookies: [`${SESSION}=${token}`] }));
        expect(result.statusCode).toBe(401);
        expect(errorCode(result)).toBe('session_missing');
      }
    });

    it('answers 401 session_missing when nobody is signed in', async () => {
      const result = await handler(event('GET', '/auth/me'));
      expect(errorCode(result)).toBe('session_missing');
    });
  });

  describe('POST /auth/refresh', () => {
    const refreshHeaders = { origin: 'https://app.example.com', 'x-requested-with': 'fetch' };

    it('renews the session and re-seals the refresh token with its first expiry and the newest email', async () => {
      // Prepare
      const { browser } = await signIn();
      clock += 100_000;
      tokenClient.refresh.mockResolvedValueOnce({
        accessToken: signJwt(key, accessClaims(fixture)),
        idToken: signJwt(key, idClaims(fixture, { email: 'alice@new.example.com' })),
      });
      // Act
      const result = await handler(event('POST', '/auth/refresh', { cookies: browser.sent, headers: refreshHeaders }));
      browser.take(result);
      const me = await handler(event('GET', '/auth/me', { cookies: browser.sent }));
      // Assess
      expect(result.statusCode).toBe(200);
      expect(tokenClient.refresh).toHaveBeenCalledWith(
        expect.objectContaining({ refreshToken: 'opaque-refresh-token-from-the-idp' }),
      );
      expect(names(result)).toEqual([SESSION, REFRESH]);
      expect(setCookie(result, REFRESH)).toContain('; Max-Age=2591900;');
      expect(JSON.parse(me.body)).toMatchObject({ email: 'alice@new.example.com' });
    });

    it('stores a rotated refresh token for the full lifetime', async () => {
      const { browser } = await signIn();
      tokenClient.refresh.mockResolvedValueOnce({
        accessToken: signJwt(key, accessClaims(fixture)),
        idToken: signJwt(key, idClaims(fixture)),
        refreshToken: 'rotated',
      });
      const result = await handler(event('POST', '/auth/refresh', { cookies: browser.sent, headers: refreshHeaders }));
      browser.take(result);
      expect(setCookie(result, REFRESH)).toContain('; Max-Age=2592000;');
      await handler(
        event('POST', '/auth/logout', { cookies: browser.sent, headers: { origin: 'https://app.example.com' } }),
      );
      expect(tokenClient.revoke).toHaveBeenCalledWith(expect.objectContaining({ token: 'rotated' }));
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
      expect(cleared(result)).toEqual([SESSION, REFRESH, BIND]);
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
        { t: 'x', sub: 'y', b: 'z' },
        { ttlSeconds: 600, nowSeconds: nowSeconds() },
      );
      const result = await handler(
        event('POST', '/auth/refresh', { cookies: [`${REFRESH}=${flowSealed}`], headers: refreshHeaders }),
      );
      expect(result.statusCode).toBe(401);
      expect(tokenClient.refresh).not.toHaveBeenCalled();
    });

    it("refuses a refresh cookie that a sibling planted: the attacker's session, the victim's browser", async () => {
      // Prepare: the attacker signs in in their own browser and keeps their sealed refresh cookie.
      const attacker = await signIn();
      // The victim's browser has signed out (no refresh cookie) but still holds a binding cookie of its own.
      const victim = await login('/app');
      // evil.example.com sets the attacker's refresh cookie for the parent domain; the victim's page then
      // refreshes its session, and the victim's browser sends:
      const cookie = `${REFRESH}=${attacker.browser.value(REFRESH)}; ${BIND}=${victim.browser.value(BIND)}`;
      // Act
      const result = await handler(
        event('POST', '/auth/refresh', { headers: { ...refreshHeaders, 'sec-fetch-site': 'same-origin', cookie } }),
      );
      // Assess: the refresh cookie's binding is the attacker's: nothing is renewed, and it is cleared.
      expect(result.statusCode).toBe(401);
      expect(errorCode(result)).toBe('session_missing');
      expect(tokenClient.refresh).not.toHaveBeenCalled();
      expect(cleared(result)).toContain(REFRESH);
      expect(kept(result)).toEqual([]);
    });

    it('refuses a refresh that carries no proof that it came from this site, with 403', async () => {
      const { session } = await signIn();
      const result = await handler(
        event('POST', '/auth/refresh', { cookies: session, headers: { 'x-requested-with': 'fetch' } }),
      );
      expect(result.statusCode).toBe(403);
      expect(errorCode(result)).toBe('csrf_check_failed');
      expect(tokenClient.refresh).not.toHaveBeenCalled();
    });

    it('accepts Sec-Fetch-Site: same-origin when a no-referrer page sends Origin: null', async () => {
      const { session } = await signIn();
      tokenClient.refresh.mockResolvedValueOnce({
        accessToken: signJwt(key, accessClaims(fixture)),
        idToken: signJwt(key, idClaims(fixture)),
      });
      const result = await handler(
        event('POST', '/auth/refresh', {
          cookies: session,
          headers: { origin: 'null', 'sec-fetch-site': 'same-origin', 'x-requested-with': 'fetch' },
        }),
      );
      expect(result.statusCode).toBe(200);
    });
  });

  describe('/auth/logout', () => {
    it("revokes the refresh token, clears every cookie and its chunks, and redirects to Cognito's logout", async () => {
      // Prepare: signed in, with stale chunks and another login pending.
      const { browser } = await signIn();
      const pending = await login('/app', browser);
      // Act
      const result = await handler(
        event('GET', '/auth/logout', {
          query: 'return_to=%2Fbye',
          cookies: [...browser.sent, `${SESSION}.0=stale`, `${SESSION}.1=stale`],
          headers: { 'sec-fetch-site': 'same-origin' },
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
      expect(names(result)).toEqual([
        SESSION,
        `${SESSION}.0`,
        `${SESSION}.1`,
        REFRESH,
        BIND,
        flowNameOf(pending.state),
      ]);
      expect(kept(result)).toEqual([]);
    });

    it('signs out on a GET that the user typed or bookmarked (Sec-Fetch-Site: none)', async () => {
      const { session } = await signIn();
      const result = await handler(
        event('GET', '/auth/logout', { cookies: session, headers: { 'sec-fetch-site': 'none' } }),
      );
      expect(result.statusCode).toBe(302);
      expect(tokenClient.revoke).toHaveBeenCalledTimes(1);
    });

    it.each([
      ['a sibling subdomain', 'same-site', 'https://evil.example.com/'],
      ['another site', 'cross-site', 'https://attacker.example.net/'],
    ])(
      'does not sign anyone out on a GET from %s: a page asks, and nothing is cleared',
      async (_from, site, referer) => {
        // Prepare
        const { session } = await signIn();
        // Act: <a href="https://app.example.com/auth/logout?return_to=/bye"> clicked on the attacker's page.
        const result = await handler(
          event('GET', '/auth/logout', {
            query: 'return_to=%2Fbye',
            cookies: session,
            headers: {
              accept: BROWSER_ACCEPT,
              'sec-fetch-site': site,
              'sec-fetch-mode': 'navigate',
              'sec-fetch-dest': 'document',
              referer,
            },
          }),
        );
        // Assess
        expect(result.statusCode).toBe(200);
        expect(result.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(result.headers['referrer-policy']).toBe('same-origin');
        expect(result.body).toContain('<form method="post" action="/auth/logout?return_to=%2Fbye">');
        expect(result.cookies).toBeUndefined();
        expect(tokenClient.revoke).not.toHaveBeenCalled();
      },
    );

    it('answers 403 to a cross-site GET that is not a page navigation (an <img>), and clears nothing', async () => {
      const { session } = await signIn();
      const result = await handler(
        event('GET', '/auth/logout', {
          cookies: session,
          headers: {
            accept: 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8',
            'sec-fetch-site': 'same-site',
            'sec-fetch-mode': 'no-cors',
            'sec-fetch-dest': 'image',
          },
        }),
      );
      expect(result.statusCode).toBe(403);
      expect(errorCode(result)).toBe('csrf_check_failed');
      expect(result.cookies).toBeUndefined();
      expect(tokenClient.revoke).not.toHaveBeenCalled();
    });

    it('asks before signing out a browser that sends no Sec-Fetch-Site (older browsers)', async () => {
      const { session } = await signIn();
      const result = await handler(
        event('GET', '/auth/logout', { cookies: session, headers: { accept: BROWSER_ACCEPT } }),
      );
      expect(result.statusCode).toBe(200);
      expect(result.body).toContain('<form method="post" action="/auth/logout">');
      expect(result.cookies).toBeUndefined();
    });

    it("signs out from the confirmation page's form POST", async () => {
      const { session } = await signIn();
      const result = await handler(
        event('POST', '/auth/logout', {
          cookies: session,
          headers: { origin: 'https://app.example.com', 'sec-fetch-site': 'same-origin' },
        }),
      );
      expect(result.statusCode).toBe(302);
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

    it.each([
      ['another origin', { origin: 'https://evil.example.com' }, 'origin_not_allowed'],
      ['no Origin and no Sec-Fetch-Site', {}, 'csrf_check_failed'],
    ])('refuses a POST with %s with 403 and clears nothing', async (_case, headers, code) => {
      const { session } = await signIn();
      const result = await handler(event('POST', '/auth/logout', { cookies: session, headers }));
      expect(result.statusCode).toBe(403);
      expect(errorCode(result)).toBe(code);
      expect(result.cookies).toBeUndefined();
      expect(tokenClient.revoke).not.toHaveBeenCalled();
    });
  });

  describe('cookie tossing', () => {
    it('refuses /auth/refresh when a sibling planted a second refresh cookie, and clears every copy it can', async () => {
      // Prepare: alice is signed in; mallory signed in on their own browser.
      const alice = await signIn();
      const mallory = await signIn();
      // evil.example.com answered alice's browser with
      //   Set-Cookie: __Secure-cg_refresh=<mallory's>; Domain=example.com; Path=/auth/refresh; Secure
      // so her browser sends mallory's copy first (the longer path), then her own:
      const cookie = [
        `${REFRESH}=${mallory.browser.value(REFRESH)}`,
        `${REFRESH}=${alice.browser.value(REFRESH)}`,
        `${SESSION}=${alice.browser.value(SESSION)}`,
        `${BIND}=${alice.browser.value(BIND)}`,
      ].join('; ');
      // Act
      const result = await handler(
        event('POST', '/auth/refresh', {
          headers: { cookie, origin: 'https://app.example.com', 'x-requested-with': 'fetch' },
        }),
      );
      // Assess
      expect(result.statusCode).toBe(401);
      expect(errorCode(result)).toBe('cookie_duplicated');
      expect(tokenClient.refresh).not.toHaveBeenCalled();
      expect(kept(result)).toEqual([]);
      const clears = result.cookies!.filter((header) => header.startsWith(`${REFRESH}=;`));
      for (const place of [
        'Path=/auth;',
        'Path=/auth/refresh;',
        'Domain=example.com; Path=/auth/refresh;',
        'Domain=example.com; Path=/;',
        'Domain=app.example.com; Path=/auth;',
      ])
        expect(clears.some((header) => header.includes(` ${place} Max-Age=0; HttpOnly; Secure;`))).toBe(true);
      // The ordinary clear last: an emulator that keeps one Set-Cookie per name keeps that one.
      expect(clears.at(-1)).toBe(`${REFRESH}=; Path=/auth; Max-Age=0; HttpOnly; Secure; SameSite=Lax`);
      expect(logLines.some((line) => line.includes('cookie tossing refused'))).toBe(true);
    });

    it('refuses a session cookie sent twice, or both whole and in chunks, at /auth/me', async () => {
      const { browser } = await signIn();
      const access = browser.value(SESSION);
      for (const cookies of [
        [`${SESSION}=${signJwt(key, accessClaims(fixture, { sub: 'mallory' }))}`, `${SESSION}=${access}`],
        [`${SESSION}=${access}`, `${SESSION}.0=${access.slice(0, 100)}`, `${SESSION}.1=${access.slice(100)}`],
      ]) {
        const result = await handler(event('GET', '/auth/me', { cookies }));
        expect(result.statusCode).toBe(401);
        expect(errorCode(result)).toBe('cookie_duplicated');
        expect(cleared(result)).toContain(SESSION);
      }
    });

    it('refuses to start a login while a binding cookie comes twice, and clears it', async () => {
      const result = await handler(
        event('GET', '/auth/login', { cookies: [`${BIND}=${'a'.repeat(43)}`, `${BIND}=${'b'.repeat(43)}`] }),
      );
      expect(result.statusCode).toBe(401);
      expect(errorCode(result)).toBe('cookie_duplicated');
      expect(result.cookies).toContain(`${BIND}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`);
    });

    it('takes the same cookie twice with the same value as one (serverless-offline repeats the cookies array)', async () => {
      const { session } = await signIn();
      const result = await handler(
        event('GET', '/auth/me', { cookies: session, headers: { cookie: session.join('; ') } }),
      );
      expect(result.statusCode).toBe(200);
    });

    it('signs out on logout even with a tossed refresh cookie, and revokes every copy it can open', async () => {
      const alice = await signIn();
      const mallory = await signIn();
      const cookie = `${REFRESH}=${mallory.browser.value(REFRESH)}; ${REFRESH}=${alice.browser.value(REFRESH)}; ${BIND}=${alice.browser.value(BIND)}`;
      const result = await handler(
        event('POST', '/auth/logout', { headers: { cookie, origin: 'https://app.example.com' } }),
      );
      expect(result.statusCode).toBe(302);
      expect(tokenClient.revoke).toHaveBeenCalledTimes(2);
      expect(result.cookies!.some((header) => header.startsWith(`${REFRESH}=; Domain=example.com;`))).toBe(true);
    });
  });

  describe('cookie sizes for a user in 100 groups with 32-character names', () => {
    // Cognito's own shapes: every group in the access token, and a 1,780-character JWE refresh token.
    const groups = Array.from(
      { length: 100 },
      (_, index) => `group-${String(index).padStart(3, '0')}-${'x'.repeat(22)}`,
    );
    const cognitoRefreshToken = [67, 342, 16, 1327, 22]
      .map((length) =>
        randomBytes(Math.ceil((length * 3) / 4))
          .toString('base64url')
          .slice(0, length),
      )
      .join('.');
    const headerBytes = (cookies: Map<string, string>, keep: (name: string) => boolean) =>
      Buffer.byteLength(
        [...cookies]
          .filter(([name]) => keep(name))
          .map(([name, value]) => `${name}=${value}`)
          .join('; '),
      );
    const atRoot = (name: string) => name.startsWith('__Host-');

    it('keeps the Cookie header of every route under 8 KB, and the APIs get only the session and binding', async () => {
      // Prepare
      const browser = new Browser();
      const { state, nonce } = await login('/app', browser);
      tokenClient.exchangeCode.mockResolvedValueOnce({
        ...tokensFor(nonce, { access: { 'cognito:groups': groups }, id: { 'cognito:groups': groups } }),
        refreshToken: cognitoRefreshToken,
      });
      // Act
      browser.take(
        await handler(event('GET', '/auth/callback', { query: `code=c&state=${state}`, cookies: browser.sent })),
      );
      const api = headerBytes(browser.cookies, atRoot);
      const auth = headerBytes(browser.cookies, () => true);
      await login('/app', browser); // signing in again while signed in: one login pending
      const callback = headerBytes(browser.cookies, () => true);
      // Assess
      expect(cognitoRefreshToken).toHaveLength(1778);
      expect(api).toBeLessThan(6500);
      expect(auth).toBeLessThan(8192);
      expect(callback).toBeLessThan(8192);
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
