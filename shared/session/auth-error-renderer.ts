import { DeadlineExceededError, GateError } from '../errors/gate-error.js';
import { TokenEndpointRejection } from '../errors/login-errors.js';
import { headerValue } from '../http/proxy-event.js';
import type { Logger } from '../logging/logger.js';
import type { AuthEvent } from './auth-request.js';
import { type AuthResponse, errorResult } from './auth-responses.js';
import type { FailureAnswer } from './failure-answer.js';

/**
 * The token service's renderer for the shared error middleware (gateErrorHandler): HTML or JSON as the client
 * prefers, with the cookies the failed route asked to set. A refusal is logged with its route; anything that is
 * not a GateError the middleware has logged already.
 */
export function authErrorRenderer({
  logger,
  loginPath,
  failureOf,
}: {
  logger: Logger;
  loginPath: string;
  /** The route's FailureAnswer for this event; undefined when no route ran (no such route, an unreadable event). */
  failureOf: (event: AuthEvent) => FailureAnswer | undefined;
}) {
  return (error: unknown, { event }: { event: AuthEvent | undefined }): AuthResponse => {
    // At the deadline the route is still running: its answer is not final, and the deadline has logged itself.
    const failure = event && !(error instanceof DeadlineExceededError) ? failureOf(event) : undefined;
    if (failure && error instanceof GateError) {
      logger.info(`${failure.route} refused`, {
        route: failure.route,
        reason: error.reason,
        status: error.status,
        detail: error.message,
        ...(error instanceof TokenEndpointRejection ? { oauthError: error.oauthError } : {}),
      });
    }
    return errorResult(error, {
      accept: event ? headerValue(event, 'accept') : undefined,
      cookies: failure?.cookies ?? [],
      loginPath,
    });
  };
}
