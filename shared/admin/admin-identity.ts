import { decodeGroupList } from '../http/group-list.js';
import { authorizerContextOf } from '../http/request-identity.js';

/**
 * Defence in depth: API Gateway's Lambda authorizer already protects /admin/*, and the admin function checks
 * the identity that the authorizer handed over once more. There is no setting that turns this check off.
 *
 * The authorizer context arrives as flat strings: REST puts it in `requestContext.authorizer`, HTTP API
 * (payload 2.0) in `requestContext.authorizer.lambda`. Keys: principalId, sub, username, clientId, tokenUse,
 * scopes (space-separated), groups (comma-separated, a comma or % in a name percent-encoded), email.
 */
export interface AdminIdentity {
  sub: string;
  /** `user`: a person's token (has a username); `client`: a client_credentials (M2M) access token. */
  kind: 'user' | 'client';
  username?: string;
  clientId?: string;
  tokenUse?: string;
  scopes: readonly string[];
  groups: readonly string[];
}

export interface AdminAccessPolicy {
  adminGroup: string;
  adminScope: string;
}

export type AdminAccessDecision =
  | { allow: true; identity: AdminIdentity; grant: 'admin_group' | 'admin_scope' }
  | { allow: false; reason: 'identity_missing' | 'not_admin'; identity?: AdminIdentity };

/**
 * The shared reader finds the context (shared/http/request-identity.ts); the admin check reads it more strictly
 * on top: strings only, trimmed, and no identity without a subject.
 */
export function readAdminIdentity(event: unknown): AdminIdentity | undefined {
  const context = authorizerContextOf(event);
  if (!context) return undefined;
  const sub = text(context.sub);
  if (!sub) return undefined;
  const username = text(context.username);
  const clientId = text(context.clientId);
  const tokenUse = text(context.tokenUse);
  return {
    sub,
    kind: username ? 'user' : 'client',
    ...(username ? { username } : {}),
    ...(clientId ? { clientId } : {}),
    ...(tokenUse ? { tokenUse } : {}),
    scopes: list(context.scopes, /\s+/),
    groups: groupsOf(context.groups),
  };
}

/**
 * A person passes through the admin group only; an M2M client through the admin scope only, and only with an
 * access token. A person's token that carries the admin scope is not enough: scopes can be granted to any
 * app client, group membership only by an admin.
 */
export function decideAdminAccess(identity: AdminIdentity | undefined, policy: AdminAccessPolicy): AdminAccessDecision {
  if (!identity) return { allow: false, reason: 'identity_missing' };
  if (identity.kind === 'user' && identity.groups.includes(policy.adminGroup)) {
    return { allow: true, identity, grant: 'admin_group' };
  }
  if (
    identity.kind === 'client' &&
    identity.clientId !== undefined &&
    identity.tokenUse === 'access' &&
    identity.scopes.includes(policy.adminScope)
  ) {
    return { allow: true, identity, grant: 'admin_scope' };
  }
  return { allow: false, reason: 'not_admin', identity };
}

function list(value: unknown, separator: RegExp | string): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item.length > 0);
  const raw = text(value);
  return raw
    ? raw
        .split(separator)
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
}

/** The authorizer writes groups with encodeGroupList: a comma inside a group name never splits it. */
function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return list(value, ',');
  return decodeGroupList(text(value) ?? '').filter(Boolean);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
