import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCognitoClient } from '../stack/seed.js';
import { type IdentityStack, startIdentityStack } from '../stack/stack.js';
import { loginWithPassword, refreshTokens } from '../stack/token-client.js';

/**
 * What cognito-local lacks, answered by the proxy in front of it (test/stack/cognito-proxy.ts), seen through
 * the real AWS SDK and the hosted-UI stand-in: global sign-out, password reset, pagination.
 */
const PASSWORD = 'Passw0rd!standin';

let stateDir: string;
let stack: IdentityStack;
let cognito: CognitoIdentityProviderClient;
let pool: string;

async function createUser(username: string, options: { verifiedEmail?: boolean } = {}): Promise<void> {
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: pool,
      Username: username,
      MessageAction: 'SUPPRESS',
      TemporaryPassword: `${PASSWORD}-temporary`,
      UserAttributes: [
        { Name: 'email', Value: `${username}@example.com` },
        { Name: 'email_verified', Value: String(options.verifiedEmail ?? true) },
      ],
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: username, Password: PASSWORD, Permanent: true }),
  );
}

const passwordSignIn = (username: string) =>
  cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool,
      ClientId: stack.seed.webClient.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );

/** What a call failed with (undefined if it succeeded), so that several failures can be asserted together. */
const failureOf = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    () => undefined,
    (error: unknown) => error,
  );

/** Every page of a listing, following the token until there is none. */
async function allPages<T>(fetchPage: (token: string | undefined) => Promise<{ items: T[]; next?: string }>) {
  const pages: T[][] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    pages.push(page.items);
    token = page.next;
  } while (token !== undefined && pages.length < 50);
  return pages;
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'cg-stand-in-'));
  stack = await startIdentityStack({
    stateDir,
    cognitoPort: 0,
    hostedUiPort: 0,
    callbackUrls: ['http://localhost:3000/auth/callback'],
    logoutUrls: ['http://localhost:3000/'],
  });
  cognito = createLocalCognitoClient(stack.cognitoEndpoint);
  pool = stack.seed.userPoolId;
});

afterAll(async () => {
  cognito?.destroy();
  await stack?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('AdminUserGlobalSignOut', () => {
  it('makes the hosted UI refuse the refresh tokens and access tokens issued before it, and not later ones', async () => {
    // Prepare
    await createUser('gina');
    const before = await loginWithPassword(stack, { username: 'gina', password: PASSWORD });
    // Act
    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool, Username: 'gina' }));
    const after = await loginWithPassword(stack, { username: 'gina', password: PASSWORD });
    const oldRefresh = await refreshTokens(stack, before.refreshToken);
    const newRefresh = await refreshTokens(stack, after.refreshToken);
    const userInfo = (token: string) =>
      fetch(`${stack.hostedUiBaseUrl}/oauth2/userInfo`, { headers: { authorization: `Bearer ${token}` } });
    // Assess
    expect(oldRefresh).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(newRefresh.status).toBe(200);
    expect((await userInfo(before.accessToken)).status).toBe(401);
    expect((await userInfo(after.accessToken)).status).toBe(200);
  });

  it('answers UserNotFoundException for an unknown user', async () => {
    // Act
    const signOut = cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool, Username: 'nobody' }));
    // Assess
    await expect(signOut).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});

describe('AdminResetUserPassword', () => {
  it('puts the user in RESET_REQUIRED, where neither the hosted UI nor a password sign-in lets it in', async () => {
    // Prepare
    await createUser('hank');
    // Act
    await cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: pool, Username: 'hank' }));
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'hank' }));
    const listed = await cognito.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'username = "hank"' }));
    const hostedUi = await failureOf(loginWithPassword(stack, { username: 'hank', password: PASSWORD }));
    const signIn = await failureOf(passwordSignIn('hank'));
    // Assess
    expect(user.UserStatus).toBe('RESET_REQUIRED');
    expect(listed.Users?.map((listedUser) => listedUser.UserStatus)).toEqual(['RESET_REQUIRED']);
    expect(String(hostedUi)).toContain('Password reset required for the user');
    expect(signIn).toMatchObject({ name: 'PasswordResetRequiredException' });
  });

  it('lets the user in again once an administrator sets a new password', async () => {
    // Prepare
    await createUser('ivy');
    await cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: pool, Username: 'ivy' }));
    // Act
    await cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'ivy', Password: PASSWORD, Permanent: true }),
    );
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'ivy' }));
    const tokens = await loginWithPassword(stack, { username: 'ivy', password: PASSWORD });
    // Assess
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(tokens.accessToken.split('.')).toHaveLength(3);
  });

  it('finds users in RESET_REQUIRED with a status filter', async () => {
    // Prepare
    await createUser('jack');
    await cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: pool, Username: 'jack' }));
    // Act
    const reset = await cognito.send(
      new ListUsersCommand({ UserPoolId: pool, Filter: 'cognito:user_status = "RESET_REQUIRED"' }),
    );
    const confirmed = await cognito.send(
      new ListUsersCommand({ UserPoolId: pool, Filter: 'cognito:user_status = "CONFIRMED"' }),
    );
    // Assess
    expect(reset.Users?.map((user) => user.Username)).toContain('jack');
    expect(confirmed.Users?.map((user) => user.Username)).not.toContain('jack');
    expect(confirmed.Users?.map((user) => user.Username)).toContain('alice');
  });

  it('refuses a disabled user with NotAuthorizedException and a user without a verified contact with InvalidParameterException', async () => {
    // Prepare
    await createUser('kate');
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: 'kate' }));
    await createUser('liam', { verifiedEmail: false });
    // Act
    const disabled = await failureOf(
      cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: pool, Username: 'kate' })),
    );
    const unverified = await failureOf(
      cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: pool, Username: 'liam' })),
    );
    // Assess
    expect(disabled).toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });
    expect(unverified).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('a disabled user', () => {
  it('cannot sign in with a password, at the hosted UI or through AdminInitiateAuth', async () => {
    // Prepare
    await createUser('mia');
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: 'mia' }));
    // Act
    const hostedUi = await failureOf(loginWithPassword(stack, { username: 'mia', password: PASSWORD }));
    const signIn = await failureOf(passwordSignIn('mia'));
    // Assess
    expect(String(hostedUi)).toContain('User is disabled.');
    expect(signIn).toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });
  });
});

describe('pagination', () => {
  beforeAll(async () => {
    for (const name of ['p-1', 'p-2', 'p-3', 'p-4', 'p-5']) {
      await cognito.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: name }));
    }
    for (const username of ['pat', 'quinn', 'ray']) {
      await createUser(username);
      for (const group of ['p-1', 'p-2', 'p-3', 'p-4', 'p-5']) {
        await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: username, GroupName: group }));
      }
    }
  });

  it('pages ListUsers with Limit and PaginationToken, each user exactly once', async () => {
    // Act
    const pages = await allPages(async (token) => {
      const out = await cognito.send(new ListUsersCommand({ UserPoolId: pool, Limit: 2, PaginationToken: token }));
      return { items: (out.Users ?? []).map((user) => user.Username ?? ''), next: out.PaginationToken };
    });
    const all = await cognito.send(new ListUsersCommand({ UserPoolId: pool }));
    // Assess
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.flat()).toEqual((all.Users ?? []).map((user) => user.Username ?? '').sort());
    expect(pages.length).toBeGreaterThan(2);
  });

  it('pages ListGroups, ListUsersInGroup and AdminListGroupsForUser with Limit and NextToken', async () => {
    // Act
    const groups = await allPages(async (token) => {
      const out = await cognito.send(new ListGroupsCommand({ UserPoolId: pool, Limit: 2, NextToken: token }));
      return { items: (out.Groups ?? []).map((group) => group.GroupName ?? ''), next: out.NextToken };
    });
    const members = await allPages(async (token) => {
      const out = await cognito.send(
        new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'p-3', Limit: 1, NextToken: token }),
      );
      return { items: (out.Users ?? []).map((user) => user.Username ?? ''), next: out.NextToken };
    });
    const groupsOfRay = await allPages(async (token) => {
      const out = await cognito.send(
        new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'ray', Limit: 3, NextToken: token }),
      );
      return { items: (out.Groups ?? []).map((group) => group.GroupName ?? ''), next: out.NextToken };
    });
    // Assess
    expect(groups.flat()).toEqual(expect.arrayContaining(['admins', 'p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'users']));
    expect(new Set(groups.flat()).size).toBe(groups.flat().length);
    expect(groups.every((page) => page.length <= 2)).toBe(true);
    expect(members).toEqual([['pat'], ['quinn'], ['ray']]);
    expect(groupsOfRay).toEqual([
      ['p-1', 'p-2', 'p-3'],
      ['p-4', 'p-5'],
    ]);
  });

  it('neither repeats nor skips a user deleted between two pages', async () => {
    // Prepare
    const first = await cognito.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'p-5', Limit: 1 }));
    await createUser('zed');
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: 'zed', GroupName: 'p-5' }));
    // Act
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'pat' }));
    const rest = await cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'p-5', NextToken: first.NextToken }),
    );
    // Assess
    expect(first.Users?.map((user) => user.Username)).toEqual(['pat']);
    expect(rest.Users?.map((user) => user.Username)).toEqual(['quinn', 'ray', 'zed']);
  });

  it('answers InvalidParameterException to a Limit over 60 and to a token it did not hand out', async () => {
    // Act
    const tooMany = await failureOf(cognito.send(new ListUsersCommand({ UserPoolId: pool, Limit: 61 })));
    const forged = await failureOf(cognito.send(new ListGroupsCommand({ UserPoolId: pool, NextToken: 'not-a-token' })));
    // Assess
    expect(tooMany).toMatchObject({ name: 'InvalidParameterException' });
    expect(forged).toMatchObject({ name: 'InvalidParameterException' });
  });
});
