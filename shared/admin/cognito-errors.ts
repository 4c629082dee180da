import {
  ConflictError,
  ForbiddenError,
  type GateError,
  InternalError,
  InvalidParameterError,
  InvalidPasswordError,
  NotFoundError,
  TooManyRequestsError,
} from '../errors/gate-error.js';

/** The Cognito operations the admin API calls. */
export type CognitoOperation =
  | 'AdminCreateUser'
  | 'AdminAddUserToGroup'
  | 'AdminDeleteUser'
  | 'AdminGetUser'
  | 'AdminListGroupsForUser'
  | 'AdminDisableUser'
  | 'AdminEnableUser'
  | 'AdminUserGlobalSignOut'
  | 'AdminResetUserPassword'
  | 'AdminSetUserPassword'
  | 'AdminRemoveUserFromGroup'
  | 'ListUsers'
  | 'ListGroups'
  | 'CreateGroup'
  | 'ListUsersInGroup';

/**
 * NotAuthorizedException on these operations means the target user's state forbids it (for example
 * "User is disabled" on AdminResetUserPassword): 409. Elsewhere it means the pool refuses the operation: 403.
 */
const NOT_AUTHORIZED_IS_CONFLICT: ReadonlySet<CognitoOperation> = new Set([
  'AdminResetUserPassword',
  'AdminSetUserPassword',
  'AdminUserGlobalSignOut',
]);

/** On these, ResourceNotFoundException is about the group named in the request. */
const GROUP_SCOPED: ReadonlySet<CognitoOperation> = new Set([
  'AdminAddUserToGroup',
  'AdminRemoveUserFromGroup',
  'ListUsersInGroup',
]);

// Cognito sends no Retry-After; these are our own advice to clients.
const RETRY_AFTER_THROTTLED_SECONDS = 1;
const RETRY_AFTER_LIMIT_EXCEEDED_SECONDS = 30;
const MAX_PASSED_MESSAGE = 300;

/**
 * Maps an error thrown by the Cognito SDK to the admin API's error. Dispatches on the exception NAME: real
 * Cognito answers 400 on the wire for most of these, whatever the model says.
 */
export function toAdminError(error: unknown, operation: CognitoOperation, field?: string): GateError {
  const name = exceptionName(error);
  const options = { cause: error, field };
  switch (name) {
    case 'UserNotFoundException':
      return new NotFoundError('User not found', options);
    case 'ResourceNotFoundException':
      return new NotFoundError(GROUP_SCOPED.has(operation) ? 'Group not found' : 'Resource not found', options);
    case 'UsernameExistsException':
      return new ConflictError('A user with this username already exists', options);
    case 'GroupExistsException':
      return new ConflictError('A group with this name already exists', options);
    case 'InvalidParameterException':
      return new InvalidParameterError(cognitoMessage(error, 'Invalid parameter'), options);
    case 'InvalidPasswordException':
      return new InvalidPasswordError(cognitoMessage(error, 'The password does not meet the password policy'), options);
    case 'NotAuthorizedException':
      return NOT_AUTHORIZED_IS_CONFLICT.has(operation)
        ? new ConflictError("The user's current state does not allow this operation", options)
        : new ForbiddenError('The user pool does not allow this operation', options);
    case 'TooManyRequestsException':
      return new TooManyRequestsError('Too many requests, retry later', RETRY_AFTER_THROTTLED_SECONDS, {
        cause: error,
      });
    case 'LimitExceededException':
      return new TooManyRequestsError('A Cognito limit was exceeded, retry later', RETRY_AFTER_LIMIT_EXCEEDED_SECONDS, {
        cause: error,
      });
    default:
      return new InternalError('Internal error', { cause: error });
  }
}

export function exceptionName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** For input errors Cognito's message says what to fix; it never carries the password itself. */
function cognitoMessage(error: unknown, fallback: string): string {
  const message = error instanceof Error ? error.message.trim() : '';
  return message ? message.slice(0, MAX_PASSED_MESSAGE) : fallback;
}
