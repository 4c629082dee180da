import { createHmac } from 'node:crypto';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  type CognitoIdentityProviderClient,
  paginateAdminListGroupsForUser,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';

/** What the hosted UI's sign-in needs of the app client: the secret hash is computed from both. */
export interface DirectoryClient {
  clientId: string;
  clientSecret: string;
}

/** Cognito's message for both an unknown user and a wrong password, so usernames cannot be probed. */
export const BAD_CREDENTIALS = 'Incorrect username or password.';

export interface DirectoryUser {
  username: string;
  sub: string;
  enabled: boolean;
  status: string | undefined;
  attributes: Record<string, string>;
}

/** Reads users from cognito-local, the single source of truth for passwords, groups and attributes. */
export class UserDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly webClient: DirectoryClient,
  ) {}

  /** Looks a user up by username or by `sub` (cognito-local resolves both). */
  async getUser(usernameOrSub: string): Promise<DirectoryUser | undefined> {
    try {
      const found = await this.client.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: usernameOrSub }),
      );
      const attributes: Record<string, string> = {};
      for (const { Name, Value } of found.UserAttributes ?? []) {
        if (Name !== undefined && Value !== undefined) {
          attributes[Name] = Value;
        }
      }
      if (found.Username === undefined || attributes.sub === undefined) {
        return undefined;
      }
      return {
        username: found.Username,
        sub: attributes.sub,
        enabled: found.Enabled !== false,
        status: found.UserStatus,
        attributes,
      };
    } catch (error) {
      if (error instanceof UserNotFoundException) {
        return undefined;
      }
      throw error;
    }
  }

  /** Group names at this moment (every page: a token carries all of them), so a change shows in the next token. */
  async groupsOf(username: string): Promise<string[]> {
    const names: string[] = [];
    const input = { UserPoolId: this.userPoolId, Username: username };
    for await (const { Groups = [] } of paginateAdminListGroupsForUser({ client: this.client }, input)) {
      names.push(...Groups.flatMap((group) => (group.GroupName === undefined ? [] : [group.GroupName])));
    }
    return names.sort();
  }

  /** Checks a password the way a Cognito sign-in would; returns the user or a message for the form. */
  async authenticate(username: string, password: string): Promise<DirectoryUser | string> {
    const user = await this.getUser(username);
    // cognito-local also resolves a `sub` typed as username; Cognito's sign-in does not.
    if (user === undefined || (user.sub === username && user.username !== username)) {
      return BAD_CREDENTIALS;
    }
    // cognito-local lets disabled users sign in; Cognito does not.
    if (!user.enabled) {
      return 'User is disabled.';
    }
    if (user.status === 'RESET_REQUIRED') {
      return 'Password reset required for the user; an administrator can set a new one with AdminSetUserPassword.';
    }
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      return 'This user must set a new password first; set a permanent one with AdminSetUserPassword.';
    }
    const secretHash = createHmac('sha256', this.webClient.clientSecret)
      .update(user.username + this.webClient.clientId)
      .digest('base64');
    try {
      await this.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: this.userPoolId,
          ClientId: this.webClient.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: user.username, PASSWORD: password, SECRET_HASH: secretHash },
        }),
      );
    } catch (error) {
      // cognito-local answers InvalidPasswordException where Cognito answers NotAuthorizedException.
      const name = (error as { name?: string }).name;
      if (name === 'InvalidPasswordException' || name === 'NotAuthorizedException') {
        return BAD_CREDENTIALS;
      }
      throw error;
    }
    return user;
  }
}
