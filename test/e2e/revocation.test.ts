import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { revocationRefreshSeconds } from '../stack/revocation-refresh.js';
import {
  CookieJar,
  driveLogin,
  fetchWithCookies,
  getM2mToken,
  loginWithPassword,
  refreshTokens,
  type TokenClientTarget,
} from '../stack/token-client.js';

/**
 * Revocation end to end, on the local stack of the global setup: the token service, the admin API and the
 * authorizer under serverless-offline, the revocation table in dynalite. A user of its own, so that other test
 * files signing in as the demo users are not disturbed.
 */
const stack = inject('stack');
const api = stack.apiBaseUrl;
const target: TokenClientTarget = {
  hostedUiBaseUrl: stack.hostedUiBaseUrl,
  seed: { webClient: stack.webClient, m2mClient: stack.m2mClient },
};
const USERNAME = `revoke-e2e-${Date.now().toString(36)}`;
const PASSWORD = 'Revoke-E2e-Passw0rd!';

/** The refresh interval the functions run with. */
const REFRESH_SECONDS = revocationRefreshSeconds();

let adminToken: string;
const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, text: await response.text() };
};

/** A browser session: /auth/login, the hosted UI's form, /auth/callback. Returns its jar and its access token. */
async function signIn(): Promise<{ jar: CookieJar; accessToken: string }> {
  const jar = new CookieJar();
  const login = await fetchWithCookies(jar, `${api}/auth/login?return_to=/echo`);
  expect(login.status).toBe(302);
  const { callbackUrl } = await driveLogin({
    authorizeUrl: login.headers.get('location')!,
    username: USERNAME,
    password: PASSWORD,
  });
  const callback = await fetchWithCookies(jar, callbackUrl);
  expect(callback.status).toBe(302);
  const accessToken = /(?:^|; )cg_session=([^;]+)/.exec(jar.header(`${api}/echo`) ?? '')?.[1];
  expect(accessToken).toBeDefined();
  return { jar, accessToken: accessToken! };
}

/** GET /echo with the session cookie, and with the same access token as a bearer: both statuses. */
async function echoStatuses(session: { jar: CookieJar; accessToken: string }): Promise<[number, number]> {
  const [byCookie, byBearer] = await Promise.all([
    fetch(`${api}/echo`, { headers: { cookie: session.jar.header(`${api}/echo`) ?? '' } }),
    fetch(`${api}/echo`, { headers: { authorization: `Bearer ${session.accessToken}` } }),
  ]);
  await Promise.all([byCookie.body?.cancel(), byBearer.body?.cancel()]);
  return [byCookie.status, byBearer.status];
}

/** Asks again every 100 ms until `done` or the deadline; returns the last answer. Asserts nothing itself. */
async function askUntil<T>(deadline: number, ask: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
  let answer = await ask();
  while (!done(answer) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer = await ask();
  }
  return answer;
}

const subOf = (accessToken: string) =>
  (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;

/** The authorizer's log lines (JSON) that refused this sub as revoked. */
async function revokedLogLines(sub: string): Promise<Record<string, unknown>[]> {
  const lines = (await readFile(stack.offlineLogFile, 'utf8')).split('\n');
  return lines
    .filter((line) => line.includes('"reason":"token_revoked"') && line.includes(sub))
    .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>);
}

describe('revocation on the local stack', () => {
  beforeAll(async () => {
    adminToken = await getM2mToken(target, 'cognito-gate/admin');
    const created = await admin('POST', '/admin/users', {
      username: USERNAME,
      email: `${USERNAME}@example.com`,
      sendInvite: false,
      groups: ['users'],
    });
    expect(created.status).toBe(201);
    expect(
      (await admin('PUT', `/admin/users/${USERNAME}/password`, { password: PASSWORD, permanent: true })).status,
    ).toBe(204);
  });
  afterAll(async () => {
    await admin('DELETE', `/admin/users/${USERNAME}`);
  });

  it('gives tokens an origin_jti like Cognito: shared by the access and ID token of a sign-in, kept by a refresh', async () => {
    // Act
    const first = await loginWithPassword(target, { username: USERNAME, password: PASSWORD });
    const refreshed = await refreshTokens(target, first.refreshToken);
    const second = await loginWithPassword(target, { username: USERNAME, password: PASSWORD });
    // Assess
    const origin = (token: string) =>
      (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { origin_jti?: string }).origin_jti;
    expect(origin(first.accessToken)).toEqual(expect.any(String));
    expect(origin(first.idToken)).toBe(origin(first.accessToken));
    expect(origin(refreshed.body.access_token!)).toBe(origin(first.accessToken));
    expect(origin(second.accessToken)).not.toBe(origin(first.accessToken));
  });

  it('refuses the same cookie and bearer token (401 token_revoked) within REVOCATION_REFRESH_SECONDS + 1 s of a disable; after enable a new sign-in works', async () => {
    // Prepare
    const session = await signIn();
    expect(await echoStatuses(session)).toEqual([200, 200]);
    // Act
    const disabled = await admin('POST', `/admin/users/${USERNAME}/disable`);
    const disabledAt = Date.now();
    const afterDisable = await askUntil(
      disabledAt + (REFRESH_SECONDS + 1) * 1000,
      () => echoStatuses(session),
      (statuses) => statuses.every((status) => status === 401),
    );
    // Assess
    expect(disabled).toMatchObject({ status: 204 });
    expect(afterDisable).toEqual([401, 401]);
    const logged = await askUntil(
      Date.now() + 2000,
      () => revokedLogLines(subOf(session.accessToken)),
      (lines) => lines.length > 0,
    );
    expect(logged[0]).toMatchObject({ reason: 'token_revoked', revokedBy: 'user' });

    // Act: enabled again. iat counts whole seconds and a token of the revocation's own second is void, so
    // the new sign-in waits for the next second.
    expect((await admin('POST', `/admin/users/${USERNAME}/enable`)).status).toBe(204);
    while (Math.floor(Date.now() / 1000) <= Math.floor(disabledAt / 1000))
      await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await signIn();
    // Assess
    expect(await echoStatuses(again)).toEqual([200, 200]);
  });

  it('refuses an access token copied out before logout (401 token_revoked) within REVOCATION_REFRESH_SECONDS + 1 s', async () => {
    // Prepare
    const session = await signIn();
    const copied = session.accessToken;
    const bearer = () =>
      fetch(`${api}/echo`, { headers: { authorization: `Bearer ${copied}` } }).then(async (response) => {
        await response.body?.cancel();
        return response.status;
      });
    expect(await bearer()).toBe(200);
    // Act
    // A POST from our own page (proof of origin), as the page's sign-out form sends it.
    const logout = await fetch(`${api}/auth/logout`, {
      method: 'POST',
      headers: { cookie: session.jar.header(`${api}/auth/logout`) ?? '', origin: api },
      redirect: 'manual',
    });
    session.jar.store(`${api}/auth/logout`, logout.headers.getSetCookie());
    const loggedOutAt = Date.now();
    const status = await askUntil(loggedOutAt + (REFRESH_SECONDS + 1) * 1000, bearer, (answer) => answer === 401);
    // Assess
    expect(logout.status).toBe(302);
    expect(session.jar.names(`${api}/echo`)).not.toContain('cg_session');
    expect(status).toBe(401);
    const logged = await askUntil(
      Date.now() + 2000,
      () => revokedLogLines(subOf(copied)),
      (lines) => lines.some((line) => line.revokedBy === 'session'),
    );
    expect(logged).toContainEqual(expect.objectContaining({ reason: 'token_revoked', revokedBy: 'session' }));
  });
});
