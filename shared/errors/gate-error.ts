/**
 * One small error hierarchy for the whole product. Each error carries a stable `reason`, safe to log and
 * to show; each reason maps to exactly one HTTP status (see `statusForReason`).
 */
export abstract class GateError extends Error {
  abstract readonly reason: GateReason;
  /** The input at fault, where there is one (shown to the caller). */
  declare readonly field?: string;
  /** Response headers the error asks for, such as Retry-After. */
  declare readonly headers?: Readonly<Record<string, string>>;
  constructor(message: string, options: GateErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    // Own properties only when given, so an error without them compares and logs as before.
    if (options.field !== undefined) Object.defineProperty(this, 'field', { value: options.field, enumerable: true });
    if (options.headers !== undefined)
      Object.defineProperty(this, 'headers', { value: options.headers, enumerable: true });
  }
  get status(): number {
    return statusForReason(this.reason);
  }
}

export interface GateErrorOptions {
  readonly cause?: unknown;
  readonly field?: string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
}

export const STATUS_BY_REASON = {
  // 400: the request itself is malformed
  bad_request: 400,
  validation_failed: 400,
  invalid_parameter: 400,
  invalid_password: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  // 401: nobody, or nobody we can trust, is calling
  token_missing: 401,
  token_malformed: 401,
  token_invalid: 401,
  token_expired: 401,
  token_revoked: 401, // verifies, but its session ended or its user was signed out, disabled or deleted since
  session_missing: 401,
  session_expired: 401,
  cookie_duplicated: 401,
  // the authorizer was handed an event that names no method and path
  bad_event: 401,
  // 403: a trusted caller who may not do this
  insufficient_scope: 403,
  group_required: 403,
  claim_mismatch: 403,
  token_use_not_allowed: 403,
  no_rule: 403,
  forbidden: 403,
  origin_not_allowed: 403,
  // the authorizer: a cookie-authenticated state-changing request without proof that it came from the app
  csrf_origin_refused: 403,
  // 404 / 409 / 429
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
  // login flow failures the browser caused or the IdP reported
  login_failed: 400,
  flow_missing: 400,
  state_mismatch: 400,
  idp_error: 400,
  flow_expired: 400,
  nonce_mismatch: 400,
  code_rejected: 400,
  token_exchange_failed: 400,
  // the token endpoint's own refusal, before the token service says what it means for the sign-in
  token_endpoint_refused: 400,
  csrf_check_failed: 403,
  // fail closed on our own or our dependencies' failures
  jwks_unavailable: 503,
  revocation_unavailable: 503,
  upstream_unavailable: 502,
  deadline_exceeded: 503,
  internal: 500,
  cookie_too_large: 500,
} as const;

export type GateReason = keyof typeof STATUS_BY_REASON;

export function statusForReason(reason: GateReason): number {
  return STATUS_BY_REASON[reason];
}

/** The status any thrown value answers with: a GateError's own, and 500 for everything we did not expect. */
export function statusOf(error: unknown): number {
  return error instanceof GateError ? error.status : 500;
}

/** The caller presented no credential at all. */
export class TokenMissingError extends GateError {
  readonly reason = 'token_missing';
}
/** A credential is present but is not a well-formed single bearer JWT. */
export class TokenMalformedError extends GateError {
  readonly reason = 'token_malformed';
}
/** Signature, issuer, audience, client or token_use did not verify. */
export class TokenInvalidError extends GateError {
  readonly reason = 'token_invalid';
}
export class TokenExpiredError extends GateError {
  readonly reason = 'token_expired';
}
/**
 * A cookie the product reads came more than once with different values (or both whole and in chunks): a
 * sibling subdomain may have planted one, and nothing tells which copy is ours, so neither is trusted.
 */
export class CookieDuplicatedError extends GateError {
  readonly reason = 'cookie_duplicated';
}
/** The JWKS could not be fetched or parsed in time: the request fails closed. */
export class JwksUnavailableError extends GateError {
  readonly reason = 'jwks_unavailable';
}

/** The revocation list is older than its staleness limit and cannot be read: with REVOCATION_STALE=deny, fail closed. */
export class RevocationUnavailableError extends GateError {
  readonly reason = 'revocation_unavailable';
}

/** The reasons the rule engine denies with (shared/rules/requirement.ts). */
export type DenyReason = Extract<
  GateReason,
  'insufficient_scope' | 'group_required' | 'claim_mismatch' | 'token_use_not_allowed' | 'no_rule'
>;

/** A trusted caller who may not do this (not an admin; an operation the user pool does not allow). */
export class ForbiddenError extends GateError {
  readonly reason = 'forbidden';
}
export class BadRequestError extends GateError {
  readonly reason = 'bad_request';
}
/** Input that failed validation; `field` names what was at fault. */
export class ValidationError extends GateError {
  readonly reason = 'validation_failed';
  constructor(message: string, field?: string) {
    super(message, { field });
  }
}
export class InvalidParameterError extends GateError {
  readonly reason = 'invalid_parameter';
}
export class InvalidPasswordError extends GateError {
  readonly reason = 'invalid_password';
}
export class PayloadTooLargeError extends GateError {
  readonly reason = 'payload_too_large';
}
export class UnsupportedMediaTypeError extends GateError {
  readonly reason = 'unsupported_media_type';
}

/** No route for this method and path, or no such user or group. */
export class NotFoundError extends GateError {
  readonly reason = 'not_found';
}
export class ConflictError extends GateError {
  readonly reason = 'conflict';
}
/** Throttled: `Retry-After` tells the client when to come back. */
export class TooManyRequestsError extends GateError {
  readonly reason = 'too_many_requests';
  constructor(message: string, retryAfterSeconds: number, options: { cause?: unknown } = {}) {
    super(message, { ...options, headers: { 'retry-after': String(retryAfterSeconds) } });
  }
}

/** A dependency (the IdP, SSM) could not be reached or answered nonsense: 502, and the caller may retry. */
export class UpstreamError extends GateError {
  readonly reason = 'upstream_unavailable';
}

/** The function's time budget ran out before its dependencies answered: 503, and the caller may retry. */
export class DeadlineExceededError extends GateError {
  readonly reason = 'deadline_exceeded';
}

/** Anything we did not expect (from Cognito, or a bug): the client sees a bare 500, the log sees the cause's name. */
export class InternalError extends GateError {
  readonly reason = 'internal';
}

/** A session that would not fit in the cookies a browser keeps: our failure, never the caller's. */
export class CookieTooLargeError extends GateError {
  readonly reason = 'cookie_too_large';
  constructor(name: string, chunks: number, maxChunks: number) {
    super(`cookie ${name} would need ${chunks} chunks, more than ${maxChunks}`);
  }
}

/**
 * The authorizer's refusal: API Gateway turns exactly this message, `Unauthorized`, into a 401; `reason` is
 * what the log says about it.
 */
export class UnauthorizedResponse extends GateError {
  constructor(readonly reason: GateReason) {
    super('Unauthorized');
  }
}

/** A configuration problem found at cold start. Never caught: the container must not serve. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
