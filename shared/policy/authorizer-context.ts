import { encodeGroupList } from '../http/group-list.js';
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

export const ANONYMOUS_CONTEXT: AuthorizerContext = Object.freeze({
  sub: '',
  username: '',
  clientId: '',
  tokenUse: 'none',
  scopes: '',
  groups: '',
});
