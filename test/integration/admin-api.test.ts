import { describe, expect, inject, it } from 'vitest';
import { getM2mToken, loginWithPassword, type TokenClientTarget } from '../stack/token-client.js';

/**
 * The admin API end to end: serverless-offline, the authorizer's rules, the admin function and
 * cognito-local, with tokens from the hosted-UI stand-in. cognito-local answers AdminUserGlobalSignOut and
 * AdminResetUserPassword with "Unsupported", so disable and reset-password are covered by the mocked-SDK
 * unit tests instead (test/unit/admin).
 */
const stack = inject('stack');
const target: TokenClientTarget = {
  hostedUiBaseUrl: stack.hostedUiBaseUrl,
  seed: { webClient: stack.webClient, m2mClient: stack.m2mClient },
};
const password = (username: string) => stack.users.find((user) => user.username === username)!.password;

async function call(method: string, path: string, token: string | undefined, body?: unknown) {
  const response = await fetch(`${stack.apiBaseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
}

describe('the admin API through the authorizer', () => {
  it('lets a member of admins manage a user and groups from creation to deletion', async () => {
    // Prepare
    const { accessToken: admin } = await loginWithPassword(target, { username: 'alice', password: password('alice') });
    const username = `e2e-${Date.now()}`;
    // Act / Assess, one operation after another
    expect((await call('POST', '/admin/groups', admin, { name: `team-${username}`, description: 'e2e' })).status).toBe(
      201,
    );
    const created = await call('POST', '/admin/users', admin, {
      username,
      email: `${username}@example.com`,
      sendInvite: false,
      groups: ['users'],
    });
    expect(created.status).toBe(201);
    expect(created.body.temporaryPassword).toEqual(expect.any(String));
    expect((await call('GET', `/admin/users/${username}`, admin)).body).toMatchObject({
      username,
      enabled: true,
      groups: ['users'],
    });
    expect(
      (await call('GET', `/admin/users?email=${username}%40example.com`, admin)).body.users.map(
        (u: { username: string }) => u.username,
      ),
    ).toEqual([username]);
    expect(
      (await call('PUT', `/admin/users/${username}/password`, admin, { password: 'N3w-Passw0rd!', permanent: true }))
        .status,
    ).toBe(204);
    expect((await call('PUT', `/admin/users/${username}/groups/team-${username}`, admin)).status).toBe(204);
    expect(
      (await call('GET', `/admin/users/${username}/groups`, admin)).body.groups
        .map((g: { name: string }) => g.name)
        .sort(),
    ).toEqual([`team-${username}`, 'users']);
    expect(
      (await call('GET', `/admin/groups/team-${username}/users`, admin)).body.users.map(
        (u: { username: string }) => u.username,
      ),
    ).toEqual([username]);
    expect((await call('DELETE', `/admin/users/${username}/groups/team-${username}`, admin)).status).toBe(204);
    expect((await call('POST', `/admin/users/${username}/enable`, admin)).status).toBe(204);
    expect((await call('GET', '/admin/groups', admin)).body.groups.map((g: { name: string }) => g.name)).toEqual(
      expect.arrayContaining(['admins', 'users', `team-${username}`]),
    );
    expect((await call('DELETE', `/admin/users/${username}`, admin)).status).toBe(204);
    expect((await call('GET', `/admin/users/${username}`, admin)).status).toBe(404);
  });

  it('lets a new user created through the admin API sign in at the hosted UI', async () => {
    const { accessToken: admin } = await loginWithPassword(target, { username: 'alice', password: password('alice') });
    const username = `login-${Date.now()}`;
    await call('POST', '/admin/users', admin, { username, email: `${username}@example.com`, sendInvite: false });
    await call('PUT', `/admin/users/${username}/password`, admin, { password: 'Fresh-Passw0rd!', permanent: true });
    const tokens = await loginWithPassword(target, { username, password: 'Fresh-Passw0rd!' });
    expect(tokens.accessToken.split('.')).toHaveLength(3);
    await call('DELETE', `/admin/users/${username}`, admin);
  });

  it('lets an M2M client with the admin scope list users', async () => {
    const token = await getM2mToken(target, 'cognito-gate/admin');
    const response = await call('GET', '/admin/users', token);
    expect(response.status).toBe(200);
    expect(response.body.users.map((u: { username: string }) => u.username)).toEqual(
      expect.arrayContaining(['alice', 'bob']),
    );
  });

  it('answers 403 to an ordinary user and changes nothing', async () => {
    const { accessToken } = await loginWithPassword(target, { username: 'bob', password: password('bob') });
    expect((await call('GET', '/admin/users', accessToken)).status).toBe(403);
    expect((await call('DELETE', '/admin/users/alice', accessToken)).status).toBe(403);
    const { accessToken: admin } = await loginWithPassword(target, { username: 'alice', password: password('alice') });
    expect((await call('GET', '/admin/users/alice', admin)).status).toBe(200);
  });

  it('answers 403 to an M2M client with only the read scope', async () => {
    expect((await call('GET', '/admin/users', await getM2mToken(target, 'cognito-gate/read'))).status).toBe(403);
  });

  it('answers 401 without a token', async () => {
    expect((await call('GET', '/admin/users', undefined)).status).toBe(401);
  });

  it('answers a clear 400 naming the field for a malformed email, through the whole stack', async () => {
    const { accessToken: admin } = await loginWithPassword(target, { username: 'alice', password: password('alice') });
    const response = await call('POST', '/admin/users', admin, { username: 'bad-email-user', email: 'not-an-email' });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'validation_failed', field: 'email' });
    expect((await call('GET', '/admin/users/bad-email-user', admin)).status).toBe(404);
  });
});
