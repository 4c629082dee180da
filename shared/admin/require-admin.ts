import type { MiddlewareObj } from '@middy/core';
import { ForbiddenError, TokenMissingError } from '../errors/gate-error.js';
import { methodAndPath } from '../http/proxy-event.js';
import type { AdminContext, AdminEvent, AdminResult } from './admin-event.js';
import { type AdminAccessPolicy, decideAdminAccess, readAdminIdentity } from './admin-identity.js';
import { type AuditLog, auditActor } from './audit-log.js';

export interface RequireAdminOptions {
  policy: AdminAccessPolicy;
  audit: AuditLog;
}

/**
 * middy middleware, first in line: every request, including unknown routes, must carry an admin identity.
 * Absent identity → 401, anyone else → 403. The checked identity goes on the context for the audit lines.
 */
export function requireAdmin(
  options: RequireAdminOptions,
): MiddlewareObj<AdminEvent, AdminResult, Error, AdminContext> {
  const { policy, audit } = options;
  if (!policy?.adminGroup || !policy.adminScope)
    throw new Error('requireAdmin: policy.adminGroup and policy.adminScope are required');
  if (typeof audit?.record !== 'function') throw new Error('requireAdmin: audit is required');

  return {
    name: 'requireAdmin',
    before: (request) => {
      const decision = decideAdminAccess(readAdminIdentity(request.event), policy);
      if (decision.allow) {
        request.context.adminIdentity = decision.identity;
        return;
      }
      const error =
        decision.reason === 'identity_missing'
          ? new TokenMissingError('No caller identity reached the admin API')
          : new ForbiddenError('The admin API needs the admin group, or the admin scope for an M2M client');
      const { method, path } = methodAndPath(request.event);
      audit.record({
        action: 'admin.access',
        actor: auditActor(decision.identity),
        target: { route: `${method} ${path}` },
        outcome: 'denied',
        status: error.status,
        errorCode: error.reason,
      });
      throw error;
    },
  };
}
