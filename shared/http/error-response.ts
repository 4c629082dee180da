import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import { GateError, type GateReason } from '../errors/gate-error.js';
import type { Logger } from '../logging/logger.js';
import { jsonResponse } from './json-response.js';

export interface ErrorBody {
  error: { code: GateReason | string; message: string; field?: string };
}

/** Turns any thrown value into `{"error":{"code","message"}}`; anything that is not a GateError is a bare 500. */
export function errorToResponse(error: unknown, extraHeaders: Record<string, string> = {}) {
  if (error instanceof GateError) {
    const { field } = error;
    const body: ErrorBody = { error: { code: error.reason, message: error.message, ...(field ? { field } : {}) } };
    return jsonResponse(error.status, body, { ...extraHeaders, ...error.headers });
  }
  return jsonResponse(
    500,
    { error: { code: 'internal', message: 'Internal error' } } satisfies ErrorBody,
    extraHeaders,
  );
}

/** How one function shows an error to its callers: JSON by default; the token service also speaks HTML. */
export type ErrorRenderer<TEvent, TResult, TContext extends Context> = (
  error: unknown,
  request: Request<TEvent, TResult, Error, TContext>,
) => TResult;

/**
 * The one error middleware of every HTTP function: GateErrors become their status; anything else is logged
 * (without details to the client) and becomes a bare 500. `render` shapes the response for its function.
 */
export function gateErrorHandler<TEvent = unknown, TResult = unknown, TContext extends Context = Context>({
  logger,
  render = (error) => errorToResponse(error) as TResult,
}: {
  logger: Logger;
  render?: ErrorRenderer<TEvent, TResult, TContext>;
}): MiddlewareObj<TEvent, TResult, Error, TContext> {
  return {
    onError: async (request) => {
      const { error } = request;
      if (!(error instanceof GateError)) {
        logger.error('unhandled error', {
          errorName: (error as Error | undefined)?.name,
          errorMessage: (error as Error | undefined)?.message,
        });
      }
      request.response = render(error, request);
    },
  };
}
