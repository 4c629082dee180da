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

/**
 * Where our authorizer's context is in a backend event, decided once: REST puts it in
 * `requestContext.authorizer`, HTTP API in `requestContext.authorizer.lambda` (payload 2.0; also seen with 1.0).
 * Undefined when there is none, or when either is not a plain object.
 */
export function authorizerContextOf(event: unknown): Record<string, unknown> | undefined {
  const authorizer = field(field(event, 'requestContext'), 'authorizer');
  if (!isRecord(authorizer)) return undefined;
  if (Object.hasOwn(authorizer, 'lambda')) return isRecord(authorizer.lambda) ? authorizer.lambda : undefined;
  return authorizer;
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The identity as any backend reads it: lenient about types (serverless-offline's arrays), strict about tokenUse. */
export function identityOf(event: { requestContext?: unknown }): RequestIdentity | undefined {
  const bag = authorizerContextOf(event);
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
