import { decodeGroupList } from './group-list.js';

/** The identity our authorizer put into a backend event: REST `requestContext.authorizer`, HTTP API `.lambda`. */
export interface RequestIdentity {
  readonly principalId: string;
  readonly sub: string;
  readonly username: string;
  readonly clientId: string;
  readonly tokenUse: string;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
  readonly email?: string;
}

type AuthorizerBag = Record<string, unknown> | null | undefined;

export function identityOf(event: { requestContext?: unknown }): RequestIdentity | undefined {
  const requestContext = (event.requestContext ?? {}) as { authorizer?: AuthorizerBag & { lambda?: AuthorizerBag } };
  const authorizer = requestContext.authorizer;
  const bag: AuthorizerBag =
    authorizer && typeof authorizer.lambda === 'object' && authorizer.lambda ? authorizer.lambda : authorizer;
  if (!bag) return undefined;
  const text = (key: string): string => {
    const value = bag[key];
    return typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : '';
  };
  const tokenUse = text('tokenUse');
  if (tokenUse !== 'access' && tokenUse !== 'id') return undefined;
  // serverless-offline replaces REST `scopes` with an array decoded from the bearer token; AWS keeps our string.
  const list = (key: string, separator: string): string[] => {
    const value = bag[key];
    const items = Array.isArray(value) ? value.map(String) : text(key).split(separator);
    return items.map((item) => item.trim()).filter(Boolean);
  };
  const email = text('email');
  return {
    principalId: text('principalId') || text('sub') || text('clientId'),
    sub: text('sub'),
    username: text('username'),
    clientId: text('clientId'),
    tokenUse,
    scopes: list('scopes', ' '),
    groups: Array.isArray(bag.groups) ? bag.groups.map(String) : decodeGroupList(text('groups')).filter(Boolean),
    ...(email ? { email } : {}),
  };
}
