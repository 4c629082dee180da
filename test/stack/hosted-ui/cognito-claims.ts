import type { Configuration } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { DirectoryUser, UserDirectory } from './user-directory.js';

/** The claims of each OIDC scope, as Cognito puts them in ID tokens and /oauth2/userInfo answers. */
export const OIDC_SCOPE_CLAIMS = {
  // Cognito puts these in every ID token; oidc-provider only emits claims that some scope maps.
  openid: ['sub', 'auth_time', 'token_use', 'cognito:username', 'cognito:groups', 'origin_jti'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
} as const;

/** A space-separated `scope` value as a list. */
export function scopeList(value: unknown): string[] {
  return typeof value === 'string' ? value.split(' ').filter((scope) => scope.length > 0) : [];
}

/** Cognito returns these attributes as booleans in ID tokens even though the directory stores strings. */
const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);

/** The account's claims for a token: its attributes (Cognito's booleans as booleans), username and groups. */
export function idTokenClaims(user: DirectoryUser, groups: string[], use: string): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    claims[name] = BOOLEAN_ATTRIBUTES.has(name) ? value === 'true' : value;
  }
  claims.sub = user.sub;
  claims['cognito:username'] = user.username;
  if (groups.length > 0) {
    claims['cognito:groups'] = groups;
  }
  if (use === 'id_token') {
    claims.token_use = 'id';
  }
  return claims;
}

/**
 * Cognito's access token shape: a plain {kid, alg} header, token_use, username, origin_jti and the user's
 * groups as they are now (read from the directory at issue).
 */
export function cognitoAccessTokenCustomizer(
  directory: UserDirectory,
): NonNullable<NonNullable<NonNullable<Configuration['formats']>['customizers']>['jwt']> {
  return async (_ctx, token, parts) => {
    // Cognito access tokens have a plain {kid, alg} header, not RFC 9068's typ "at+jwt".
    parts.header = { ...parts.header, typ: undefined };
    parts.payload.token_use = 'access';
    if (token.kind === 'AccessToken' && typeof token.accountId === 'string') {
      const user = await directory.getUser(token.accountId);
      if (user === undefined) {
        throw new errors.InvalidGrant('user no longer exists');
      }
      parts.payload.username = user.username;
      if (token.grantId) parts.payload.origin_jti = token.grantId;
      const groups = await directory.groupsOf(user.username);
      if (groups.length > 0) {
        parts.payload['cognito:groups'] = groups;
      }
    }
  };
}

/** /oauth2/userInfo's body: `sub`, the attributes each granted scope maps, and `username`. */
export function userInfoClaims(user: DirectoryUser, scopes: readonly string[]): Record<string, string> {
  const body: Record<string, string> = { sub: user.sub };
  for (const scope of scopes) {
    const names: readonly string[] = OIDC_SCOPE_CLAIMS[scope as keyof typeof OIDC_SCOPE_CLAIMS] ?? [];
    for (const name of names) {
      const value = user.attributes[name];
      if (value !== undefined) {
        body[name] = value;
      }
    }
  }
  body.username = user.username;
  return body;
}
