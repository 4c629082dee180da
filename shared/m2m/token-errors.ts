import { GateError, TooManyRequestsError } from '../errors/gate-error.js';

/**
 * The OAuth 2.0 error codes (RFC 6749 §5.2) that this endpoint answers with itself. Errors that Cognito
 * answers are passed through with Cognito's own code and status (TokenEndpointRejection).
 */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

/** The token request is malformed (400), or asks for a grant or scope this endpoint does not serve. */
export class TokenRequestError extends GateError {
  readonly reason = 'bad_request';
  constructor(
    readonly oauthError: Exclude<OAuthErrorCode, 'invalid_client'>,
    message: string,
  ) {
    super(message);
  }
}

/** The body is larger than any client-credentials request can be (413). */
export class TokenRequestTooLargeError extends GateError {
  readonly reason = 'payload_too_large';
  readonly oauthError = 'invalid_request';
}

/** No usable client authentication (no secret, or an unsupported scheme): 401 invalid_client, Cognito never asked. */
export class ClientAuthenticationError extends GateError {
  readonly reason = 'token_missing';
  readonly oauthError = 'invalid_client';
}

/** Cognito throttled the token request: 429, and the caller is told when to come back. */
export class TokenEndpointThrottledError extends TooManyRequestsError {
  readonly oauthError = 'too_many_requests';
  constructor(readonly retryAfterSeconds: number) {
    super(`the token endpoint is throttling requests; retry after ${retryAfterSeconds} s`, retryAfterSeconds);
  }
}
