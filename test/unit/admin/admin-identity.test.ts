import { describe, expect, it } from 'vitest';
import { decideAdminAccess, readAdminIdentity } from '../../../shared/admin/admin-identity.js';
import {
  ADMIN_M2M_CLIENT,
  ADMIN_PERSON,
  loadEvent,
  NON_ADMIN_PERSON,
  restRequest,
  v2Request,
} from './support/admin-events.js';

const POLICY = { adminGroup: 'admins', adminScope: 'cognito-gate/admin' };

describe('readAdminIdentity', () => {
  it('reads the flat authorizer context of a REST event', () => {
    // Prepare
    const event = restRequest({ method: 'GET', path: '/admin/users', identity: ADMIN_PERSON });
    // Act
    const identity = readAdminIdentity(event);
    // Assess
    expect(identity).toEqual({
      sub: '3f1b2c4d-admin',
      kind: 'user',
      username: 'ada',
      clientId: '5hq3example',
      tokenUse: 'access',
      scopes: ['openid', 'email'],
      groups: ['users', 'admins'],
    });
  });

  it('reads the context under authorizer.lambda of an HTTP API v2 event', () => {
    // Prepare
    const event = v2Request({ method: 'GET', path: '/admin/users', identity: ADMIN_M2M_CLIENT });
    // Act
    const identity = readAdminIdentity(event);
    // Assess
    expect(identity).toMatchObject({
      sub: '7m2mclient',
      kind: 'client',
      clientId: '7m2mclient',
      scopes: ['cognito-gate/read', 'cognito-gate/admin'],
      groups: [],
    });
  });

  it.each([
    ['an HTTP API event whose authorizer returned no context', 'lambda-authorizer-null-context.powertools-ts.json'],
    ['an HTTP API event without any authorizer', 'no-authorizer.aws-lambda-go.json'],
    ['a REST event whose authorizer gave only a principalId', 'lambda-authorizer-principal.powertools-ts.json'],
  ])('finds no identity in %s', (_case, fixture) => {
    // Prepare
    const event = loadEvent(fixture);
    // Act
    const identity = readAdminIdentity(event);
    // Assess
    expect(identity).toBeUndefined();
  });

  it('tolerates non-string context values, as serverless-offline sends them, without taking them as groups', () => {
    // Prepare
    const event = loadEvent('offline-httpapi-v2-backend-event-simple-authorizer.json');
    // Act
    const identity = readAdminIdentity(event);
    // Assess
    expect(identity).toMatchObject({ sub: 'user-123', kind: 'client', groups: [], scopes: [] });
  });
});

describe('decideAdminAccess', () => {
  it('refuses an absent identity as identity_missing', () => {
    // Act
    const decision = decideAdminAccess(undefined, POLICY);
    // Assess
    expect(decision).toEqual({ allow: false, reason: 'identity_missing' });
  });

  it('allows a person in the admin group', () => {
    // Prepare
    const identity = readAdminIdentity(v2Request({ method: 'GET', path: '/admin/users', identity: ADMIN_PERSON }));
    // Act
    const decision = decideAdminAccess(identity, POLICY);
    // Assess
    expect(decision).toMatchObject({ allow: true, grant: 'admin_group' });
  });

  it('allows an M2M client whose access token has the admin scope', () => {
    // Prepare
    const identity = readAdminIdentity(v2Request({ method: 'GET', path: '/admin/users', identity: ADMIN_M2M_CLIENT }));
    // Act
    const decision = decideAdminAccess(identity, POLICY);
    // Assess
    expect(decision).toMatchObject({ allow: true, grant: 'admin_scope' });
  });

  it('refuses a person outside the admin group as not_admin', () => {
    // Prepare
    const identity = readAdminIdentity(v2Request({ method: 'GET', path: '/admin/users', identity: NON_ADMIN_PERSON }));
    // Act
    const decision = decideAdminAccess(identity, POLICY);
    // Assess
    expect(decision).toMatchObject({ allow: false, reason: 'not_admin' });
  });

  it('refuses a person whose token carries the admin scope but who is not in the admin group', () => {
    // Prepare
    const identity = readAdminIdentity(
      v2Request({
        method: 'GET',
        path: '/admin/users',
        identity: { ...NON_ADMIN_PERSON, tokenUse: 'access', scopes: 'cognito-gate/admin' },
      }),
    );
    // Act
    const decision = decideAdminAccess(identity, POLICY);
    // Assess
    expect(decision).toMatchObject({ allow: false, reason: 'not_admin' });
  });

  it('refuses an M2M client without the admin scope', () => {
    // Prepare
    const identity = readAdminIdentity(
      v2Request({
        method: 'GET',
        path: '/admin/users',
        identity: { ...ADMIN_M2M_CLIENT, scopes: 'cognito-gate/read' },
      }),
    );
    // Act
    const decision = decideAdminAccess(identity, POLICY);
    // Assess
    expect(decision).toMatchObject({ allow: false, reason: 'not_admin' });
  });

  it('refuses an M2M identity that is not an access token, whatever its scopes', () => {
    // Prepare
    const identity = readAdminIdentity(
      v2Request({ method: 'GET', path: '/admin/users', identity: { ...ADMIN_M2M_CLIENT, tokenUse: 'id' } }),
    );
    // Act
    const decision = decideAdminAccess(identity, POLICY);
    // Assess
    expect(decision).toMatchObject({ allow: false, reason: 'not_admin' });
  });

  it('does not match a group whose name merely contains the admin group', () => {
    // Prepare
    const identity = readAdminIdentity(
      v2Request({
        method: 'GET',
        path: '/admin/users',
        identity: { ...NON_ADMIN_PERSON, groups: 'not-admins,admins-readonly' },
      }),
    );
    // Act
    const decision = decideAdminAccess(identity, POLICY);
    // Assess
    expect(decision.allow).toBe(false);
  });

  it('follows a configured admin group and scope', () => {
    // Prepare
    const person = readAdminIdentity(
      v2Request({ method: 'GET', path: '/admin/users', identity: { ...NON_ADMIN_PERSON, groups: 'ops' } }),
    );
    const client = readAdminIdentity(
      v2Request({ method: 'GET', path: '/admin/users', identity: { ...ADMIN_M2M_CLIENT, scopes: 'ops/admin' } }),
    );
    const policy = { adminGroup: 'ops', adminScope: 'ops/admin' };
    // Act
    const decisions = [decideAdminAccess(person, policy), decideAdminAccess(client, policy)];
    // Assess
    expect(decisions.map((decision) => decision.allow)).toEqual([true, true]);
  });
});
