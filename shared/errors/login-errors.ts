import { GateError } from './gate-error.js';

/** Why a sign-in did not complete. Each is a 4xx: the browser, the user or the IdP caused it, never us. */
export type LoginFailureReason =
  | 'flow_missing'
  | 'flow_expired'
  | 'state_mismatch'
  | 'idp_error'
  | 'nonce_mismatch'
  | 'code_rejected'
  | 'token_exchange_failed'
  | 'login_failed';

/**
 * The token endpoint refused (RFC 6749 §5.2): `oauthError` is its error code (`invalid_grant`,
 * `invalid_client`, …). The code is safe to log and to show; the description is not kept.
 */
export class TokenEndpointRejection extends GateError {
  readonly reason = 'token_endpoint_refused';
  constructor(
    readonly oauthError: string,
    readonly httpStatus: number,
    /** The endpoint's Retry-After header, as sent (a throttling answer usually has one). */
    readonly retryAfter?: string,
  ) {
    super(`the token endpoint refused the request: ${oauthError}`);
  }
}

export class LoginFailedError extends GateError {
  constructor(
    readonly reason: LoginFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Nobody is signed in, or the session can no longer be renewed: 401. */
export class SessionError extends GateError {
  constructor(
    readonly reason: 'session_missing' | 'session_expired',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A state-changing request that did not come from our own pages: 403. */
export class CsrfError extends GateError {
  constructor(
    readonly reason: 'origin_not_allowed' | 'csrf_check_failed',
    message: string,
  ) {
    super(message);
  }
}
