import type { Logger } from '../logging/logger.js';
import type { AdminIdentity } from './admin-identity.js';

/**
 * One structured line per admin action, success or failure: who, what, on whom, how it ended (the logger adds
 * which request).
 * The shape has no free-form slot for request data, so a password cannot end up here by accident.
 */
export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditActor {
  sub?: string;
  username?: string;
  clientId?: string;
}

export interface AuditTarget {
  username?: string;
  group?: string;
  /** `METHOD /path`, for requests refused before an action was known. */
  route?: string;
}

export interface AuditRecord {
  action: string;
  actor: AuditActor;
  target: AuditTarget;
  outcome: AuditOutcome;
  status: number;
  errorCode?: string;
  /** The upstream cause of a failure: exception name always; its message only for 5xx answers. */
  cause?: { name?: string; message?: string };
  /** Small facts about the outcome, e.g. { rollback: 'deleted' }. Never request input. */
  detail?: Readonly<Record<string, string | number | boolean>>;
}

export interface AuditLog {
  record(entry: AuditRecord): void;
}

export function createAuditLog(logger: Logger): AuditLog {
  return {
    record(entry) {
      const fields = { audit: entry };
      if (entry.outcome === 'success') logger.info('admin audit', fields);
      else logger.warn('admin audit', fields);
    },
  };
}

/** sub, plus the username for a person or the client id for an M2M client. */
export function auditActor(identity: AdminIdentity | undefined): AuditActor {
  if (!identity) return {};
  if (identity.kind === 'user') return { sub: identity.sub, username: identity.username };
  return { sub: identity.sub, clientId: identity.clientId };
}
