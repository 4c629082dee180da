import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthHandler } from '../../functions/auth/create-handler.js';
import { parseRequestCookies, readChunkedCookie } from '../../shared/http/cookies.js';
import { createLogger } from '../../shared/logging/logger.js';
import { createEndpointSource } from '../../shared/oidc/discovery.js';
import { createTokenEndpointClient } from '../../shared/oidc/token-endpoint.js';
import { loadAuthConfig } from '../../shared/session/auth-config.js';
import { createAuthSecrets } from '../../shared/session/auth-secrets.js';
import { CookieSealer } from '../../shared/session/seal.js';
import { createTokenVerifier } from '../../shared/tokens/verifier.js';
import { functionEnv } from '../stack/local-stack.js';
import { type Offline, startOffline } from '../stack/offline.js';
import { findFreePort } from '../stack/ports.js';
import { ALICE_PASSWORD, BOB_PASSWORD, createLocalCognitoClient } from '../stack/seed.js';
import { type IdentityStack, startIdentityStack } from '../stack/stack.js';
import { CookieJar, driveLogin, refreshTokens } from '../stack/token-client.js';
import { loadEvent } from '../support/fixtures.js';

/**
 * The token service over HTTP: serverless-offline runs the auth function (and the authorizer in front of
 * echo), the local identity stack plays Cognito's hosted UI. Every request goes through fetch with a cookie
 * jar, the way a browser would send it. The stack runs as `npm run dev` does: local http, COOKIE_SECURE=false,
 * so the cookies have bare names (cg_session, cg_bind, cg_refresh, cg_flow_<id>).
 */
const COOKIE_SECRET = 'integration-cookie-secret-0123456789abcdef';
/** A pending login's cookie, named after its state. */
const flowCookieOf = (state: string) =>
  `cg_flow_${createHash('sha256').update(state).digest('base64url').slice(0, 11)}`;
const errorCodeOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;
const SCOPES = 'openid email profile cognito-gate/read';
const sealer = new CookieSealer([COOKIE_SECRET]);

interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

function parseSetCookies(response: Response): SetCookie[] {
  return response.headers.getSetCookie().map((header) => {
    const [pair = '', ...rest] = header.split(';');
    const eq = pair.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const part of rest) {
      const [key = '', ...value] = part.trim().split('=');
      attributes[key.toLowerCase()] = value.length > 0 ? value.join('=') : true;
    }
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
  });
}

describe('the token service against the hosted-UI stand-in, under serverless-offline', () => {
  let stateDir: string;
  let stack: IdentityStack;
  let offline: Offline;
  let base: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'cg-auth-flow-'));
    // The API port first: the app client's callback URL names it.
    const httpPort = await findFreePort();
    base = `http://127.0.0.1:${httpPort}`;
    stack = await startIdentityStack({
      stateDir,
      cognitoPort: 0,
      hostedUiPort: 0,
      callbackUrls: [`${base}/auth/callback`],
      logoutUrls: [`${base}/`, `${base}/signed-out`],
    });
    env = {
      ...functionEnv(stack, base),
      COOKIE_SECURE: 'false',
      OIDC_SCOPES: SCOPES,
      COOKIE_SECRET,
      POST_LOGIN_PATHS: '/app,/echo',
      POST_LOGOUT_PATHS: '/,/signed-out',
    };
    offline = await startOffline({
      httpPort,
      lambdaPort: 0,
      env,
      esbuildDir: '.esbuild-auth',
      logFile: join(stateDir, 'offline.log'),
    });
  }, 120_000);

  afterAll(async () => {
    await offline?.stop();
    await stack?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  /** A browser-like request: cookies from the jar, no automatic redirects, Set-Cookie back into the jar. */
  async function call(jar: CookieJar, path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
    const url = new URL(path, base).href;
    const cookie = jar.header(url);
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { ...init.headers, ...(cookie ? { cookie } : {}) },
      redirect: 'manual',
    });
    jar.store(url, response.headers.getSetCookie());
    return response;
  }

  /** /auth/login, then the hosted UI's form: the callback URL the IdP sends the browser to (not yet followed). */
  async function startLogin(
    jar: CookieJar,
    returnTo = '/app/orders?tab=open',
    user = { username: 'alice', password: ALICE_PASSWORD },
  ) {
    const login = await call(jar, `/auth/login?return_to=${encodeURIComponent(returnTo)}`);
    const authorizeUrl = login.headers.get('location')!;
    const state = new URL(authorizeUrl).searchParams.get('state')!;
    const flowCookie = parseSetCookies(login).find((cookie) => cookie.name === flowCookieOf(state))!;
    const { callbackUrl } = await driveLogin({ authorizeUrl, ...user });
    return { login, authorizeUrl, state, flowCookie, callbackUrl };
  }

  async function signIn(jar = new CookieJar(), user?: { username: string; password: string }) {
    const { callbackUrl } = await startLogin(jar, '/app/orders?tab=open', user);
    const callback = await call(jar, callbackUrl);
    expect(callback.status).toBe(302);
    return { jar, callback };
  }

  /** The value of one cookie that the jar sends to `path`. */
  const cookieIn = (jar: CookieJar, path: string, name: string) =>
    jar
      .header(`${base}${path}`)
      ?.split('; ')
      .find((pair) => pair.startsWith(`${name}=`))
      ?.slice(name.length + 1);

  describe('login', () => {
    it('redirects to the authorize endpoint with code, state, nonce and PKCE S256, and sets a bound, sealed flow cookie', async () => {
      // Act
      const response = await call(new CookieJar(), '/auth/login?return_to=%2Fapp&identity_provider=COGNITO&lang=fr');
      // Assess
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(`${stack.hostedUiBaseUrl}/oauth2/authorize`);
      expect(Object.fromEntries(location.searchParams)).toMatchObject({
        response_type: 'code',
        client_id: stack.seed.webClient.clientId,
        redirect_uri: `${base}/auth/callback`,
        scope: SCOPES,
        code_challenge_method: 'S256',
        identity_provider: 'COGNITO',
        lang: 'fr',
      });
      for (const name of ['state', 'nonce', 'code_challenge'])
        expect(location.searchParams.get(name)).toMatch(/^[\w-]{43}$/);
      const [flow, binding] = parseSetCookies(response);
      expect(flow).toMatchObject({
        name: flowCookieOf(location.searchParams.get('state')!),
        attributes: { path: '/auth', httponly: true, samesite: 'Lax' },
      });
      expect(binding).toMatchObject({ name: 'cg_bind', attributes: { path: '/', httponly: true, samesite: 'Lax' } });
      const opened = sealer.open<{ s: string; n: string; r: string; b: string }>('flow', flow!.value, {
        nowSeconds: Math.floor(Date.now() / 1000),
      });
      expect(opened).toMatchObject({
        ok: true,
        data: {
          s: location.searchParams.get('state'),
          n: location.searchParams.get('nonce'),
          r: '/app',
          b: binding!.value,
        },
      });
    });

    it.each([
      '//evil.example.com',
      '/\\evil.example.com',
      'https://evil.example.com/app',
      '/%2F%2Fevil.example.com',
      '/app/../%5C%5Cevil.example.com',
      '/outside',
    ])('keeps the return path %s out of the flow and uses the default path instead', async (attack) => {
      // Act
      const response = await call(new CookieJar(), `/auth/login?return_to=${encodeURIComponent(attack)}`);
      // Assess
      const flow = parseSetCookies(response).find((cookie) => cookie.name.startsWith('cg_flow_'))!;
      expect(sealer.open('flow', flow.value, { nowSeconds: Math.floor(Date.now() / 1000) })).toMatchObject({
        ok: true,
        data: { r: '/app' },
      });
    });
  });

  describe('callback', () => {
    it('completes a full login: session cookies set, flow cookie cleared, back to the return path', async () => {
      // Prepare
      const jar = new CookieJar();
      const { callbackUrl, state } = await startLogin(jar, '/app/orders?tab=open');
      // Act
      const response = await call(jar, callbackUrl);
      // Assess
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/app/orders?tab=open');
      const cookies = parseSetCookies(response);
      const byName = new Map(cookies.map((cookie) => [cookie.name, cookie]));
      expect(byName.get('cg_session')).toMatchObject({ attributes: { path: '/', httponly: true, samesite: 'Lax' } });
      expect(byName.get('cg_bind')).toMatchObject({ attributes: { path: '/', httponly: true, samesite: 'Lax' } });
      expect(byName.get('cg_refresh')).toMatchObject({
        attributes: { path: '/auth', httponly: true, samesite: 'Lax' },
      });
      expect(byName.get(flowCookieOf(state))).toMatchObject({ value: '', attributes: { 'max-age': '0' } });
      expect(byName.has('cg_id')).toBe(false);
      const sessionMaxAge = Number(byName.get('cg_session')!.attributes['max-age']);
      expect(sessionMaxAge).toBeGreaterThan(3500);
      expect(sessionMaxAge).toBeLessThanOrEqual(3600);
      for (const header of response.headers.getSetCookie()) expect(Buffer.byteLength(header)).toBeLessThanOrEqual(4096);
      // The refresh token is sealed (and deflated): the cookie is not the token.
      expect(byName.get('cg_refresh')!.value.startsWith('z1.')).toBe(true);
    });

    it('gives a session that the authorizer accepts in front of echo, and /auth/me shows the user', async () => {
      // Prepare
      const { jar } = await signIn();
      // Act
      const echo = await call(jar, '/echo');
      const me = await call(jar, '/auth/me');
      // Assess
      expect(echo.status).toBe(200);
      expect(((await echo.json()) as { identity: Record<string, unknown> }).identity).toMatchObject({
        username: 'alice',
        tokenUse: 'access',
        scopes: expect.arrayContaining(['cognito-gate/read']),
      });
      expect(me.status).toBe(200);
      const alice = stack.seed.users.find((user) => user.username === 'alice')!;
      expect(await me.json()).toMatchObject({
        sub: alice.sub,
        username: 'alice',
        email: 'alice@example.com',
        groups: ['admins', 'users'],
      });
    });

    it('answers an IdP error with a 400 page for a browser and JSON for an API client, and sets no session', async () => {
      // Prepare
      const jar = new CookieJar();
      await call(jar, '/auth/login');
      // Act
      const asJson = await call(jar, '/auth/callback?error=access_denied&error_description=User+cancelled&state=x');
      const asHtml = await call(jar, '/auth/callback?error=access_denied&state=x', {
        headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      });
      // Assess
      expect(asJson.status).toBe(400);
      expect(await asJson.json()).toEqual({
        error: { code: 'idp_error', message: 'The sign-in page reported access_denied: User cancelled' },
      });
      expect(asHtml.status).toBe(400);
      expect(asHtml.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await asHtml.text()).toContain('access_denied');
      expect(jar.names(`${base}/auth/me`)).not.toContain('cg_session');
    });

    it('answers 400 flow_missing when the browser that returns never started the login', async () => {
      // Prepare
      const { callbackUrl } = await startLogin(new CookieJar());
      // Act
      const response = await call(new CookieJar(), callbackUrl);
      // Assess
      expect(response.status).toBe(400);
      expect(await errorCodeOf(response)).toBe('flow_missing');
      expect(parseSetCookies(response)).toEqual([]);
    });

    it("answers 400 flow_missing to another browser's flow cookie planted beside this browser's binding (login CSRF)", async () => {
      // Prepare: the attacker starts a login and signs in as bob; the victim's browser has its own binding.
      const attacker = await startLogin(new CookieJar(), '/app', { username: 'bob', password: BOB_PASSWORD });
      const victim = new CookieJar();
      await call(victim, '/auth/login');
      // Act: the victim is sent to the attacker's callback URL, carrying the planted flow and its own binding.
      const response = await fetch(attacker.callbackUrl, {
        headers: {
          cookie: `${attacker.flowCookie.name}=${attacker.flowCookie.value}; cg_bind=${cookieIn(victim, '/', 'cg_bind')}`,
          'sec-fetch-site': 'cross-site',
        },
        redirect: 'manual',
      });
      // Assess
      expect(response.status).toBe(400);
      expect(await errorCodeOf(response)).toBe('flow_missing');
      expect(parseSetCookies(response).some((cookie) => cookie.name === 'cg_session')).toBe(false);
    });

    it('signs in two tabs of one browser at once', async () => {
      // Prepare: both logins started before either comes back.
      const jar = new CookieJar();
      const tabA = await startLogin(jar, '/app/a');
      const tabB = await startLogin(jar, '/app/b');
      // Act
      const callbackB = await call(jar, tabB.callbackUrl);
      const callbackA = await call(jar, tabA.callbackUrl);
      // Assess
      expect([callbackB.status, callbackB.headers.get('location')]).toEqual([302, '/app/b']);
      expect([callbackA.status, callbackA.headers.get('location')]).toEqual([302, '/app/a']);
      expect((await call(jar, '/echo')).status).toBe(200);
    });

    it('answers 400 flow_expired when the flow cookie has outlived its seal', async () => {
      // Prepare
      const { callbackUrl } = await startLogin(new CookieJar());
      const state = new URL(callbackUrl).searchParams.get('state')!;
      const expired = sealer.seal(
        'flow',
        { s: state, n: 'n', v: 'v'.repeat(43), r: '/app', b: 'b'.repeat(43) },
        { ttlSeconds: 60, nowSeconds: Math.floor(Date.now() / 1000) - 120 },
      );
      // Act
      const response = await fetch(callbackUrl, {
        headers: { cookie: `${flowCookieOf(state)}=${expired}; cg_bind=${'b'.repeat(43)}` },
        redirect: 'manual',
      });
      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('flow_expired');
    });

    it('answers 400 state_mismatch when the state is not the one this browser sent', async () => {
      // Prepare
      const jar = new CookieJar();
      const { callbackUrl } = await startLogin(jar);
      const forged = new URL(callbackUrl);
      forged.searchParams.set('state', 'attacker-chosen-state');
      // Act
      const response = await call(jar, forged.href);
      // Assess
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('state_mismatch');
      expect(parseSetCookies(response)).toEqual([]);
    });

    it('answers 400 code_rejected to a replayed code, even with the original flow cookie', async () => {
      // Prepare
      const jar = new CookieJar();
      const { callbackUrl, flowCookie } = await startLogin(jar);
      const binding = cookieIn(jar, '/', 'cg_bind');
      expect((await call(jar, callbackUrl)).status).toBe(302);
      // Act
      const replay = await fetch(callbackUrl, {
        headers: { cookie: `${flowCookie.name}=${flowCookie.value}; cg_bind=${binding}` },
        redirect: 'manual',
      });
      // Assess
      expect(replay.status).toBe(400);
      expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('code_rejected');
      expect(parseSetCookies(replay).map((cookie) => cookie.name)).toEqual([flowCookie.name]);
    });

    it('answers 400 token_exchange_failed when the token endpoint refuses the client (invalid_client)', async () => {
      // Prepare: the same function in-process, configured with a wrong client secret, fed real event shapes.
      const config = loadAuthConfig({ ...env, OIDC_CLIENT_SECRET: 'not-the-secret' });
      const handler = createAuthHandler({
        config,
        logger: createLogger('auth-test', { level: 'error', write: () => undefined }),
        verifier: createTokenVerifier({
          issuers: [config.issuer],
          clientIds: [config.clientId],
          clockSkewSeconds: 5,
          jwksTimeoutMs: 1500,
          jwksCooldownSeconds: 1,
        }),
        endpoints: createEndpointSource({
          discoveryUrl: config.discoveryUrl,
          overrides: config.endpointOverrides,
          policy: { issuer: config.issuer.issuer, allowLoopbackHttp: true },
          timeoutMs: 3000,
        }),
        tokenClient: createTokenEndpointClient({ timeoutMs: 3000 }),
        secrets: createAuthSecrets(config),
      });
      const jar = new CookieJar();
      const { callbackUrl, flowCookie } = await startLogin(jar);
      const event = loadEvent('no-authorizer.aws-lambda-go');
      const url = new URL(callbackUrl);
      Object.assign(event, {
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        routeKey: 'GET /auth/callback',
        cookies: [`${flowCookie.name}=${flowCookie.value}`, `cg_bind=${cookieIn(jar, '/', 'cg_bind')}`],
      });
      Object.assign(event.requestContext.http, { method: 'GET', path: url.pathname });
      // Act
      const response = await handler(event as never, {} as never);
      // Assess
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body!)).toEqual({
        error: { code: 'token_exchange_failed', message: 'The sign-in could not be completed (invalid_client).' },
      });
      expect(response.cookies).toEqual([`${flowCookie.name}=; Path=/auth; Max-Age=0; HttpOnly; SameSite=Lax`]);
    });
  });

  describe('refresh', () => {
    it('sets a new session from the refresh token, which the authorizer accepts', async () => {
      // Prepare
      const { jar } = await signIn();
      const before = readChunkedCookie(parseRequestCookies([jar.header(`${base}/echo`)!]), 'cg_session');
      await new Promise((resolve) => setTimeout(resolve, 1100)); // a new iat, so a new token
      // Act
      const response = await call(jar, '/auth/refresh', {
        method: 'POST',
        headers: { 'x-requested-with': 'fetch', origin: base },
      });
      // Assess
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ expiresAt: expect.any(Number) });
      const names = parseSetCookies(response).map((cookie) => cookie.name);
      expect(names).toEqual(['cg_session', 'cg_refresh']);
      const after = readChunkedCookie(parseRequestCookies([jar.header(`${base}/echo`)!]), 'cg_session');
      expect(after).not.toBe(before);
      expect((await call(jar, '/echo')).status).toBe(200);
    });

    it('refuses a refresh without the X-Requested-With header, or from another origin, with 403', async () => {
      // Prepare
      const { jar } = await signIn();
      // Act
      const noHeader = await call(jar, '/auth/refresh', { method: 'POST' });
      const otherOrigin = await call(jar, '/auth/refresh', {
        method: 'POST',
        headers: { 'x-requested-with': 'fetch', origin: 'https://evil.example.com' },
      });
      // Assess
      expect(noHeader.status).toBe(403);
      expect(((await noHeader.json()) as { error: { code: string } }).error.code).toBe('csrf_check_failed');
      expect(otherOrigin.status).toBe(403);
      expect(((await otherOrigin.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
      expect(parseSetCookies(noHeader)).toEqual([]);
    });

    it('answers 401 session_missing when nobody is signed in', async () => {
      const response = await call(new CookieJar(), '/auth/refresh', {
        method: 'POST',
        headers: { 'x-requested-with': 'fetch', origin: base },
      });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('session_missing');
    });
  });

  describe('logout', () => {
    it("revokes the refresh token, clears every cookie and sends the browser to Cognito's logout with an allowed URI", async () => {
      // Prepare
      const { jar } = await signIn();
      const sealedRefresh = jar
        .header(`${base}/auth/refresh`)!
        .split('; ')
        .find((pair) => pair.startsWith('cg_refresh='))!
        .slice('cg_refresh='.length);
      const refreshToken = sealer.open<{ t: string }>('refresh', sealedRefresh, {
        nowSeconds: Math.floor(Date.now() / 1000),
      });
      expect(refreshToken.ok).toBe(true);
      // Act: a sign-out link on one of our pages.
      const response = await call(jar, '/auth/logout?return_to=/signed-out', {
        headers: { 'sec-fetch-site': 'same-origin' },
      });
      // Assess
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(`${stack.hostedUiBaseUrl}/logout`);
      expect(Object.fromEntries(location.searchParams)).toEqual({
        client_id: stack.seed.webClient.clientId,
        logout_uri: `${base}/signed-out`,
      });
      const cleared = parseSetCookies(response);
      expect(cleared.map((cookie) => cookie.name).sort()).toEqual(['cg_bind', 'cg_refresh', 'cg_session']);
      for (const cookie of cleared) expect(cookie).toMatchObject({ value: '', attributes: { 'max-age': '0' } });
      expect(jar.names(`${base}/auth/me`)).toEqual([]);
      // The hosted UI accepts the logout URI and sends the browser on to it.
      const hostedLogout = await fetch(location, { redirect: 'manual' });
      expect(hostedLogout.status).toBe(302);
      expect(hostedLogout.headers.get('location')).toBe(`${base}/signed-out`);
      // The refresh token is dead at the token endpoint itself.
      const { status, body } = await refreshTokens(stack, refreshToken.ok ? refreshToken.data.t : '');
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_grant');
      expect((await call(jar, '/echo')).status).toBe(401);
    });

    it('lets a refresh with the old refresh cookie fail with 401 after logout, clearing the session', async () => {
      // Prepare
      const { jar } = await signIn();
      const cookieHeader = jar.header(`${base}/auth/refresh`)!;
      await call(jar, '/auth/logout', { method: 'POST', headers: { origin: base } });
      // Act
      const response = await fetch(`${base}/auth/refresh`, {
        method: 'POST',
        headers: { cookie: cookieHeader, 'x-requested-with': 'fetch', origin: base },
        redirect: 'manual',
      });
      // Assess
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('session_expired');
      const cleared = parseSetCookies(response);
      expect(cleared.map((cookie) => cookie.name)).toEqual(
        expect.arrayContaining(['cg_session', 'cg_bind', 'cg_refresh']),
      );
      for (const cookie of cleared) expect(cookie.value).toBe('');
    });

    it('falls back to the first allowed logout path for one that is not allowed', async () => {
      const response = await call(new CookieJar(), '/auth/logout?return_to=https://evil.example.com/', {
        headers: { 'sec-fetch-site': 'same-origin' },
      });
      expect(new URL(response.headers.get('location')!).searchParams.get('logout_uri')).toBe(`${base}/`);
    });
  });

  describe('chunked cookies through serverless-offline', () => {
    it('reads a session that arrives in chunks, at echo and at /auth/me', async () => {
      // Prepare: the cookies of a signed-in browser, each token split in two as the codec does for large ones.
      const { jar } = await signIn();
      const cookies = new Map(
        jar
          .header(`${base}/auth/me`)!
          .split('; ')
          .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const),
      );
      const split = (name: string) => {
        const value = cookies.get(name)!;
        return `${name}.0=${value.slice(0, 500)}; ${name}.1=${value.slice(500)}`;
      };
      // Act
      const echo = await fetch(`${base}/echo`, { headers: { cookie: split('cg_session') } });
      const me = await fetch(`${base}/auth/me`, { headers: { cookie: split('cg_session') } });
      // Assess
      expect(echo.status).toBe(200);
      expect(me.status).toBe(200);
    });

    it('clears stale chunks on logout, each with its own Set-Cookie', async () => {
      // Act
      const response = await fetch(`${base}/auth/logout`, {
        headers: { cookie: 'cg_session.0=stale; cg_session.1=stale; cg_id.0=stale', 'sec-fetch-site': 'same-origin' },
        redirect: 'manual',
      });
      // Assess: the retired ID token cookie goes too, at the path where it was written.
      const cleared = parseSetCookies(response);
      expect(cleared.map((cookie) => cookie.name).sort()).toEqual([
        'cg_bind',
        'cg_id.0',
        'cg_refresh',
        'cg_session',
        'cg_session.0',
        'cg_session.1',
      ]);
      expect(cleared.find((cookie) => cookie.name === 'cg_id.0')).toMatchObject({ attributes: { path: '/auth' } });
      expect(cleared.find((cookie) => cookie.name === 'cg_session.1')).toMatchObject({
        value: '',
        attributes: { path: '/', 'max-age': '0' },
      });
    });
  });

  describe('me', () => {
    it('answers 401 when nobody is signed in', async () => {
      const response = await call(new CookieJar(), '/auth/me');
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('session_missing');
    });
  });

  describe('cookie tossing from a sibling subdomain', () => {
    it("refuses with 401 a session cookie sent twice, the attacker's copy first, at echo and at /auth/me", async () => {
      // Prepare: alice is signed in; mallory (bob's account) signed in on their own browser.
      const { jar: alice } = await signIn();
      const { jar: mallory } = await signIn(new CookieJar(), { username: 'bob', password: BOB_PASSWORD });
      // evil.example.com answered alice's browser with
      //   Set-Cookie: cg_session=<mallory's access token>; Domain=example.com; Path=/echo
      // so her browser sends the longer path first:
      //   GET /echo
      //   Cookie: cg_session=<mallory's>; cg_session=<alice's>; cg_bind=<alice's>
      const cookie = [
        `cg_session=${cookieIn(mallory, '/echo', 'cg_session')}`,
        `cg_session=${cookieIn(alice, '/echo', 'cg_session')}`,
        `cg_bind=${cookieIn(alice, '/', 'cg_bind')}`,
      ].join('; ');
      // Act
      const echo = await fetch(`${base}/echo`, { headers: { cookie } });
      const me = await fetch(`${base}/auth/me`, { headers: { cookie } });
      // Assess: neither copy is read, and the session is cleared. (The function clears cg_session at each path
      // that covers /auth/me, see the unit tests; serverless-offline passes on only the last Set-Cookie of a name.)
      expect(echo.status).toBe(401);
      expect(me.status).toBe(401);
      expect(await errorCodeOf(me)).toBe('cookie_duplicated');
      expect(parseSetCookies(me).find((set) => set.name === 'cg_session')).toMatchObject({
        value: '',
        attributes: { path: '/', 'max-age': '0' },
      });
    });

    it("refuses a refresh cookie sent twice instead of refreshing into mallory's session", async () => {
      // Prepare
      const { jar: alice } = await signIn();
      const { jar: mallory } = await signIn(new CookieJar(), { username: 'bob', password: BOB_PASSWORD });
      const cookie = [
        `cg_refresh=${cookieIn(mallory, '/auth/refresh', 'cg_refresh')}`,
        `cg_refresh=${cookieIn(alice, '/auth/refresh', 'cg_refresh')}`,
        `cg_session=${cookieIn(alice, '/auth/refresh', 'cg_session')}`,
        `cg_bind=${cookieIn(alice, '/', 'cg_bind')}`,
      ].join('; ');
      // Act
      const response = await fetch(`${base}/auth/refresh`, {
        method: 'POST',
        headers: { cookie, origin: base, 'x-requested-with': 'fetch' },
        redirect: 'manual',
      });
      // Assess
      expect(response.status).toBe(401);
      expect(await errorCodeOf(response)).toBe('cookie_duplicated');
      expect(parseSetCookies(response).some((set) => set.name === 'cg_session' && set.value !== '')).toBe(false);
    });
  });

  describe('logout from another site', () => {
    it('does not sign anyone out on a cross-site GET /auth/logout: it shows a page that asks, and clears nothing', async () => {
      // Prepare
      const { jar } = await signIn();
      // Act: <a href="http://127.0.0.1:…/auth/logout"> clicked on the attacker's page.
      const response = await call(jar, '/auth/logout', {
        headers: {
          accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
          'sec-fetch-site': 'cross-site',
          'sec-fetch-mode': 'navigate',
          'sec-fetch-dest': 'document',
          referer: 'https://evil.example.com/',
        },
      });
      // Assess: still signed in, and the refresh token still works.
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<form method="post" action="/auth/logout">');
      expect(parseSetCookies(response)).toEqual([]);
      expect((await call(jar, '/echo')).status).toBe(200);
      const refreshed = await call(jar, '/auth/refresh', {
        method: 'POST',
        headers: { origin: base, 'x-requested-with': 'fetch' },
      });
      expect(refreshed.status).toBe(200);
    });

    it('signs out when the page it shows posts its form (same origin)', async () => {
      const { jar } = await signIn();
      const response = await call(jar, '/auth/logout', { method: 'POST', headers: { origin: base } });
      expect(response.status).toBe(302);
      expect((await call(jar, '/echo')).status).toBe(401);
    });
  });

  describe('a user in 100 groups with 32-character names', () => {
    const MANY = { username: 'many-groups', password: 'Passw0rd!many1' };

    beforeAll(async () => {
      // Sequential on purpose: cognito-local keeps the pool in one JSON file and loses concurrent writes.
      const client = createLocalCognitoClient(stack.cognitoEndpoint);
      const pool = stack.seed.userPoolId;
      try {
        await client.send(
          new AdminCreateUserCommand({
            UserPoolId: pool,
            Username: MANY.username,
            MessageAction: 'SUPPRESS',
            TemporaryPassword: MANY.password,
            UserAttributes: [
              { Name: 'email', Value: 'many@example.com' },
              { Name: 'email_verified', Value: 'true' },
            ],
          }),
        );
        await client.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: pool,
            Username: MANY.username,
            Password: MANY.password,
            Permanent: true,
          }),
        );
        for (let index = 0; index < 100; index++) {
          const GroupName = `group-${String(index).padStart(3, '0')}-${'x'.repeat(22)}`;
          await client.send(new CreateGroupCommand({ UserPoolId: pool, GroupName }));
          await client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: MANY.username, GroupName }));
        }
      } finally {
        client.destroy();
      }
    }, 120_000);

    it('sends every route a Cookie header under 8 KB, even with a second login pending', async () => {
      // Prepare
      const { jar } = await signIn(new CookieJar(), MANY);
      const bytes = (path: string) => Buffer.byteLength(jar.header(`${base}${path}`) ?? '');
      // Act
      const signedIn = Object.fromEntries(
        ['/echo', '/auth/me', '/auth/refresh', '/auth/logout'].map((path) => [path, bytes(path)]),
      );
      const pending = await startLogin(jar, '/app', MANY);
      const callback = bytes('/auth/callback');
      const me = await call(jar, '/auth/me');
      const finished = await call(jar, pending.callbackUrl);
      // Assess: 100 groups really are in the session, and every header stays under 8 KB.
      expect(((await me.json()) as { groups: string[] }).groups).toHaveLength(100);
      expect(signedIn['/echo']).toBeGreaterThan(5000);
      for (const size of [...Object.values(signedIn), callback]) expect(size).toBeLessThan(8192);
      expect(finished.status).toBe(302);
      expect((await call(jar, '/echo')).status).toBe(200);
    });
  });
});
