import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken } from '../../../shared/admin/pagination-token.js';
import { generateTemporaryPassword } from '../../../shared/admin/temporary-password.js';
import { cognitoUserFilter } from '../../../shared/admin/user-filter.js';
import { ValidationError } from '../../../shared/errors/gate-error.js';

describe('pagination tokens', () => {
  it("round-trip Cognito's token through an opaque base64url string", () => {
    // Prepare
    const cognitoToken = 'CAISlQIIARKOAggDEokCAEq+/=';
    // Act
    const opaque = encodePageToken('users', cognitoToken);
    // Assess
    expect(opaque).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken('users', opaque)).toBe(cognitoToken);
  });

  it('have no next token when Cognito has no more pages', () => {
    // Act
    const opaque = encodePageToken('groups', undefined);
    // Assess
    expect(opaque).toBeUndefined();
  });

  it.each(['!!!', Buffer.from('v1:groups:x').toString('base64url'), Buffer.from('v1:users:').toString('base64url')])(
    'refuse %s as a users token, naming next',
    (token) => {
      // Act
      const decode = () => decodePageToken('users', token);
      // Assess
      expect(decode).toThrow(ValidationError);
      expect(decode).toThrow(expect.objectContaining({ field: 'next' }));
    },
  );
});

describe('generateTemporaryPassword', () => {
  it('meets the default Cognito policy every time', () => {
    // Act
    const passwords = Array.from({ length: 200 }, () => generateTemporaryPassword());
    // Assess
    for (const password of passwords) {
      expect(password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[!#%*+\-=?@^_]).{20}$/);
    }
    expect(new Set(passwords).size).toBe(passwords.length);
  });
});

describe('cognitoUserFilter', () => {
  it.each([
    [{ email: 'a@example.com' }, 'email = "a@example.com"'],
    [{ usernamePrefix: 'car' }, 'username ^= "car"'],
    [{ status: 'CONFIRMED' }, 'cognito:user_status = "CONFIRMED"'],
    [{}, undefined],
  ])('turns %j into %j', (filter, expected) => {
    // Act
    const result = cognitoUserFilter(filter);
    // Assess
    expect(result).toBe(expected);
  });

  it('refuses two filters, naming the second', () => {
    // Act
    const build = () => cognitoUserFilter({ email: 'a@example.com', usernamePrefix: 'a' });
    // Assess
    expect(build).toThrow(expect.objectContaining({ field: 'usernamePrefix' }));
  });

  it('refuses a value that could break out of the filter string', () => {
    // Act
    const build = () => cognitoUserFilter({ usernamePrefix: 'a\\" or "' });
    // Assess
    expect(build).toThrow(expect.objectContaining({ field: 'usernamePrefix' }));
  });
});
