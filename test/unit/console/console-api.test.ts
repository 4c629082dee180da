import { describe, expect, it } from 'vitest';
import { ADMIN_CALLS, type AdminCall, adminPath, listUsersQuery } from '../../../console/src/admin-api.js';
import { apiErrorOf, requestUrl, setApiRoot } from '../../../console/src/api.js';
import { ADMIN_ROUTES } from '../../../shared/admin/admin-routes.js';

describe("the console's admin API calls", () => {
  it.each(Object.entries(ADMIN_CALLS))('%s is a route of ADMIN_ROUTES', (_name, call) => {
    expect(ADMIN_ROUTES.some((route) => route.method === call.method && route.path === call.path)).toBe(true);
  });

  it('percent-encodes path parameters, so a username cannot reach another route', () => {
    expect(adminPath('disableUser', { username: '../groups/x' })).toBe('/admin/users/..%2Fgroups%2Fx/disable');
    expect(adminPath('addToGroup', { username: 'bob', group: 'on call' })).toBe('/admin/users/bob/groups/on%20call');
  });

  it('refuses to build a path with a parameter missing', () => {
    expect(() => adminPath('getUser' as AdminCall)).toThrow('getUser needs username');
  });

  it('searches by exact email when the search has an @, by username prefix otherwise, one filter per request', () => {
    expect(listUsersQuery({ search: ' ali ', status: '' })).toMatchObject({ usernamePrefix: 'ali', limit: 20 });
    expect(listUsersQuery({ search: 'a@example.com', status: '' })).toMatchObject({ email: 'a@example.com' });
    expect(listUsersQuery({ search: '', status: 'CONFIRMED', next: 'n1' })).toEqual({
      limit: 20,
      next: 'n1',
      status: 'CONFIRMED',
    });
  });
});

describe('errors as the console shows them', () => {
  it("keeps the admin API's code, message and field", () => {
    const body = { error: { code: 'validation_failed', message: 'groups[0] is not a group', field: 'groups[0]' } };
    expect(apiErrorOf(400, body)).toEqual(body.error);
  });

  it("explains API Gateway's bare authorizer refusals by their status", () => {
    expect(apiErrorOf(401, { message: 'Unauthorized' })).toMatchObject({ code: 'unauthorized' });
    expect(apiErrorOf(403, { message: 'Forbidden' }).message).toContain("route's rule");
  });

  it('says a 5xx without a body is the service, not the caller', () => {
    expect(apiErrorOf(502, 'Bad Gateway')).toMatchObject({ code: 'server_error' });
  });
});

describe('request URLs', () => {
  it('puts the API root in front and leaves out empty query values', () => {
    // Prepare
    setApiRoot('/prod/');
    // Act
    const url = requestUrl({ path: '/admin/users', query: { limit: 20, next: undefined, email: '' } });
    setApiRoot('');
    // Assess
    expect(url).toBe('/prod/admin/users?limit=20');
  });
});
