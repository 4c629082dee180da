import { GateError } from '../errors/gate-error.js';

/**
 * Errors the admin API shows to its callers. Each has one stable reason (and so one status); `field` names
 * the input at fault where there is one, and `headers` carries response headers such as Retry-After.
 */
abstract class AdminError extends GateError {
  constructor(
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The request reached the admin function without an authorizer identity. */
export class IdentityMissingError extends AdminError {
  readonly reason = 'token_missing';
}
/** A trusted caller who is neither in the admin group nor an M2M client with the admin scope. */
export class NotAdminError extends AdminError {
  readonly reason = 'forbidden';
}
export class PayloadTooLargeError extends AdminError {
  readonly reason = 'payload_too_large';
}
export class UnsupportedMediaTypeError extends AdminError {
  readonly reason = 'unsupported_media_type';
}

// Cognito's answers, by exception name (see cognito-errors.ts).
export class NotFoundError extends AdminError {
  readonly reason = 'not_found';
}
export class ConflictError extends AdminError {
  readonly reason = 'conflict';
}
export class InvalidParameterError extends AdminError {
  readonly reason = 'invalid_parameter';
}
export class InvalidPasswordError extends AdminError {
  readonly reason = 'invalid_password';
}
export class OperationForbiddenError extends AdminError {
  readonly reason = 'forbidden';
}
export class TooManyRequestsError extends AdminError {
  readonly reason = 'too_many_requests';
  readonly headers: Readonly<Record<string, string>>;
  constructor(message: string, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(message, undefined, options);
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}
/** Anything we did not expect from Cognito: the client sees a bare 500, the audit log sees the cause's name. */
export class UpstreamInternalError extends AdminError {
  readonly reason = 'internal';
}
