import { DeadlineExceededError, GateError, UpstreamError } from '../errors/gate-error.js';
import { TokenEndpointRejection } from '../errors/login-errors.js';
import { type HttpResult, jsonResponse } from '../http/json-response.js';
import type { CachedToken } from './sealed-token.js';

/** What the response is built from; `expiresAt` is missing only when Cognito sent no expires_in (never cached). */
export type TokenForResponse = Omit<CachedToken, 'freshUntil' | 'expiresAt'> & { readonly expiresAt?: number };

/** RFC 6749 §5.1: token responses must not be stored by any cache on the way. */
const NO_STORE = { pragma: 'no-cache' };

/** Cognito's success body; `expires_in` counts what is left, so a client refreshes its own copy in time. */
export function tokenResponse(token: TokenForResponse, now: number): HttpResult {
  return jsonResponse(
    200,
    {
      access_token: token.accessToken,
      ...(token.expiresAt !== undefined ? { expires_in: Math.max(1, Math.floor((token.expiresAt - now) / 1000)) } : {}),
      token_type: token.tokenType,
      ...(token.scope ? { scope: token.scope } : {}),
    },
    NO_STORE,
  );
}

/**
 * Every failure in Cognito's error shape, `{"error": "<code>"}` and nothing else (RFC 6749 §5.2), so that OAuth
 * client libraries read it as they read Cognito's; the why goes to the log. Cognito's own refusals keep
 * Cognito's status and code; ours map by reason.
 */
export function tokenErrorResponse(error: unknown): HttpResult {
  if (error instanceof TokenEndpointRejection) {
    const status = error.httpStatus >= 400 && error.httpStatus < 500 ? error.httpStatus : 400;
    return jsonResponse(status, { error: error.oauthError }, withChallenge(status));
  }
  // Cognito unreachable, or this function's own time budget spent: the caller may retry.
  if (error instanceof UpstreamError || error instanceof DeadlineExceededError)
    return jsonResponse(error.status, { error: 'temporarily_unavailable' }, NO_STORE);
  if (error instanceof GateError && 'oauthError' in error && typeof error.oauthError === 'string') {
    return jsonResponse(
      error.status,
      { error: error.oauthError },
      { ...NO_STORE, ...error.headers, ...withChallenge(error.status) },
    );
  }
  return jsonResponse(500, { error: 'server_error' }, NO_STORE);
}

/** RFC 6749 §5.2: a 401 names the authentication scheme the client should use. */
const withChallenge = (status: number) =>
  status === 401 ? { ...NO_STORE, 'www-authenticate': 'Basic realm="oauth2/token"' } : NO_STORE;

/** The status `tokenErrorResponse` answers `error` with, for the request's log line and metric. */
export function tokenErrorStatus(error: unknown): number {
  const { statusCode } = tokenErrorResponse(error) as { statusCode?: number };
  return statusCode ?? 500;
}
