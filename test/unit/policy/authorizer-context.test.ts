import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAdminAccess, readAdminIdentity } from '../../../shared/admin/admin-identity.js';
import { decodeGroupList, encodeGroupList } from '../../../shared/http/group-list.js';
import { identityOf } from '../../../shared/http/request-identity.js';
import { contextOf } from '../../../shared/policy/authorizer-context.js';
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
});
