import type { AccountState } from './account-state.js';
import { CognitoFault } from './cognito-fault.js';
import type { CognitoInput, CognitoOutput, Operation, Upstream } from './cognito-proxy.js';

/** The flows that check a password: a user in RESET_REQUIRED or disabled is refused before cognito-local sees it. */
const PASSWORD_FLOWS = new Set(['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']);

interface DirectoryUser extends CognitoOutput {
  Username: string;
  Enabled?: boolean;
  UserAttributes?: { Name: string; Value?: string }[];
}

/** The user as cognito-local has it, under its canonical username (the request may use another case). */
async function getUser(upstream: Upstream, poolId: unknown, username: unknown): Promise<DirectoryUser> {
  return (await upstream('AdminGetUser', { UserPoolId: poolId, Username: username })) as DirectoryUser;
}

function hasVerifiedContact(user: DirectoryUser): boolean {
  const attributes = new Map((user.UserAttributes ?? []).map(({ Name, Value }) => [Name, Value]));
  return (
    (attributes.get('email_verified') === 'true' && Boolean(attributes.get('email'))) ||
    (attributes.get('phone_number_verified') === 'true' && Boolean(attributes.get('phone_number')))
  );
}

/** What Cognito reports as the user's status: RESET_REQUIRED lives in the account state, not in cognito-local. */
export function withAccountStatus<T extends CognitoOutput>(state: AccountState, poolId: unknown, user: T): T {
  if (typeof user.Username === 'string' && state.isResetRequired(String(poolId), user.Username)) {
    return { ...user, UserStatus: 'RESET_REQUIRED' };
  }
  return user;
}

/** Global sign-out and password reset, which cognito-local answers with "Unsupported", and what they change. */
export function accountOperations(state: AccountState): Record<string, Operation> {
  return {
    async AdminUserGlobalSignOut(input: CognitoInput, upstream: Upstream) {
      const user = await getUser(upstream, input.UserPoolId, input.Username);
      await state.signOut(String(input.UserPoolId), user.Username);
      return {};
    },

    async AdminResetUserPassword(input, upstream) {
      const user = await getUser(upstream, input.UserPoolId, input.Username);
      if (user.Enabled === false) throw new CognitoFault('NotAuthorizedException', 'User is disabled.');
      if (!hasVerifiedContact(user)) {
        throw new CognitoFault(
          'InvalidParameterException',
          'Cannot reset password for the user as there is no registered/verified email or phone_number',
        );
      }
      await state.requireReset(String(input.UserPoolId), user.Username);
      return {};
    },

    async AdminSetUserPassword(input, upstream) {
      const user = await getUser(upstream, input.UserPoolId, input.Username);
      const output = await upstream('AdminSetUserPassword', input);
      await state.clearReset(String(input.UserPoolId), user.Username);
      return output;
    },

    async AdminDeleteUser(input, upstream) {
      const user = await getUser(upstream, input.UserPoolId, input.Username);
      const output = await upstream('AdminDeleteUser', input);
      await state.forget(String(input.UserPoolId), user.Username);
      return output;
    },

    async AdminGetUser(input, upstream) {
      return withAccountStatus(state, input.UserPoolId, await upstream('AdminGetUser', input));
    },

    /** cognito-local signs in disabled users; Cognito does not, nor users who must reset their password. */
    async AdminInitiateAuth(input, upstream) {
      const username = (input.AuthParameters as Record<string, unknown> | undefined)?.USERNAME;
      if (PASSWORD_FLOWS.has(String(input.AuthFlow)) && typeof username === 'string') {
        const user = await getUser(upstream, input.UserPoolId, username).catch(() => undefined);
        if (user?.Enabled === false) throw new CognitoFault('NotAuthorizedException', 'User is disabled.');
        if (user !== undefined && state.isResetRequired(String(input.UserPoolId), user.Username)) {
          throw new CognitoFault('PasswordResetRequiredException', 'Password reset required for the user');
        }
      }
      return upstream('AdminInitiateAuth', input);
    },
  };
}
