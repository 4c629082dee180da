import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { GateError, UpstreamError } from '../../shared/errors/gate-error.js';
import { TokenEndpointRejection } from '../../shared/errors/login-errors.js';
import { gateErrorHandler } from '../../shared/http/error-response.js';
import type { HttpResult } from '../../shared/http/json-response.js';
import { middyDeadline } from '../../shared/lambda/deadline.js';
import type { InvocationLogger } from '../../shared/logging/logger.js';
import { TokenEndpointThrottledError } from '../../shared/m2m/token-errors.js';
import type { TokenIssuer } from '../../shared/m2m/token-issuer.js';
import { recordTokenRequest, type TokenOutcome } from '../../shared/m2m/token-metrics.js';
import { parseTokenRequest, readTokenRequest } from '../../shared/m2m/token-request.js';
import { tokenErrorResponse, tokenErrorStatus, tokenResponse } from '../../shared/m2m/token-response.js';

/** `POST /oauth2/token`: Cognito's client-credentials token endpoint, with the two-tier cache in front. */
export function createTokenHandler({
  issuer,
  logger,
  now = Date.now,
}: {
  issuer: TokenIssuer;
  logger: InvocationLogger;
  now?: () => number;
}) {
  // Failures leave through the one error middleware (which also logs what is not a GateError), in Cognito's
  // error shape; the handler only records how each request was answered.
  return middy<APIGatewayProxyEventV2, HttpResult, Error, Context>(middyDeadline(logger))
    .before((request) => logger.startInvocation(request.event, request.context))
    .use(gateErrorHandler<APIGatewayProxyEventV2, HttpResult>({ logger, render: (error) => tokenErrorResponse(error) }))
    .handler(async (event) => {
      const startedAt = now();
      let clientId: string | undefined;
      try {
        const request = parseTokenRequest(readTokenRequest(event));
        clientId = request.clientId;
        const issued = await issuer.issue(request);
        const response = tokenResponse(issued.token, now());
        recordTokenRequest(logger, {
          clientId,
          outcome: issued.source,
          status: 200,
          durationMs: now() - startedAt,
          at: startedAt,
        });
        return response;
      } catch (error) {
        const outcome = failureOutcome(error);
        recordTokenRequest(logger, {
          clientId,
          outcome,
          status: tokenErrorStatus(error),
          // The client sees only the OAuth code; the operator sees why (our messages hold no secret).
          detail: outcome === 'bad_request' ? (error as Error).message : undefined,
          durationMs: now() - startedAt,
          at: startedAt,
        });
        throw error;
      }
    });
}

function failureOutcome(error: unknown): TokenOutcome {
  if (error instanceof TokenEndpointThrottledError) return 'throttled';
  if (error instanceof TokenEndpointRejection) return 'refused';
  if (error instanceof UpstreamError) return 'unavailable';
  if (error instanceof GateError) return 'bad_request';
  return 'error';
}
