import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CreateGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_STATE_FILE } from '../stack/account-state.js';
import { ALICE_PASSWORD, createLocalCognitoClient } from '../stack/seed.js';
import { type IdentityStack, startIdentityStack } from '../stack/stack.js';
import { loginWithPassword } from '../stack/token-client.js';

/** The local stack's state on disk: bursts of writes, a killed process and broken files, then the next start. */
const stateDirs: string[] = [];
const running: IdentityStack[] = [];

async function startOn(stateDir: string): Promise<IdentityStack> {
  const stack = await startIdentityStack({
    stateDir,
    cognitoPort: 0,
    hostedUiPort: 0,
    callbackUrls: ['http://localhost:3000/auth/callback'],
    logoutUrls: ['http://localhost:3000/'],
  });
  running.push(stack);
  return stack;
}

async function newStateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-local-state-'));
  stateDirs.push(dir);
  return dir;
}

async function createUser(stack: IdentityStack, username: string): Promise<void> {
  const cognito = createLocalCognitoClient(stack.cognitoEndpoint);
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: stack.seed.userPoolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      TemporaryPassword: 'Passw0rd!temporary',
      UserAttributes: [
        { Name: 'email', Value: `${username}@example.com` },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  cognito.destroy();
}

/** The set-aside notices among console.warn calls (oidc-provider warns through it too). */
const setAsideNotices = (warn: { mock: { calls: unknown[][] } }) =>
  warn.mock.calls.map((call) => String(call[0])).filter((text) => text.startsWith('[local stack]'));

afterAll(async () => {
  vi.restoreAllMocks();
  for (const stack of running.splice(0)) await stack.stop();
  for (const dir of stateDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('a restart after a burst of writes and a SIGKILL', () => {
  const groups = Array.from({ length: 100 }, (_, index) => `burst-${String(index).padStart(3, '0')}`);
  let stateDir: string;
  let poolId: string;
  let signedOutAt: number | undefined;
  let deletion: string;
  let notices: string[];
  let second: IdentityStack;

  beforeAll(async () => {
    // Prepare: a user in 100 groups (each group is an entry of the pool file), and account state to keep
    stateDir = await newStateDir();
    const first = await startOn(stateDir);
    poolId = first.seed.userPoolId;
    const cognito = createLocalCognitoClient(first.cognitoEndpoint);
    await createUser(first, 'hoarder');
    await createUser(first, 'nina');
    await Promise.all(
      groups.map((GroupName) => cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName }))),
    );
    await Promise.all(
      groups.map((GroupName) =>
        cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'hoarder', GroupName })),
      ),
    );
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'nina', GroupName: 'users' }));
    await cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'nina' }));
    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'nina' }));
    signedOutAt = first.cognito.accountState.signedOutAt(poolId, 'nina');
    // Act: cognito-local removes the user from all 100 groups at once; SIGKILL it as its first write starts
    const firstWrite = new Promise<void>((resolve) => {
      const watcher = watch(join(stateDir, '.cognito', 'db'), () => {
        watcher.close();
        resolve();
      });
    });
    const deleting = cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'hoarder' }));
    await firstWrite;
    process.kill(first.cognito.cognitoLocal.pid ?? 0, 'SIGKILL');
    deletion = await deleting.then(
      () => 'answered',
      () => 'cut off',
    );
    cognito.destroy();
    await first.stop();
    const warn = vi.spyOn(console, 'warn');
    second = await startOn(stateDir);
    notices = setAsideNotices(warn);
    warn.mockRestore();
  }, 90_000);

  it('starts from the same pool with nothing set aside and no temp file left', async () => {
    // Assess
    const dbDir = join(stateDir, '.cognito', 'db');
    expect(['answered', 'cut off']).toContain(deletion);
    expect(notices).toEqual([]);
    expect(second.seed.userPoolId).toBe(poolId);
    expect((await readdir(dbDir)).filter((name) => !name.endsWith('.json'))).toEqual([]);
    expect(JSON.parse(await readFile(join(dbDir, `${poolId}.json`), 'utf8'))).toHaveProperty('Groups');
  });

  it("keeps the seed's groups and their members, though they sort after the first page of 60", async () => {
    // Act
    const cognito = createLocalCognitoClient(second.cognitoEndpoint);
    const members = await cognito.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'users' }));
    cognito.destroy();
    // Assess
    expect((members.Users ?? []).map((user) => user.Username).sort()).toEqual(['alice', 'bob', 'nina']);
  });

  it('still has all 100 groups', async () => {
    // Act
    const names: string[] = [];
    const cognito = createLocalCognitoClient(second.cognitoEndpoint);
    let next: string | undefined;
    do {
      const page = await cognito.send(new ListGroupsCommand({ UserPoolId: poolId, NextToken: next }));
      names.push(...(page.Groups ?? []).map((group) => group.GroupName ?? ''));
      next = page.NextToken;
    } while (next !== undefined);
    cognito.destroy();
    // Assess
    expect(names.filter((name) => name.startsWith('burst-'))).toEqual(groups);
  });

  it('keeps the account state: a required password reset and the time of a global sign-out', async () => {
    // Act
    const cognito = createLocalCognitoClient(second.cognitoEndpoint);
    const nina = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nina' }));
    cognito.destroy();
    // Assess
    expect(nina.UserStatus).toBe('RESET_REQUIRED');
    expect(signedOutAt).toBeGreaterThan(0);
    expect(second.cognito.accountState.signedOutAt(poolId, 'nina')).toBe(signedOutAt);
  });
});

describe('a start on unreadable state files', () => {
  it('moves each aside, names it, and starts from a fresh seed', async () => {
    // Prepare: a pool file cut off mid-write and account state that is not JSON
    const stateDir = await newStateDir();
    const poolFile = join(stateDir, '.cognito', 'db', 'local_broken.json');
    const accountFile = join(stateDir, ACCOUNT_STATE_FILE);
    await mkdir(dirname(poolFile), { recursive: true });
    await writeFile(poolFile, '{ "Users": { "alice": { "Username": "al');
    await writeFile(accountFile, 'not json');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // Act
    const stack = await startOn(stateDir);
    const notices = setAsideNotices(warn);
    warn.mockRestore();
    // Assess
    expect(notices).toEqual([
      expect.stringContaining(`${accountFile} is unreadable`),
      expect.stringContaining(`${poolFile} is unreadable`),
    ]);
    expect(notices.every((notice) => notice.includes('moved it to') && notice.includes('fresh seed'))).toBe(true);
    expect(notices.join('\n')).not.toContain('"Username": "al');
    expect(await readdir(dirname(poolFile))).toContainEqual(
      expect.stringMatching(/^local_broken\.json\.unreadable-\d{8}T\d{6}Z$/),
    );
    expect(stack.seed.userPoolId).not.toBe('local_broken');
    const tokens = await loginWithPassword(stack, { username: 'alice', password: ALICE_PASSWORD });
    expect(tokens.accessToken.split('.')).toHaveLength(3);
  }, 60_000);
});
