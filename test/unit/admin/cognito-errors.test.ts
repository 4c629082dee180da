import { readFileSync } from 'node:fs';
import { UserNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { type CognitoOperation, toAdminError } from '../../../shared/admin/cognito-errors.js';
import { errorToResponse } from '../../../shared/http/error-response.js';

/** errors.json: Cognito's admin error shapes from the AWS model, with the wire statuses seen in the wild. */
interface ErrorShape {
  name: string;
  fault: string;
  model_http_status: number;
  observed_wire_status: number | null;
  real_world?: Array<{ message?: string }>;
}
const catalogue = JSON.parse(
  readFileSync(new URL('./fixtures/cognito-admin-errors.json', import.meta.url), 'utf8'),
) as {
  exceptions: ErrorShape[];
  other_exceptions_seen_on_admin_operations: ErrorShape[];
};

/** Shaped as SDK v3 throws it; the HTTP status is the one seen on the wire (mostly 400), to prove we ignore it. */
function sdkError(shape: ErrorShape): Error {
  const message = shape.real_world?.find((entry) => entry.message)?.message ?? `${shape.name} happened`;
  return Object.assign(new Error(message), {
    name: shape.name,
    $fault: shape.fault,
    $metadata: { httpStatusCode: shape.observed_wire_status ?? shape.model_http_status, requestId: 'req-1' },
  });
}

const EXPECTED: Record<string, { status: number; code: string }> = {
  UserNotFoundException: { status: 404, code: 'not_found' },
  ResourceNotFoundException: { status: 404, code: 'not_found' },
  UsernameExistsException: { status: 409, code: 'conflict' },
  GroupExistsException: { status: 409, code: 'conflict' },
  InvalidParameterException: { status: 400, code: 'invalid_parameter' },
  InvalidPasswordException: { status: 400, code: 'invalid_password' },
  NotAuthorizedException: { status: 403, code: 'forbidden' },
  TooManyRequestsException: { status: 429, code: 'too_many_requests' },
  LimitExceededException: { status: 429, code: 'too_many_requests' },
};

describe('toAdminError', () => {
  it.each(catalogue.exceptions.map((shape) => [shape.name, shape] as const))(
    'maps %s by its name to its stable status and code',
    (name, shape) => {
      // Prepare
      const expected = EXPECTED[name];
      // Act
      const response = errorToResponse(toAdminError(sdkError(shape), 'ListUsers'));
      // Assess
      expect(expected, `no expectation for ${name}: add it to the table`).toBeDefined();
      expect(response.statusCode).toBe(expected?.status);
      expect(JSON.parse(response.body ?? '').error.code).toBe(expected?.code);
    },
  );

  it.each(catalogue.other_exceptions_seen_on_admin_operations.map((shape) => [shape.name, shape] as const))(
    'maps the unlisted %s to a bare 500 without its message',
    (_name, shape) => {
      // Prepare
      const error = sdkError(shape);
      // Act
      const response = errorToResponse(toAdminError(error, 'AdminCreateUser'));
      // Assess
      expect(response.statusCode).toBe(500);
      expect(JSON.parse(response.body ?? '')).toEqual({ error: { code: 'internal', message: 'Internal error' } });
    },
  );

  it('adds Retry-After to both 429 answers', () => {
    // Prepare
    const throttled = sdkError({
      name: 'TooManyRequestsException',
      fault: 'client',
      model_http_status: 429,
      observed_wire_status: 400,
    });
    const limited = sdkError({
      name: 'LimitExceededException',
      fault: 'client',
      model_http_status: 400,
      observed_wire_status: 400,
    });
    // Act
    const responses = [throttled, limited].map((error) =>
      errorToResponse(toAdminError(error, 'AdminResetUserPassword')),
    );
    // Assess
    for (const response of responses) {
      expect(response.statusCode).toBe(429);
      expect(Number(response.headers?.['retry-after'])).toBeGreaterThan(0);
    }
  });

  it.each<[CognitoOperation, number]>([
    ['AdminResetUserPassword', 409],
    ['AdminSetUserPassword', 409],
    ['AdminUserGlobalSignOut', 409],
    ['AdminCreateUser', 403],
    ['ListUsers', 403],
    ['CreateGroup', 403],
  ])('maps NotAuthorizedException on %s to %i', (operation, status) => {
    // Prepare
    const error = sdkError({
      name: 'NotAuthorizedException',
      fault: 'client',
      model_http_status: 403,
      observed_wire_status: 400,
    });
    // Act
    const mapped = toAdminError(error, operation);
    // Assess
    expect(mapped.status).toBe(status);
  });

  it('dispatches on the name even when the HTTP status says something else', () => {
    // Prepare
    const error = new UserNotFoundException({ message: 'User does not exist.', $metadata: { httpStatusCode: 400 } });
    // Act
    const mapped = toAdminError(error, 'AdminGetUser');
    // Assess
    expect(mapped.status).toBe(404);
  });

  it('names the group, not the user, when a group operation meets ResourceNotFoundException', () => {
    // Prepare
    const error = sdkError({
      name: 'ResourceNotFoundException',
      fault: 'client',
      model_http_status: 404,
      observed_wire_status: 400,
    });
    // Act
    const mapped = toAdminError(error, 'AdminAddUserToGroup', 'group');
    // Assess
    expect(errorToResponse(mapped).body).toBe(
      JSON.stringify({ error: { code: 'not_found', message: 'Group not found', field: 'group' } }),
    );
  });

  it("passes Cognito's own message on for input errors, so the caller knows what to fix", () => {
    // Prepare
    const error = sdkError({
      name: 'InvalidPasswordException',
      fault: 'client',
      model_http_status: 400,
      observed_wire_status: null,
      real_world: [{ message: 'Password did not conform with password policy: Password must have numeric characters' }],
    });
    // Act
    const mapped = toAdminError(error, 'AdminSetUserPassword', 'password');
    // Assess
    expect(mapped.message).toBe('Password did not conform with password policy: Password must have numeric characters');
  });

  it('treats something that is not an error at all as a 500', () => {
    // Act
    const mapped = toAdminError('boom', 'ListGroups');
    // Assess
    expect(mapped.status).toBe(500);
  });
});
