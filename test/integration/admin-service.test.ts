import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  ListGroupsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminHandler } from '../../functions/admin/create-handler.js';
import { loadAdminConfig } from '../../shared/admin/admin-config.js';
import { type CognitoStandIn, startCognitoStandIn } from '../stack/cognito-stand-in.js';
import {
  type AdminRequest,
  captureLogger,
  lambdaContext,
  parseBody,
  v2Request,
} from '../unit/admin/support/admin-events.js';

/**
 * The admin handler, called directly with real-shaped HTTP API v2 events (admin identity in
 * requestContext.authorizer.lambda), against the Cognito stand-in (cognito-local behind the proxy that adds
 * global sign-out, password reset and pagination) and a pool created here. Throttling, which no local
 * component does, is unit-tested with a mocked SDK.
 */
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

let stack: CognitoStandIn;
let stateDir: string;
let cognito: CognitoIdentityProviderClient;
let poolId: string;
let appClientId: string;
let invoke: (
  request: AdminRequest,
) => Promise<{ statusCode?: number; body?: string; headers?: Record<string, unknown> }>;
const capture = captureLogger();
const secrets: string[] = [];

function cognitoClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: REGION, endpoint, credentials: CREDENTIALS, maxAttempts: 1 });
}

/** What a bad request must leave untouched: every user (status, enabled flag, groups) and every group. */
async function poolSnapshot() {
  const users = (await cognito.send(new ListUsersCommand({ UserPoolId: poolId }))).Users ?? [];
  const rows = await Promise.all(
    users.map(async (user) => {
      const groups = await cognito.send(
        new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: user.Username }),
      );
      return {
        username: user.Username,
        status: user.UserStatus,
        enabled: user.Enabled,
        groups: (groups.Groups ?? []).map((g) => g.GroupName).sort(),
      };
    }),
  );
  const groups = ((await cognito.send(new ListGroupsCommand({ UserPoolId: poolId }))).Groups ?? [])
    .map((g) => g.GroupName)
    .sort();
  return { users: rows.sort((a, b) => String(a.username).localeCompare(String(b.username))), groups };
}

async function cognitoUser(username: string) {
  return cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'cognito-gate-admin-'));
  stack = await startCognitoStandIn({ stateDir, port: 0 });
  cognito = cognitoClient(stack.endpoint);

  const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: 'admin-service-test' }));
  poolId = pool.UserPool?.Id ?? '';
  const appClient = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'admin-service-test',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
    }),
  );
  appClientId = appClient.UserPoolClient?.ClientId ?? '';
  for (const GroupName of ['admins', 'users'])
    await cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName }));
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'erin',
      UserAttributes: [{ Name: 'email', Value: 'erin@example.com' }],
      TemporaryPassword: 'Erin-Tmp-Passw0rd!',
      MessageAction: 'SUPPRESS',
    }),
  );

  const config = loadAdminConfig({
    COGNITO_USER_POOL_ID: poolId,
    AWS_REGION: REGION,
    COGNITO_ENDPOINT: stack.endpoint,
  });
  const handlerClient = cognitoClient(config.endpoint ?? '');
  const handler = createAdminHandler({ config, client: handlerClient, logger: capture.logger });
  invoke = (request) => handler(v2Request(request), lambdaContext());
});

afterAll(async () => {
  await stack?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('admin API against the Cognito stand-in', () => {
  it('creates a group', async () => {
    // Act
    const result = await invoke({
      method: 'POST',
      path: '/admin/groups',
      body: { name: 'ops', description: 'Operations', precedence: 5 },
    });
    // Assess
    expect(result.statusCode).toBe(201);
    expect(parseBody(result)).toMatchObject({ name: 'ops', description: 'Operations', precedence: 5 });
  });

  it('creates a user with groups and no invitation, and returns the temporary password once', async () => {
    // Act
    const result = await invoke({
      method: 'POST',
      path: '/admin/users',
      body: {
        username: 'carol',
        email: 'carol@example.com',
        attributes: { given_name: 'Carol' },
        sendInvite: false,
        groups: ['users', 'ops'],
      },
    });
    // Assess
    const body = parseBody(result);
    secrets.push(body.temporaryPassword);
    expect(result.statusCode).toBe(201);
    expect(body).toMatchObject({
      username: 'carol',
      status: 'FORCE_CHANGE_PASSWORD',
      enabled: true,
      groups: ['users', 'ops'],
    });
    expect(body.temporaryPassword).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{20}$/);
    const auth = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: appClientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'carol', PASSWORD: body.temporaryPassword },
      }),
    );
    // The password works: AWS answers with the NEW_PASSWORD_REQUIRED challenge, cognito-local with tokens.
    expect(auth.ChallengeName === 'NEW_PASSWORD_REQUIRED' || auth.AuthenticationResult?.AccessToken !== undefined).toBe(
      true,
    );
  });

  it("gets the user's attributes, status, enabled flag and groups", async () => {
    // Act
    const result = await invoke({ method: 'GET', path: '/admin/users/carol' });
    // Assess
    const body = parseBody(result);
    expect(result.statusCode).toBe(200);
    expect(body).toMatchObject({ username: 'carol', status: 'FORCE_CHANGE_PASSWORD', enabled: true });
    expect(body.attributes).toMatchObject({ email: 'carol@example.com', given_name: 'Carol' });
    expect([...body.groups].sort()).toEqual(['ops', 'users']);
  });

  it('lists users filtered by email', async () => {
    // Act
    const result = await invoke({ method: 'GET', path: '/admin/users', query: { email: 'carol@example.com' } });
    // Assess
    expect(result.statusCode).toBe(200);
    expect(parseBody(result).users.map((user: { username: string }) => user.username)).toEqual(['carol']);
  });

  it('lists users filtered by username prefix and by status', async () => {
    // Act
    const byPrefix = await invoke({ method: 'GET', path: '/admin/users', query: { usernamePrefix: 'er' } });
    const byStatus = await invoke({ method: 'GET', path: '/admin/users', query: { status: 'FORCE_CHANGE_PASSWORD' } });
    // Assess
    expect(parseBody(byPrefix).users.map((user: { username: string }) => user.username)).toEqual(['erin']);
    expect(
      parseBody(byStatus)
        .users.map((user: { username: string }) => user.username)
        .sort(),
    ).toEqual(['carol', 'erin']);
  });

  it('disables a user twice, idempotently, signing it out everywhere each time', async () => {
    // Act
    const first = await invoke({ method: 'POST', path: '/admin/users/carol/disable' });
    const firstSignOut = stack.accountState.signedOutAt(poolId, 'carol') ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await invoke({ method: 'POST', path: '/admin/users/carol/disable' });
    // Assess
    expect([first.statusCode, second.statusCode]).toEqual([204, 204]);
    expect((await cognitoUser('carol')).Enabled).toBe(false);
    expect(firstSignOut).toBeGreaterThan(0);
    expect(stack.accountState.signedOutAt(poolId, 'carol')).toBeGreaterThan(firstSignOut);
  });

  it('answers 409 to a password reset of a disabled user', async () => {
    // Act
    const result = await invoke({ method: 'POST', path: '/admin/users/carol/reset-password' });
    // Assess
    expect(result.statusCode).toBe(409);
    expect(parseBody(result).error).toMatchObject({ code: 'conflict' });
  });

  it('enables a user twice, idempotently', async () => {
    // Act
    const first = await invoke({ method: 'POST', path: '/admin/users/carol/enable' });
    const second = await invoke({ method: 'POST', path: '/admin/users/carol/enable' });
    // Assess
    expect([first.statusCode, second.statusCode]).toEqual([204, 204]);
    expect((await cognitoUser('carol')).Enabled).toBe(true);
  });

  it('answers 400 to a password reset of a user without a verified email or phone, and changes nothing', async () => {
    // Prepare
    const before = await poolSnapshot();
    // Act
    const result = await invoke({ method: 'POST', path: '/admin/users/carol/reset-password' });
    // Assess
    expect(result.statusCode).toBe(400);
    expect(parseBody(result).error.message).toContain('no registered/verified email or phone_number');
    expect(await poolSnapshot()).toEqual(before);
  });

  it('resets the password of a user with a verified email: RESET_REQUIRED, and no password sign-in', async () => {
    // Prepare
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'frank',
        UserAttributes: [
          { Name: 'email', Value: 'frank@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
        TemporaryPassword: 'Frank-Tmp-Passw0rd!',
        MessageAction: 'SUPPRESS',
      }),
    );
    // Act
    const result = await invoke({ method: 'POST', path: '/admin/users/frank/reset-password' });
    const listed = await invoke({ method: 'GET', path: '/admin/users', query: { status: 'RESET_REQUIRED' } });
    const signIn = await cognito
      .send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: appClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'frank', PASSWORD: 'Frank-Tmp-Passw0rd!' },
        }),
      )
      .catch((error: unknown) => error);
    // Assess
    expect(result.statusCode).toBe(204);
    expect(parseBody(await invoke({ method: 'GET', path: '/admin/users/frank' })).status).toBe('RESET_REQUIRED');
    expect(parseBody(listed).users.map((user: { username: string }) => user.username)).toEqual(['frank']);
    expect(signIn).toMatchObject({ name: 'PasswordResetRequiredException' });
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'frank' }));
  });

  it('sets a permanent password that the user can sign in with', async () => {
    // Prepare
    const password = 'Carol-Perm-Passw0rd!';
    secrets.push(password);
    // Act
    const result = await invoke({
      method: 'PUT',
      path: '/admin/users/carol/password',
      body: { password, permanent: true },
    });
    // Assess
    expect(result.statusCode).toBe(204);
    expect((await cognitoUser('carol')).UserStatus).toBe('CONFIRMED');
    const auth = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: appClientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'carol', PASSWORD: password },
      }),
    );
    expect(auth.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('adds a user to a group twice, idempotently', async () => {
    // Act
    const first = await invoke({ method: 'PUT', path: '/admin/users/carol/groups/admins' });
    const second = await invoke({ method: 'PUT', path: '/admin/users/carol/groups/admins' });
    // Assess
    expect([first.statusCode, second.statusCode]).toEqual([204, 204]);
    const groups = parseBody(await invoke({ method: 'GET', path: '/admin/users/carol/groups' })).groups;
    expect(groups.map((group: { name: string }) => group.name).sort()).toEqual(['admins', 'ops', 'users']);
  });

  it('removes a user from a group', async () => {
    // Act
    const result = await invoke({ method: 'DELETE', path: '/admin/users/carol/groups/admins' });
    // Assess
    expect(result.statusCode).toBe(204);
    const groups = await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'carol' }));
    expect((groups.Groups ?? []).map((group) => group.GroupName).sort()).toEqual(['ops', 'users']);
  });

  it('lists groups', async () => {
    // Act
    const result = await invoke({ method: 'GET', path: '/admin/groups' });
    // Assess
    expect(result.statusCode).toBe(200);
    expect(
      parseBody(result)
        .groups.map((group: { name: string }) => group.name)
        .sort(),
    ).toEqual(['admins', 'ops', 'users']);
  });

  it('lists the users in a group', async () => {
    // Act
    const result = await invoke({ method: 'GET', path: '/admin/groups/ops/users' });
    // Assess
    expect(result.statusCode).toBe(200);
    expect(parseBody(result).users.map((user: { username: string }) => user.username)).toEqual(['carol']);
  });

  it('pages every listing with limit and next, each item exactly once', async () => {
    // Prepare
    const pagesOf = async (path: string, key: 'users' | 'groups') => {
      const pages: string[][] = [];
      let next: string | undefined;
      do {
        const result = await invoke({ method: 'GET', path, query: { limit: '1', ...(next ? { next } : {}) } });
        const body = parseBody(result);
        pages.push(body[key].map((item: { username?: string; name?: string }) => item.username ?? item.name));
        next = body.next;
      } while (next !== undefined && pages.length < 10);
      return pages;
    };
    // Act
    const users = await pagesOf('/admin/users', 'users');
    const groups = await pagesOf('/admin/groups', 'groups');
    const groupsOfCarol = await pagesOf('/admin/users/carol/groups', 'groups');
    const usersInOps = await pagesOf('/admin/groups/ops/users', 'users');
    // Assess
    expect(users).toEqual([['carol'], ['erin']]);
    expect(groups).toEqual([['admins'], ['ops'], ['users']]);
    expect(groupsOfCarol).toEqual([['ops'], ['users']]);
    expect(usersInOps).toEqual([['carol']]);
  });

  it('refuses a next token from another listing, naming next', async () => {
    // Prepare
    const groupsNext = parseBody(await invoke({ method: 'GET', path: '/admin/groups', query: { limit: '1' } })).next;
    // Act
    const result = await invoke({ method: 'GET', path: '/admin/users', query: { next: groupsNext } });
    // Assess
    expect(groupsNext).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(result.statusCode).toBe(400);
    expect(parseBody(result).error).toMatchObject({ code: 'validation_failed', field: 'next' });
  });

  it("reads every page of a user's groups for GET /admin/users/{username}: a user in 61 groups shows all 61", async () => {
    // Prepare: one group more than Cognito's largest page
    const names = Array.from({ length: 61 }, (_, index) => `bulk-${String(index).padStart(2, '0')}`);
    await Promise.all(
      names.map((GroupName) => cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName }))),
    );
    await Promise.all(
      names.map((GroupName) =>
        cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'erin', GroupName })),
      ),
    );
    // Act
    const result = await invoke({ method: 'GET', path: '/admin/users/erin' });
    // Assess
    expect(result.statusCode).toBe(200);
    expect([...parseBody(result).groups].sort()).toEqual(names);
    await Promise.all(
      names.map((GroupName) => cognito.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName }))),
    );
  });

  it('answers 409 to a user that exists already, naming username', async () => {
    // Act
    const result = await invoke({
      method: 'POST',
      path: '/admin/users',
      body: { username: 'carol', email: 'other@example.com' },
    });
    // Assess
    expect(result.statusCode).toBe(409);
    expect(parseBody(result).error).toMatchObject({ code: 'conflict', field: 'username' });
  });

  it('rolls back a new user when one of its groups does not exist', async () => {
    // Prepare
    const before = await poolSnapshot();
    // Act
    const result = await invoke({
      method: 'POST',
      path: '/admin/users',
      body: { username: 'dave', email: 'dave@example.com', groups: ['users', 'no-such-group'], sendInvite: false },
    });
    // Assess
    expect(result.statusCode).toBe(404);
    expect(parseBody(result).error).toMatchObject({ code: 'not_found', field: 'groups[1]' });
    await expect(cognitoUser('dave')).rejects.toMatchObject({ name: 'UserNotFoundException' });
    expect(await poolSnapshot()).toEqual(before);
  });

  it('deletes a user', async () => {
    // Act
    const result = await invoke({ method: 'DELETE', path: '/admin/users/carol' });
    // Assess
    expect(result.statusCode).toBe(204);
    expect((await invoke({ method: 'GET', path: '/admin/users/carol' })).statusCode).toBe(404);
  });

  it.each<[string, AdminRequest, { status: number; code: string; field: string }]>([
    [
      'a missing username',
      { method: 'POST', path: '/admin/users', body: { email: 'mallory@example.com' } },
      { status: 400, code: 'validation_failed', field: 'username' },
    ],
    [
      'a malformed email',
      { method: 'POST', path: '/admin/users', body: { username: 'mallory', email: 'mallory@@example' } },
      { status: 400, code: 'validation_failed', field: 'email' },
    ],
    [
      'an unknown field',
      {
        method: 'POST',
        path: '/admin/users',
        body: { username: 'mallory', email: 'mallory@example.com', groups: ['admins'], admin: true },
      },
      { status: 400, code: 'validation_failed', field: 'admin' },
    ],
    [
      'a body that is not JSON',
      { method: 'POST', path: '/admin/users', rawBody: 'username=mallory' },
      { status: 400, code: 'validation_failed', field: 'body' },
    ],
    [
      'a wrong content type',
      {
        method: 'POST',
        path: '/admin/users',
        body: { username: 'mallory', email: 'mallory@example.com' },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      { status: 415, code: 'unsupported_media_type', field: 'content-type' },
    ],
    [
      'a body over the size limit',
      {
        method: 'POST',
        path: '/admin/users',
        body: {
          username: 'mallory',
          email: 'mallory@example.com',
          attributes: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, 'x'.repeat(2000)])),
        },
      },
      { status: 413, code: 'payload_too_large', field: 'body' },
    ],
    [
      'a username outside the allowed pattern',
      { method: 'DELETE', path: '/admin/users/erin evil' },
      { status: 400, code: 'validation_failed', field: 'username' },
    ],
    [
      'a username over 128 characters',
      { method: 'POST', path: `/admin/users/${'e'.repeat(129)}/disable` },
      { status: 400, code: 'validation_failed', field: 'username' },
    ],
    [
      'a group name outside the allowed pattern',
      { method: 'PUT', path: '/admin/users/erin/groups/ad mins' },
      { status: 400, code: 'validation_failed', field: 'group' },
    ],
    [
      'a new group name with a comma',
      { method: 'POST', path: '/admin/groups', body: { name: 'ops,admins' } },
      { status: 400, code: 'validation_failed', field: 'name' },
    ],
    [
      'a password that is missing',
      { method: 'PUT', path: '/admin/users/erin/password', body: { permanent: true } },
      { status: 400, code: 'validation_failed', field: 'password' },
    ],
    [
      'a limit out of range',
      { method: 'GET', path: '/admin/users', query: { limit: '0' } },
      { status: 400, code: 'validation_failed', field: 'limit' },
    ],
  ])('refuses %s, names the field and changes nothing', async (_name, request, expected) => {
    // Prepare
    const before = await poolSnapshot();
    // Act
    const result = await invoke(request);
    // Assess
    expect(result.statusCode).toBe(expected.status);
    expect(parseBody(result).error).toMatchObject({ code: expected.code, field: expected.field });
    expect(await poolSnapshot()).toEqual(before);
  });

  it('wrote audit lines for every action and not one password', () => {
    // Assess
    const entries = capture.audit();
    expect(entries.length).toBeGreaterThan(20);
    expect(entries.every((entry) => entry.actor?.sub && entry.action && entry.outcome)).toBe(true);
    const auditLines = capture.lines.map((line) => JSON.parse(line)).filter((line) => line.message === 'admin audit');
    expect(auditLines.every((line) => line.requestId && line.apiRequestId)).toBe(true);
    const log = capture.lines.join('\n');
    for (const secret of secrets) expect(log).not.toContain(secret);
  });
});
