import type { VerifiedToken } from '../tokens/verifier.js';

/** Flat values only: API Gateway rejects objects and arrays in an authorizer context. */
export interface AuthorizerContext {
  readonly [key: string]: string;
}

export function contextOf(verified: VerifiedToken): AuthorizerContext {
  const { claims } = verified;
  const groups = claims['cognito:groups'];
  const username = claims.username ?? claims['cognito:username'];
  const context: Record<string, string> = {
    sub: typeof claims.sub === 'string' ? claims.sub : '',
    username: typeof username === 'string' ? username : '',
    clientId: verified.clientId,
    tokenUse: verified.tokenUse,
    scopes: typeof claims.scope === 'string' ? claims.scope : '',
    groups: Array.isArray(groups)
      ? encodeGroupList(groups.filter((group): group is string => typeof group === 'string'))
      : '',
  };
  if (typeof claims.email === 'string') context.email = claims.email;
  return Object.freeze(context);
}

// Cognito allows commas (and %) in group names: escaped, so a group named "ops,admins" cannot pose as two groups.
const GROUP_ESCAPES: Record<string, string> = { '%': '%25', ',': '%2C' };
const GROUP_UNESCAPES: Record<string, string> = { '%25': '%', '%2C': ',' };

/** Groups as one comma-separated string; a comma or % inside a name is percent-encoded. */
export function encodeGroupList(groups: readonly string[]): string {
  return groups.map((group) => group.replace(/[%,]/g, (char) => GROUP_ESCAPES[char]!)).join(',');
}

/** The inverse of encodeGroupList, for backends reading the context. */
export function decodeGroupList(value: string): string[] {
  if (value === '') return [];
  return value
    .split(',')
    .map((group) => group.replace(/%(?:25|2C)/gi, (sequence) => GROUP_UNESCAPES[sequence.toUpperCase()]!));
}

export const ANONYMOUS_CONTEXT: AuthorizerContext = Object.freeze({
  sub: '',
  username: '',
  clientId: '',
  tokenUse: 'none',
  scopes: '',
  groups: '',
});
