import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAdminAccess, readAdminIdentity } from '../../../shared/admin/admin-identity.js';
import { decodeGroupList, encodeGroupList } from '../../../shared/http/group-list.js';
import { identityOf } from '../../../shared/http/request-identity.js';
import { ANONYMOUS_CONTEXT, contextOf } from '../../../shared/policy/authorizer-context.js';
import type { VerifiedToken } from '../../../shared/tokens/verifier.js';
import { loadEvent } from '../../support/fixtures.js';

function verified(groups: string[]): VerifiedToken {
  return {
    claims: {
      sub: 'sub-1',
      username: 'mallory',
      scope: 'cognito-gate/admin',
      'cognito:groups': groups,
      token_use: 'access',
      client_id: 'c',
      exp: 2e9,
    },
    tokenUse: 'access',
    clientId: 'c',
    exp: 2e9,
  };
}

describe('the authorizer context', () => {
  it('keeps a group whose name holds a comma as one group, so "ops,admins" cannot pose as admins', () => {
    // Prepare: the context as the authorizer writes it, in a real HTTP API backend event
    const context = contextOf(verified(['ops,admins']));
    const event = loadEvent('offline-httpapi-v2-backend-event-simple-authorizer');
    event.requestContext.authorizer = { lambda: context };
    // Act
    const admin = readAdminIdentity(event);
    const backend = identityOf(event);
    // Assess
    expect(context.groups).toBe('ops%2Cadmins');
    expect(admin?.groups).toEqual(['ops,admins']);
    expect(backend?.groups).toEqual(['ops,admins']);
    expect(decideAdminAccess(admin, { adminGroup: 'admins', adminScope: 'cognito-gate/admin' }).allow).toBe(false);
  });

  it('decodes exactly what it encoded, for any group names (property)', () => {
    const groupName = fc.string({
      minLength: 1,
      maxLength: 12,
      unit: fc.constantFrom('a', ',', '%', '2', 'C', 'c', '5', ' '),
    });
    fc.assert(
      fc.property(fc.array(groupName, { maxLength: 5 }), (groups) => {
        expect(decodeGroupList(encodeGroupList(groups))).toEqual(groups);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes plain group names unchanged, comma-separated', () => {
    expect(contextOf(verified(['admins', 'users'])).groups).toBe('admins,users');
  });

  it('describes an access token by its subject, username, client, scopes and groups', () => {
    // Prepare: the claims of a Cognito access token
    const token: VerifiedToken = {
      claims: {
        sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        'cognito:groups': ['admins'],
        iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_example',
        version: 2,
        client_id: 'client-1',
        token_use: 'access',
        scope: 'openid cognito-gate/read',
        auth_time: 1_700_000_000,
        exp: 1_700_003_600,
        iat: 1_700_000_000,
        jti: 'jti-1',
        username: 'alice',
      },
      tokenUse: 'access',
      clientId: 'client-1',
      exp: 1_700_003_600,
    };
    // Act
    const context = contextOf(token);
    // Assess
    expect(context).toEqual({
      sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      username: 'alice',
      clientId: 'client-1',
      tokenUse: 'access',
      scopes: 'openid cognito-gate/read',
      groups: 'admins',
    });
    expect(Object.isFrozen(context)).toBe(true);
  });

  it('takes the username of an ID token from cognito:username, and adds its email', () => {
    // Prepare: the claims of a Cognito ID token
    const token: VerifiedToken = {
      claims: {
        sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        email_verified: true,
        iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_example',
        'cognito:username': 'alice',
        aud: 'client-1',
        token_use: 'id',
        auth_time: 1_700_000_000,
        exp: 1_700_003_600,
        iat: 1_700_000_000,
        email: 'alice@example.com',
      },
      tokenUse: 'id',
      clientId: 'client-1',
      exp: 1_700_003_600,
    };
    // Act
    const context = contextOf(token);
    // Assess
    expect(context).toEqual({
      sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      username: 'alice',
      clientId: 'client-1',
      tokenUse: 'id',
      scopes: '',
      groups: '',
      email: 'alice@example.com',
    });
  });

  it('writes empty strings for claims that are missing or not strings, and leaves out such an email', () => {
    // Prepare
    const token: VerifiedToken = {
      claims: {
        sub: 42,
        username: ['alice'],
        scope: 7,
        'cognito:groups': 'admins',
        email: true,
        exp: 2e9,
      } as unknown as VerifiedToken['claims'],
      tokenUse: 'access',
      clientId: 'client-1',
      exp: 2e9,
    };
    // Act
    const context = contextOf(token);
    // Assess
    expect(context).toEqual({
      sub: '',
      username: '',
      clientId: 'client-1',
      tokenUse: 'access',
      scopes: '',
      groups: '',
    });
  });

  it('leaves out group names that are not strings', () => {
    expect(contextOf(verified(['admins', 7 as unknown as string, 'users'])).groups).toBe('admins,users');
  });

  it('decodes escapes in either case, and an empty list as no groups', () => {
    expect(decodeGroupList('ops%2cadmins,100%25')).toEqual(['ops,admins', '100%']);
    expect(decodeGroupList('')).toEqual([]);
  });

  it('describes a request without a token as anonymous, with every field present and empty', () => {
    expect(ANONYMOUS_CONTEXT).toEqual({
      sub: '',
      username: '',
      clientId: '',
      tokenUse: 'none',
      scopes: '',
      groups: '',
    });
    expect(Object.isFrozen(ANONYMOUS_CONTEXT)).toBe(true);
  });
});
