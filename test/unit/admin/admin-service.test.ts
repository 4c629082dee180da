import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminResetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  InternalErrorException,
  LimitExceededException,
  NotAuthorizedException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuditNotes, type CreateUserInput, createAdminService } from '../../../shared/admin/admin-service.js';
import { GateError } from '../../../shared/errors/gate-error.js';

const POOL = 'us-east-1_TestPool1';
const client = new CognitoIdentityProviderClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const cognito = mockClient(client);
const service = createAdminService({ client, userPoolId: POOL });
const meta = { $metadata: { httpStatusCode: 400 } };

const NEW_USER = {
  Username: 'carol',
  Attributes: [
    { Name: 'sub', Value: 'sub-carol' },
    { Name: 'email', Value: 'carol@example.com' },
  ],
  Enabled: true,
  UserStatus: 'FORCE_CHANGE_PASSWORD' as const,
  UserCreateDate: new Date('2026-11-24T10:00:00Z'),
  UserLastModifiedDate: new Date('2026-11-24T10:00:00Z'),
};

function createInput(overrides: Partial<CreateUserInput> = {}): CreateUserInput {
  return { username: 'carol', email: 'carol@example.com', attributes: {}, sendInvite: true, groups: [], ...overrides };
}

async function caught(promise: Promise<unknown>): Promise<GateError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GateError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

beforeEach(() => cognito.reset());
afterEach(() => cognito.reset());

describe('createUser (mocked SDK)', () => {
  it('creates the user, then adds it to each group in order', async () => {
    // Prepare
    cognito.on(AdminCreateUserCommand).resolves({ User: NEW_USER });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    // Act
    const created = await service.createUser(createInput({ groups: ['users', 'ops'] }), {});
    // Assess
    expect(created).toMatchObject({
      username: 'carol',
      status: 'FORCE_CHANGE_PASSWORD',
      enabled: true,
      groups: ['users', 'ops'],
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((call) => call.args[0].input.GroupName)).toEqual([
      'users',
      'ops',
    ]);
  });

  it('deletes the new user and returns the group error when adding a group fails', async () => {
    // Prepare
    cognito.on(AdminCreateUserCommand).resolves({ User: NEW_USER });
    cognito
      .on(AdminAddUserToGroupCommand, { GroupName: 'users' })
      .resolves({})
      .on(AdminAddUserToGroupCommand, { GroupName: 'no-such-group' })
      .rejects(new ResourceNotFoundException({ message: 'Group not found.', ...meta }));
    cognito.on(AdminDeleteUserCommand).resolves({});
    const notes: AuditNotes = {};
    // Act
    const error = await caught(service.createUser(createInput({ groups: ['users', 'no-such-group', 'later'] }), notes));
    // Assess
    expect(error).toMatchObject({ status: 404, reason: 'not_found', field: 'groups[1]' });
    expect(cognito.commandCalls(AdminDeleteUserCommand).map((call) => call.args[0].input)).toEqual([
      { UserPoolId: POOL, Username: 'carol' },
    ]);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(2);
    expect(notes).toEqual({ failedGroup: 'no-such-group', rollback: 'deleted' });
  });

  it('still returns the group error, and notes the failed rollback, when the delete fails too', async () => {
    // Prepare
    cognito.on(AdminCreateUserCommand).resolves({ User: NEW_USER });
    cognito.on(AdminAddUserToGroupCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', ...meta }));
    cognito.on(AdminDeleteUserCommand).rejects(new InternalErrorException({ message: 'boom', ...meta }));
    const notes: AuditNotes = {};
    // Act
    const error = await caught(service.createUser(createInput({ groups: ['users'] }), notes));
    // Assess
    expect(error.status).toBe(429);
    expect(notes.rollback).toBe('failed');
  });

  it('uses the username Cognito returned for the groups and the rollback (email-username pools use a UUID)', async () => {
    // Prepare
    cognito.on(AdminCreateUserCommand).resolves({ User: { ...NEW_USER, Username: '0b6c-uuid' } });
    cognito
      .on(AdminAddUserToGroupCommand)
      .rejects(new ResourceNotFoundException({ message: 'Group not found.', ...meta }));
    cognito.on(AdminDeleteUserCommand).resolves({});
    // Act
    await caught(service.createUser(createInput({ username: 'carol@example.com', groups: ['x'] }), {}));
    // Assess
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]?.args[0].input.Username).toBe('0b6c-uuid');
    expect(cognito.commandCalls(AdminDeleteUserCommand)[0]?.args[0].input.Username).toBe('0b6c-uuid');
  });

  it('sends an email invitation by default and returns no password', async () => {
    // Prepare
    cognito.on(AdminCreateUserCommand).resolves({ User: NEW_USER });
    // Act
    const created = await service.createUser(createInput(), {});
    // Assess
    const input = cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ DesiredDeliveryMediums: ['EMAIL'] });
    expect(input?.MessageAction).toBeUndefined();
    expect(input?.TemporaryPassword).toBeUndefined();
    expect(created).not.toHaveProperty('temporaryPassword');
  });

  it('without an invitation, suppresses the message and returns a generated password that meets the default policy', async () => {
    // Prepare
    cognito.on(AdminCreateUserCommand).resolves({ User: NEW_USER });
    // Act
    const created = await service.createUser(createInput({ sendInvite: false }), {});
    // Assess
    const input = cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input;
    expect(input?.MessageAction).toBe('SUPPRESS');
    expect(created.temporaryPassword).toBe(input?.TemporaryPassword);
    expect(created.temporaryPassword).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{8,}$/);
  });

  it("without an invitation, returns the caller's own temporary password", async () => {
    // Prepare
    cognito.on(AdminCreateUserCommand).resolves({ User: NEW_USER });
    // Act
    const created = await service.createUser(
      createInput({ sendInvite: false, temporaryPassword: 'Tmp-Passw0rd!' }),
      {},
    );
    // Assess
    expect(created.temporaryPassword).toBe('Tmp-Passw0rd!');
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input.TemporaryPassword).toBe('Tmp-Passw0rd!');
  });

  it('sends email and the other attributes as Cognito attributes', async () => {
    // Prepare
    cognito.on(AdminCreateUserCommand).resolves({ User: NEW_USER });
    // Act
    await service.createUser(createInput({ attributes: { given_name: 'Carol', 'custom:team': 'ops' } }), {});
    // Assess
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input.UserAttributes).toEqual([
      { Name: 'email', Value: 'carol@example.com' },
      { Name: 'given_name', Value: 'Carol' },
      { Name: 'custom:team', Value: 'ops' },
    ]);
  });
});

describe('disableUser', () => {
  it('stays idempotent when the sign-out answers NotAuthorizedException for an already disabled user (mocked SDK: the local stand-in signs a disabled user out like any other)', async () => {
    // Prepare
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito
      .on(AdminUserGlobalSignOutCommand)
      .rejects(new NotAuthorizedException({ message: 'User is disabled.', ...meta }));
    const notes: AuditNotes = {};
    // Act
    await service.disableUser('carol', notes);
    // Assess
    expect(notes).toEqual({ signOut: 'not_needed' });
  });

  it('fails with 429 when the sign-out is throttled, so the caller retries the whole idempotent call (mocked SDK: no local component throttles)', async () => {
    // Prepare
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito
      .on(AdminUserGlobalSignOutCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', ...meta }));
    // Act
    const error = await caught(service.disableUser('carol', {}));
    // Assess
    expect(error.status).toBe(429);
  });

  it('does not sign out a user it could not disable', async () => {
    // Prepare
    cognito
      .on(AdminDisableUserCommand)
      .rejects(new UserNotFoundException({ message: 'User does not exist.', ...meta }));
    // Act
    const error = await caught(service.disableUser('ghost', {}));
    // Assess
    expect(error.status).toBe(404);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toHaveLength(0);
  });
});

describe('resetPassword', () => {
  it('answers 429 with Retry-After when the attempt limit is exceeded (mocked SDK: no local component throttles)', async () => {
    // Prepare
    cognito
      .on(AdminResetUserPasswordCommand)
      .rejects(new LimitExceededException({ message: 'Attempt limit exceeded, please try after some time.', ...meta }));
    // Act
    const error = await caught(service.resetPassword('carol'));
    // Assess
    expect(error).toMatchObject({ status: 429, headers: { 'retry-after': expect.stringMatching(/^\d+$/) } });
  });
});
