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
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  InternalErrorException,
  ListGroupsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAdminHandler } from '../../../functions/admin/create-handler.js';
import { ADMIN_ROUTES, type AdminRouteSpec } from '../../../shared/admin/admin-routes.js';
import {
  ADMIN_M2M_CLIENT,
  type AdminRequest,
  captureLogger,
  lambdaContext,
  loadEvent,
  NON_ADMIN_PERSON,
  parseBody,
  restRequest,
  testConfig,
  v2Request,
} from './support/admin-events.js';

const client = new CognitoIdentityProviderClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const cognito = mockClient(client);
const meta = { $metadata: { httpStatusCode: 400 } };
const CAROL = {
  Username: 'carol',
  Attributes: [{ Name: 'email', Value: 'carol@example.com' }],
  Enabled: true,
  UserStatus: 'FORCE_CHANGE_PASSWORD' as const,
  UserCreateDate: new Date('2026-11-24T10:00:00Z'),
  UserLastModifiedDate: new Date('2026-11-24T10:00:00Z'),
};

function setup(env: Record<string, string> = {}) {
  const capture = captureLogger();
  const handler = createAdminHandler({ config: testConfig(env), client, logger: capture.logger });
  const invoke = (event: unknown) => handler(event as never, lambdaContext());
  return { ...capture, invoke };
}

/** Every Cognito call answers as if all went well. */
function cognitoAnswersOk(): void {
  cognito.on(AdminCreateUserCommand).resolves({ User: CAROL });
  cognito.on(ListUsersCommand).resolves({ Users: [CAROL] });
  cognito
    .on(AdminGetUserCommand)
    .resolves({ Username: 'carol', UserAttributes: CAROL.Attributes, Enabled: true, UserStatus: 'CONFIRMED' });
  cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'users' }] });
  cognito.on(ListGroupsCommand).resolves({ Groups: [{ GroupName: 'users' }] });
  cognito.on(CreateGroupCommand).resolves({ Group: { GroupName: 'ops' } });
  cognito.on(ListUsersInGroupCommand).resolves({ Users: [CAROL] });
  for (const command of [
    AdminAddUserToGroupCommand,
    AdminDeleteUserCommand,
    AdminDisableUserCommand,
    AdminEnableUserCommand,
    AdminRemoveUserFromGroupCommand,
    AdminResetUserPasswordCommand,
    AdminSetUserPasswordCommand,
    AdminUserGlobalSignOutCommand,
  ]) {
    cognito.on(command as typeof AdminDeleteUserCommand).resolves({});
  }
}

const SAMPLE_BODIES: Partial<Record<AdminRouteSpec['action'], unknown>> = {
  'user.create': { username: 'carol', email: 'carol@example.com', groups: ['users'] },
  'user.set_password': { password: 'N3w-Passw0rd!', permanent: true },
  'group.create': { name: 'ops', description: 'Operations' },
};

function sampleRequest(route: AdminRouteSpec): AdminRequest {
  const path = route.path.replace('{username}', 'carol').replace('{group}', 'users');
  const body = SAMPLE_BODIES[route.action];
  return { method: route.method, path, ...(body !== undefined ? { body } : {}) };
}

beforeEach(() => cognito.reset());
afterEach(() => {
  cognito.reset();
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('routing', () => {
  it.each(ADMIN_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'routes %s from an HTTP API v2 event to its success status',
    async (_name, route) => {
      // Prepare
      cognitoAnswersOk();
      const { invoke } = setup();
      // Act
      const result = await invoke(v2Request(sampleRequest(route)));
      // Assess
      expect(result.statusCode, result.body).toBe(route.status);
    },
  );

  it.each(ADMIN_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    'routes %s from a REST proxy event to its success status',
    async (_name, route) => {
      // Prepare
      cognitoAnswersOk();
      const { invoke } = setup();
      // Act
      const result = await invoke(restRequest(sampleRequest(route)));
      // Assess
      expect(result.statusCode, result.body).toBe(route.status);
    },
  );

  it('decodes a percent-encoded username from a REST path', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke } = setup();
    // Act
    await invoke(restRequest({ method: 'GET', path: '/admin/users/jos%C3%A9%40example.com' }));
    // Assess
    expect(cognito.commandCalls(AdminGetUserCommand)[0]?.args[0].input.Username).toBe('josé@example.com');
  });

  it('takes the username from an HTTP API path as it comes, already decoded', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke } = setup();
    // Act
    await invoke(v2Request({ method: 'GET', path: '/admin/users/50%off' }));
    // Assess
    expect(cognito.commandCalls(AdminGetUserCommand)[0]?.args[0].input.Username).toBe('50%off');
  });

  it('routes an HTTP API request made on a named stage', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke } = setup();
    const event = v2Request({ method: 'GET', path: '/prod/admin/groups' });
    event.requestContext.stage = 'prod';
    // Act
    const result = await invoke(event);
    // Assess
    expect(result.statusCode).toBe(200);
  });

  it('answers 404 not_found for an unknown route', async () => {
    // Prepare
    const { invoke } = setup();
    // Act
    const result = await invoke(v2Request({ method: 'GET', path: '/admin/roles' }));
    // Assess
    expect(result.statusCode).toBe(404);
    expect(parseBody(result)).toEqual({ error: { code: 'not_found', message: 'No route for GET /admin/roles' } });
  });

  it('answers 404 for a known path with a method it does not serve', async () => {
    // Prepare
    const { invoke } = setup();
    // Act
    const result = await invoke(restRequest({ method: 'PATCH', path: '/admin/users/carol' }));
    // Assess
    expect(result.statusCode).toBe(404);
  });

  it('returns the list of users with the opaque next token', async () => {
    // Prepare
    cognito.on(ListUsersCommand).resolves({ Users: [CAROL], PaginationToken: 'p2' });
    const { invoke } = setup();
    // Act
    const result = await invoke(
      v2Request({ method: 'GET', path: '/admin/users', query: { limit: '1', email: 'carol@example.com' } }),
    );
    // Assess
    expect(parseBody(result)).toEqual({
      users: [
        {
          username: 'carol',
          status: 'FORCE_CHANGE_PASSWORD',
          enabled: true,
          attributes: { email: 'carol@example.com' },
          createdAt: '2026-11-24T10:00:00.000Z',
          updatedAt: '2026-11-24T10:00:00.000Z',
        },
      ],
      next: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
    });
    expect(cognito.commandCalls(ListUsersCommand)[0]?.args[0].input).toMatchObject({
      Limit: 1,
      Filter: 'email = "carol@example.com"',
    });
  });

  it('answers 201 with a Location header for a new user', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke } = setup();
    // Act
    const result = await invoke(
      v2Request({ method: 'POST', path: '/admin/users', body: { username: 'carol', email: 'carol@example.com' } }),
    );
    // Assess
    expect(result.statusCode).toBe(201);
    expect(result.headers?.location).toBe('/admin/users/carol');
  });

  it('accepts a base64-encoded JSON body, as HTTP APIs may send it', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke } = setup();
    const event = v2Request({ method: 'POST', path: '/admin/groups', body: { name: 'ops' } });
    event.body = Buffer.from(event.body ?? '').toString('base64');
    event.isBase64Encoded = true;
    // Act
    const result = await invoke(event);
    // Assess
    expect(result.statusCode).toBe(201);
  });
});

describe('identity check inside the function', () => {
  it('answers 401 when the authorizer context is absent, and calls no Cognito API', async () => {
    // Prepare
    const { invoke } = setup();
    // Act
    const result = await invoke(v2Request({ method: 'GET', path: '/admin/users', identity: null }));
    // Assess
    expect(result.statusCode).toBe(401);
    expect(parseBody(result).error.code).toBe('token_missing');
    expect(cognito.calls()).toHaveLength(0);
  });

  it('answers 401 to a real HTTP API event whose Lambda authorizer returned no context', async () => {
    // Prepare
    const { invoke } = setup();
    const event = loadEvent<Record<string, any>>('lambda-authorizer-null-context.powertools-ts.json');
    event.requestContext.http.method = 'GET';
    event.requestContext.http.path = '/admin/users';
    // Act
    const result = await invoke(event);
    // Assess
    expect(result.statusCode).toBe(401);
  });

  it('answers 401 to a real REST event whose authorizer gave only a principalId', async () => {
    // Prepare
    const { invoke } = setup();
    const event = loadEvent<Record<string, any>>('lambda-authorizer-principal.powertools-ts.json');
    event.httpMethod = 'GET';
    event.path = '/admin/users';
    // Act
    const result = await invoke(event);
    // Assess
    expect(result.statusCode).toBe(401);
  });

  it('answers 403 to a person outside the admin group, and calls no Cognito API', async () => {
    // Prepare
    const { invoke } = setup();
    // Act
    const result = await invoke(
      restRequest({ method: 'DELETE', path: '/admin/users/carol', identity: NON_ADMIN_PERSON }),
    );
    // Assess
    expect(result.statusCode).toBe(403);
    expect(parseBody(result).error.code).toBe('forbidden');
    expect(cognito.calls()).toHaveLength(0);
  });

  it('answers 403, not 404, to a non-admin asking for an unknown route', async () => {
    // Prepare
    const { invoke } = setup();
    // Act
    const result = await invoke(v2Request({ method: 'GET', path: '/admin/secret', identity: NON_ADMIN_PERSON }));
    // Assess
    expect(result.statusCode).toBe(403);
  });

  it('serves an M2M client that has the admin scope', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke } = setup();
    // Act
    const result = await invoke(v2Request({ method: 'GET', path: '/admin/groups', identity: ADMIN_M2M_CLIENT }));
    // Assess
    expect(result.statusCode).toBe(200);
  });

  it('follows ADMIN_GROUP', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke } = setup({ ADMIN_GROUP: 'users' });
    // Act
    const result = await invoke(v2Request({ method: 'GET', path: '/admin/groups', identity: NON_ADMIN_PERSON }));
    // Assess
    expect(result.statusCode).toBe(200);
  });

  it('writes one denied audit line for a refused request', async () => {
    // Prepare
    const { invoke, audit } = setup();
    // Act
    await invoke(v2Request({ method: 'GET', path: '/admin/users', identity: NON_ADMIN_PERSON }));
    // Assess
    expect(audit()).toEqual([
      {
        action: 'admin.access',
        actor: { sub: '9e8d7c6b-user', username: 'bo' },
        target: { route: 'GET /admin/users' },
        outcome: 'denied',
        status: 403,
        errorCode: 'forbidden',
      },
    ]);
  });
});

describe('input validation', () => {
  // With ADMIN_MAX_BODY_BYTES=4096 below.
  const oversized = {
    username: 'carol',
    email: 'carol@example.com',
    attributes: { a: 'x'.repeat(2000), b: 'x'.repeat(2000), c: 'x'.repeat(2000) },
  };
  const cases: Array<[string, AdminRequest, { status: number; code: string; field: string }]> = [
    [
      'a missing username',
      { method: 'POST', path: '/admin/users', body: { email: 'carol@example.com' } },
      { status: 400, code: 'validation_failed', field: 'username' },
    ],
    [
      'a malformed email',
      { method: 'POST', path: '/admin/users', body: { username: 'carol', email: 'carol@' } },
      { status: 400, code: 'validation_failed', field: 'email' },
    ],
    [
      'an unknown field',
      { method: 'POST', path: '/admin/users', body: { username: 'carol', email: 'carol@example.com', isAdmin: true } },
      { status: 400, code: 'validation_failed', field: 'isAdmin' },
    ],
    [
      'a body that is not JSON',
      { method: 'POST', path: '/admin/users', rawBody: '{"username": carol' },
      { status: 400, code: 'validation_failed', field: 'body' },
    ],
    [
      'a JSON body that is not an object',
      { method: 'POST', path: '/admin/users', body: ['carol'] },
      { status: 400, code: 'validation_failed', field: 'body' },
    ],
    [
      'a missing body',
      { method: 'POST', path: '/admin/groups' },
      { status: 400, code: 'validation_failed', field: 'body' },
    ],
    [
      'a wrong content type',
      { method: 'POST', path: '/admin/groups', body: { name: 'ops' }, headers: { 'content-type': 'text/plain' } },
      { status: 415, code: 'unsupported_media_type', field: 'content-type' },
    ],
    [
      'a body over the size limit',
      { method: 'POST', path: '/admin/users', body: oversized },
      { status: 413, code: 'payload_too_large', field: 'body' },
    ],
    [
      'a username path parameter over 128 characters',
      { method: 'GET', path: `/admin/users/${'u'.repeat(129)}` },
      { status: 400, code: 'validation_failed', field: 'username' },
    ],
    [
      'a username path parameter with a space',
      { method: 'POST', path: '/admin/users/carol smith/disable' },
      { status: 400, code: 'validation_failed', field: 'username' },
    ],
    [
      'a group path parameter with a control character',
      { method: 'PUT', path: '/admin/users/carol/groups/ops\u0007' },
      { status: 400, code: 'validation_failed', field: 'group' },
    ],
    [
      'a limit out of range',
      { method: 'GET', path: '/admin/groups', query: { limit: '61' } },
      { status: 400, code: 'validation_failed', field: 'limit' },
    ],
    [
      'a limit that is not a number',
      { method: 'GET', path: '/admin/users', query: { limit: 'ten' } },
      { status: 400, code: 'validation_failed', field: 'limit' },
    ],
    [
      'an unknown query parameter',
      { method: 'GET', path: '/admin/users', query: { sort: 'name' } },
      { status: 400, code: 'validation_failed', field: 'sort' },
    ],
    [
      'two filters at once',
      { method: 'GET', path: '/admin/users', query: { email: 'a@example.com', status: 'CONFIRMED' } },
      { status: 400, code: 'validation_failed', field: 'status' },
    ],
    [
      'a filter value with a quote',
      { method: 'GET', path: '/admin/users', query: { usernamePrefix: 'a" or "' } },
      { status: 400, code: 'validation_failed', field: 'usernamePrefix' },
    ],
    [
      'an unknown user status',
      { method: 'GET', path: '/admin/users', query: { status: 'ACTIVE' } },
      { status: 400, code: 'validation_failed', field: 'status' },
    ],
    [
      'a forged next token',
      { method: 'GET', path: '/admin/groups', query: { next: 'bm90LWEtdG9rZW4' } },
      { status: 400, code: 'validation_failed', field: 'next' },
    ],
    [
      'a repeated group',
      {
        method: 'POST',
        path: '/admin/users',
        body: { username: 'carol', email: 'carol@example.com', groups: ['ops', 'ops'] },
      },
      { status: 400, code: 'validation_failed', field: 'groups[1]' },
    ],
    [
      'email among the other attributes',
      {
        method: 'POST',
        path: '/admin/users',
        body: { username: 'carol', email: 'carol@example.com', attributes: { email: 'x@example.com' } },
      },
      { status: 400, code: 'validation_failed', field: 'attributes.email' },
    ],
    [
      'sendInvite that is not a boolean',
      {
        method: 'POST',
        path: '/admin/users',
        body: { username: 'carol', email: 'carol@example.com', sendInvite: 'no' },
      },
      { status: 400, code: 'validation_failed', field: 'sendInvite' },
    ],
    [
      'a new group name with a comma',
      { method: 'POST', path: '/admin/groups', body: { name: 'ops,admins' } },
      { status: 400, code: 'validation_failed', field: 'name' },
    ],
    [
      'a missing password',
      { method: 'PUT', path: '/admin/users/carol/password', body: { permanent: true } },
      { status: 400, code: 'validation_failed', field: 'password' },
    ],
  ];

  it.each(cases)(
    'answers %s with a clear error naming the field, and calls no Cognito API',
    async (_name, request, expected) => {
      // Prepare
      cognitoAnswersOk();
      const { invoke } = setup({ ADMIN_MAX_BODY_BYTES: '4096' });
      // Act
      const result = await invoke(v2Request(request));
      // Assess
      expect(result.statusCode).toBe(expected.status);
      expect(parseBody(result).error).toMatchObject({ code: expected.code, field: expected.field });
      expect(cognito.calls()).toHaveLength(0);
    },
  );

  it('answers 400 naming username for a malformed percent-encoding in a REST path', async () => {
    // Prepare
    const { invoke } = setup();
    // Act
    const result = await invoke(restRequest({ method: 'GET', path: '/admin/users/bad%E0%A4%A' }));
    // Assess
    expect(result.statusCode).toBe(400);
    expect(parseBody(result).error.field).toBe('username');
  });

  it('accepts a JSON content type with a charset, in REST header casing', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke } = setup();
    // Act
    const result = await invoke(
      restRequest({
        method: 'POST',
        path: '/admin/groups',
        body: { name: 'ops' },
        headers: { 'Content-Type': 'application/json; charset=UTF-8' },
      }),
    );
    // Assess
    expect(result.statusCode).toBe(201);
  });
});

describe('Cognito errors through the handler', () => {
  it('answers 429 with a Retry-After header when Cognito throttles (mocked SDK: cognito-local never throttles)', async () => {
    // Prepare
    cognito.on(ListUsersCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', ...meta }));
    const { invoke } = setup();
    // Act
    const result = await invoke(v2Request({ method: 'GET', path: '/admin/users' }));
    // Assess
    expect(result.statusCode).toBe(429);
    expect(result.headers?.['retry-after']).toMatch(/^\d+$/);
    expect(parseBody(result).error.code).toBe('too_many_requests');
  });

  it('answers 404 for an unknown user', async () => {
    // Prepare
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: 'User does not exist.', ...meta }));
    const { invoke } = setup();
    // Act
    const result = await invoke(v2Request({ method: 'GET', path: '/admin/users/ghost' }));
    // Assess
    expect(result.statusCode).toBe(404);
    expect(parseBody(result)).toEqual({ error: { code: 'not_found', message: 'User not found' } });
  });

  it('answers a bare 500 for an unexpected Cognito error, and keeps the cause for the audit log only', async () => {
    // Prepare
    cognito.on(ListGroupsCommand).rejects(new InternalErrorException({ message: 'shard 7 unavailable', ...meta }));
    const { invoke, audit } = setup();
    // Act
    const result = await invoke(v2Request({ method: 'GET', path: '/admin/groups' }));
    // Assess
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('shard');
    expect(audit()[0]).toMatchObject({
      outcome: 'failure',
      status: 500,
      cause: { name: 'InternalErrorException', message: 'shard 7 unavailable' },
    });
  });
});

describe('audit log', () => {
  it('writes one line per action with actor, action, target, outcome and both request ids', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke, audit, lines } = setup();
    // Act
    await invoke(v2Request({ method: 'PUT', path: '/admin/users/carol/groups/ops' }));
    // Assess
    expect(audit()).toEqual([
      {
        action: 'user.add_group',
        actor: { sub: '3f1b2c4d-admin', username: 'ada' },
        target: { username: 'carol', group: 'ops' },
        outcome: 'success',
        status: 204,
      },
    ]);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      message: 'admin audit',
      requestId: 'c0ffee00-0000-4000-8000-000000000001',
      apiRequestId: 'id',
    });
  });

  it('names an M2M actor by its client id', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke, audit } = setup();
    // Act
    await invoke(v2Request({ method: 'DELETE', path: '/admin/users/carol', identity: ADMIN_M2M_CLIENT }));
    // Assess
    expect(audit()[0]?.actor).toEqual({ sub: '7m2mclient', clientId: '7m2mclient' });
  });

  it('never logs a temporary password, though the response carries it once', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke, lines } = setup();
    const password = 'Tmp-Passw0rd!xyz';
    // Act
    const result = await invoke(
      v2Request({
        method: 'POST',
        path: '/admin/users',
        body: {
          username: 'carol',
          email: 'carol@example.com',
          temporaryPassword: password,
          sendInvite: false,
          groups: ['users'],
        },
      }),
    );
    // Assess
    expect(parseBody(result).temporaryPassword).toBe(password);
    expect(lines).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(password);
  });

  it('never logs a generated temporary password', async () => {
    // Prepare
    cognitoAnswersOk();
    const { invoke, lines } = setup();
    // Act
    const result = await invoke(
      v2Request({
        method: 'POST',
        path: '/admin/users',
        body: { username: 'carol', email: 'carol@example.com', sendInvite: false },
      }),
    );
    // Assess
    const generated = parseBody(result).temporaryPassword as string;
    expect(generated).toHaveLength(20);
    expect(lines.join('\n')).not.toContain(generated);
  });

  it('never logs a password that is set, even when Cognito refuses it', async () => {
    // Prepare
    cognito
      .on(AdminSetUserPasswordCommand)
      .rejects(
        Object.assign(new Error('Password did not conform with password policy'), { name: 'InvalidPasswordException' }),
      );
    const { invoke, lines, audit } = setup();
    const password = 'weakpassword';
    // Act
    const result = await invoke(
      v2Request({ method: 'PUT', path: '/admin/users/carol/password', body: { password, permanent: true } }),
    );
    // Assess
    expect(result.statusCode).toBe(400);
    expect(parseBody(result).error).toMatchObject({ code: 'invalid_password', field: 'password' });
    expect(audit()).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(password);
  });

  it('records the rollback of a user whose group could not be added', async () => {
    // Prepare
    cognito.on(AdminCreateUserCommand).resolves({ User: CAROL });
    cognito
      .on(AdminAddUserToGroupCommand)
      .rejects(new ResourceNotFoundException({ message: 'Group not found.', ...meta }));
    cognito.on(AdminDeleteUserCommand).resolves({});
    const { invoke, audit } = setup();
    // Act
    const result = await invoke(
      v2Request({
        method: 'POST',
        path: '/admin/users',
        body: { username: 'carol', email: 'carol@example.com', groups: ['nope'] },
      }),
    );
    // Assess
    expect(result.statusCode).toBe(404);
    expect(parseBody(result).error).toEqual({ code: 'not_found', message: 'Group not found', field: 'groups[0]' });
    expect(audit()).toEqual([
      expect.objectContaining({
        action: 'user.create',
        target: { username: 'carol' },
        outcome: 'failure',
        errorCode: 'not_found',
        detail: { failedGroup: 'nope', rollback: 'deleted' },
      }),
    ]);
  });
});

describe('the deployed handler module', () => {
  it('builds its handler from the environment at import', async () => {
    // Prepare
    vi.stubEnv('COGNITO_USER_POOL_ID', 'us-east-1_TestPool1');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    // Act
    const module = await import('../../../functions/admin/handler.js');
    // Assess
    expect(typeof module.handler).toBe('function');
  });

  it('refuses to load without COGNITO_USER_POOL_ID, naming it', async () => {
    // Prepare
    vi.stubEnv('COGNITO_USER_POOL_ID', '');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    // Act
    const load = import('../../../functions/admin/handler.js');
    // Assess
    await expect(load).rejects.toThrow('COGNITO_USER_POOL_ID is required');
  });
});
