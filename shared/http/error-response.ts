import type { MiddlewareObj } from '@middy/core';
import { GateError, type GateReason } from '../errors/gate-error.js';
import type { Logger } from '../logging/logger.js';
import { jsonResponse } from './json-response.js';

export interface ErrorBody {
  error: { code: GateReason | string; message: string; field?: string };
}

/** Turns any thrown value into `{"error":{"code","message"}}`; anything that is not a GateError is a bare 500. */
export function errorToResponse(error: unknown, extraHeaders: Record<string, string> = {}) {
  if (error instanceof GateError) {
    const field = (error as { field?: string }).field;
    const body: ErrorBody = { error: { code: error.reason, message: error.message, ...(field ? { field } : {}) } };
    return jsonResponse(error.status, body, {
      ...extraHeaders,
      ...((error as { headers?: Record<string, string> }).headers ?? {}),
    });
  }
  return jsonResponse(
    500,
    { error: { code: 'internal', message: 'Internal error' } } satisfies ErrorBody,
    extraHeaders,
  );
}

/** middy middleware: GateErrors become their status; anything else is logged (without details to the client) and becomes 500. */
export function gateErrorHandler({ logger }: { logger: Logger }): MiddlewareObj {
  return {
    onError: async (request) => {
      const { error } = request;
      if (!(error instanceof GateError)) {
        logger.error('unhandled error', {
          errorName: (error as Error | undefined)?.name,
          errorMessage: (error as Error | undefined)?.message,
        });
      }
      request.response = errorToResponse(error);
    },
  };
}
