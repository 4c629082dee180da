import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GateError, InternalError, UpstreamError } from '../errors/gate-error.js';
import type { RevocationCause, RevocationWriter } from '../revocation/revocation-store.js';
import { type GroupView, toGroupView, toUserView, type UserView } from './admin-views.js';
import { type CognitoOperation, exceptionName, toAdminError } from './cognito-errors.js';
import { decodePageToken, encodePageToken } from './pagination-token.js';
import { generateTemporaryPassword } from './temporary-password.js';

/**
 * The user and group operations of the admin API, over Cognito. Every Cognito error leaves this module as an
 * admin GateError (see cognito-errors.ts). Input arrives validated; `notes` collects facts for the audit line.
 */
export interface CreateUserInput {
  username: string;
  email: string;
  attributes: Readonly<Record<string, string>>;
  temporaryPassword?: string;
  sendInvite: boolean;
  groups: readonly string[];
}

export interface CreatedUser extends UserView {
  groups: string[];
  /** Only when no invitation was sent: the one time the caller sees it. */
  temporaryPassword?: string;
}

export interface PageRequest {
  limit?: number;
  /** Our opaque token, as the client sent it. */
  next?: string;
}

export type UserPage = { users: UserView[]; next?: string };
export type GroupPage = { groups: GroupView[]; next?: string };
export type AuditNotes = Record<string, string | number | boolean>;

// A user belongs to at most 100 groups; this bounds the loop even if the service misbehaves.
const MAX_GROUP_PAGES = 10;

export interface AdminServiceOptions {
  client: CognitoIdentityProviderClient;
  userPoolId: string;
  /** Revocation on: disable, delete and sign-out also void the user's current tokens at the authorizer. */
  revocations?: Pick<RevocationWriter, 'revokeUser'> | undefined;
}

export type AdminService = ReturnType<typeof createAdminService>;

export function createAdminService({ client, userPoolId, revocations }: AdminServiceOptions) {
  const UserPoolId = userPoolId;

  /** `fields` names the input at fault for a given exception, e.g. { InvalidPasswordException: 'password' }. */
  async function call<T>(
    operation: CognitoOperation,
    send: () => Promise<T>,
    fields: Readonly<Record<string, string>> = {},
  ): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof GateError) throw error;
      throw toAdminError(error, operation, fields[exceptionName(error) ?? '']);
    }
  }

  async function allGroupsOf(username: string): Promise<string[]> {
    const names: string[] = [];
    let NextToken: string | undefined;
    for (let page = 0; page < MAX_GROUP_PAGES; page += 1) {
      const out = await call('AdminListGroupsForUser', () =>
        client.send(new AdminListGroupsForUserCommand({ UserPoolId, Username: username, NextToken })),
      );
      names.push(...(out.Groups ?? []).map((group) => group.GroupName ?? '').filter(Boolean));
      NextToken = out.NextToken;
      if (!NextToken) break;
    }
    return names;
  }

  /** Revocation entries name the `sub`: a username can be taken again after a delete, a sub never is. */
  async function subOf(username: string): Promise<string> {
    const out = await call('AdminGetUser', () =>
      client.send(new AdminGetUserCommand({ UserPoolId, Username: username })),
    );
    const sub = out.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    if (!sub) throw new InternalError('Internal error');
    return sub;
  }

  /**
   * Cognito revokes the user's refresh tokens and ends its sessions. NotAuthorizedException means the user is
   * disabled: AdminDisableUser has already revoked its tokens, so there is nothing left to sign out.
   */
  async function signOutEverywhere(username: string, notes: AuditNotes): Promise<void> {
    try {
      await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId, Username: username }));
      notes.signOut = 'done';
    } catch (error) {
      if (exceptionName(error) !== 'NotAuthorizedException') throw toAdminError(error, 'AdminUserGlobalSignOut');
      notes.signOut = 'not_needed';
    }
  }

  /** The authorizer refuses the user's tokens issued until now; a failed write fails the call, which may be repeated. */
  async function revokeAtAuthorizer(sub: string, cause: RevocationCause, notes: AuditNotes): Promise<void> {
    try {
      await revocations!.revokeUser(sub, cause);
      notes.revocation = 'recorded';
    } catch (error) {
      notes.revocation = 'failed';
      throw new UpstreamError("The authorizer's revocation list could not be written; the call is safe to repeat", {
        cause: error,
      });
    }
  }

  return {
    /** All or nothing: if adding a group fails, the new user is deleted and the group's error is thrown. */
    async createUser(input: CreateUserInput, notes: AuditNotes): Promise<CreatedUser> {
      const temporaryPassword = input.temporaryPassword ?? (input.sendInvite ? undefined : generateTemporaryPassword());
      const created = await call(
        'AdminCreateUser',
        () =>
          client.send(
            new AdminCreateUserCommand({
              UserPoolId,
              Username: input.username,
              UserAttributes: [
                { Name: 'email', Value: input.email },
                ...Object.entries(input.attributes).map(([Name, Value]) => ({ Name, Value })),
              ],
              TemporaryPassword: temporaryPassword,
              ...(input.sendInvite ? { DesiredDeliveryMediums: ['EMAIL'] } : { MessageAction: 'SUPPRESS' }),
            }),
          ),
        { UsernameExistsException: 'username', InvalidPasswordException: 'temporaryPassword' },
      );
      const user = created.User;
      if (!user?.Username) throw new InternalError('Internal error');
      // In pools that sign in by email, Cognito replaces the username with a UUID: use the one it returned.
      const username = user.Username;

      for (const [index, group] of input.groups.entries()) {
        try {
          await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: username, GroupName: group }));
        } catch (error) {
          notes.failedGroup = group;
          notes.rollback = await deleteQuietly(username);
          throw toAdminError(error, 'AdminAddUserToGroup', `groups[${index}]`);
        }
      }
      return {
        ...toUserView(user),
        groups: [...input.groups],
        ...(!input.sendInvite && temporaryPassword !== undefined ? { temporaryPassword } : {}),
      };
    },

    async listUsers(page: PageRequest, filter: string | undefined): Promise<UserPage> {
      const PaginationToken = decodePageToken('users', page.next);
      const out = await call('ListUsers', () =>
        client.send(new ListUsersCommand({ UserPoolId, Limit: page.limit, PaginationToken, Filter: filter })),
      );
      return withNext({ users: (out.Users ?? []).map(toUserView) }, encodePageToken('users', out.PaginationToken));
    },

    async getUser(username: string): Promise<UserView & { groups: string[] }> {
      const out = await call('AdminGetUser', () =>
        client.send(new AdminGetUserCommand({ UserPoolId, Username: username })),
      );
      // Groups by the canonical username: by an alias, some implementations answer [] (cognito-local does).
      const groups = await allGroupsOf(out.Username ?? username);
      return { ...toUserView(out), groups };
    },

    /**
     * The revocation entry is written first: if that fails, the user is still there and the call can be repeated
     * (after the delete, the sub could not be looked up again).
     */
    async deleteUser(username: string, notes: AuditNotes = {}): Promise<void> {
      if (revocations) await revokeAtAuthorizer(await subOf(username), 'delete', notes);
      await call('AdminDeleteUser', () => client.send(new AdminDeleteUserCommand({ UserPoolId, Username: username })));
    },

    /**
     * Disables, then signs out everywhere (disable first, so no new session can start in between), then has the
     * authorizer refuse the tokens issued until then. Every step is idempotent.
     */
    async disableUser(username: string, notes: AuditNotes): Promise<void> {
      const sub = revocations ? await subOf(username) : undefined;
      await call('AdminDisableUser', () =>
        client.send(new AdminDisableUserCommand({ UserPoolId, Username: username })),
      );
      await signOutEverywhere(username, notes);
      if (sub !== undefined) await revokeAtAuthorizer(sub, 'disable', notes);
    },

    /** Signs out everywhere, then has the authorizer refuse the tokens issued until then; the user stays enabled. */
    async signOutUser(username: string, notes: AuditNotes): Promise<void> {
      const sub = revocations ? await subOf(username) : undefined;
      await signOutEverywhere(username, notes);
      if (sub !== undefined) await revokeAtAuthorizer(sub, 'sign_out', notes);
    },

    async enableUser(username: string): Promise<void> {
      await call('AdminEnableUser', () => client.send(new AdminEnableUserCommand({ UserPoolId, Username: username })));
    },

    async resetPassword(username: string): Promise<void> {
      await call('AdminResetUserPassword', () =>
        client.send(new AdminResetUserPasswordCommand({ UserPoolId, Username: username })),
      );
    },

    async setPassword(username: string, password: string, permanent: boolean): Promise<void> {
      await call(
        'AdminSetUserPassword',
        () =>
          client.send(
            new AdminSetUserPasswordCommand({
              UserPoolId,
              Username: username,
              Password: password,
              Permanent: permanent,
            }),
          ),
        { InvalidPasswordException: 'password' },
      );
    },

    async addUserToGroup(username: string, group: string): Promise<void> {
      await call('AdminAddUserToGroup', () =>
        client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: username, GroupName: group })),
      );
    },

    async removeUserFromGroup(username: string, group: string): Promise<void> {
      await call('AdminRemoveUserFromGroup', () =>
        client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username: username, GroupName: group })),
      );
    },

    async listGroupsForUser(username: string, page: PageRequest): Promise<GroupPage> {
      const NextToken = decodePageToken('user-groups', page.next);
      const out = await call('AdminListGroupsForUser', () =>
        client.send(
          new AdminListGroupsForUserCommand({ UserPoolId, Username: username, Limit: page.limit, NextToken }),
        ),
      );
      return withNext({ groups: (out.Groups ?? []).map(toGroupView) }, encodePageToken('user-groups', out.NextToken));
    },

    async listGroups(page: PageRequest): Promise<GroupPage> {
      const NextToken = decodePageToken('groups', page.next);
      const out = await call('ListGroups', () =>
        client.send(new ListGroupsCommand({ UserPoolId, Limit: page.limit, NextToken })),
      );
      return withNext({ groups: (out.Groups ?? []).map(toGroupView) }, encodePageToken('groups', out.NextToken));
    },

    async createGroup(input: { name: string; description?: string; precedence?: number }): Promise<GroupView> {
      const out = await call(
        'CreateGroup',
        () =>
          client.send(
            new CreateGroupCommand({
              UserPoolId,
              GroupName: input.name,
              Description: input.description,
              Precedence: input.precedence,
            }),
          ),
        { GroupExistsException: 'name' },
      );
      if (!out.Group) throw new InternalError('Internal error');
      return toGroupView(out.Group);
    },

    async listUsersInGroup(group: string, page: PageRequest): Promise<UserPage> {
      const NextToken = decodePageToken('group-users', page.next);
      const out = await call('ListUsersInGroup', () =>
        client.send(new ListUsersInGroupCommand({ UserPoolId, GroupName: group, Limit: page.limit, NextToken })),
      );
      return withNext({ users: (out.Users ?? []).map(toUserView) }, encodePageToken('group-users', out.NextToken));
    },
  };

  async function deleteQuietly(username: string): Promise<'deleted' | 'failed'> {
    try {
      await client.send(new AdminDeleteUserCommand({ UserPoolId, Username: username }));
      return 'deleted';
    } catch {
      return 'failed';
    }
  }
}

function withNext<T extends object>(page: T, next: string | undefined): T & { next?: string } {
  return next ? { ...page, next } : page;
}
