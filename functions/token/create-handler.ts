import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { GateError, UpstreamError } from '../../shared/errors/gate-error.js';
import type { HttpResult } from '../../shared/http/json-response.js';
import type { Logger } from '../../shared/logging/logger.js';
import { TokenEndpointThrottledError } from '../../shared/m2m/token-errors.js';
import type { TokenIssuer } from '../../shared/m2m/token-issuer.js';
import { recordTokenRequest, type TokenOutcome } from '../../shared/m2m/token-metrics.js';
import { parseTokenRequest, readTokenRequest } from '../../shared/m2m/token-request.js';
import { tokenErrorResponse, tokenResponse } from '../../shared/m2m/token-response.js';
import { TokenEndpointRejection } from '../../shared/oidc/token-endpoint.js';

/** `POST /oauth2/token`: Cognito's client-credentials token endpoint, with the two-tier cache in front. */
export function createTokenHandler({
  issuer,
  logger,
  now = Date.now,
}: {
  issuer: TokenIssuer;
  logger: Logger;
  now?: () => number;
}) {
  return middy<APIGatewayProxyEventV2, HttpResult>().handler(async (event) => {
    const startedAt = now();
    let clientId: string | undefined;
    let outcome: TokenOutcome;
    let response: HttpResult;
    let detail: string | undefined;
    try {
      const request = parseTokenRequest(readTokenRequest(event));
      clientId = request.clientId;
      const issued = await issuer.issue(request);
      outcome = issued.source;
      response = tokenResponse(issued.token, now());
    } catch (error) {
      outcome = failureOutcome(error);
      // The client sees only the OAuth code; the operator sees why (our messages hold no secret).
      if (outcome === 'bad_request') detail = (error as Error).message;
      if (outcome === 'error')
        logger.error('unhandled error', {
          errorName: (error as Error | undefined)?.name,
          errorMessage: (error as Error | undefined)?.message,
        });
      response = tokenErrorResponse(error);
    }
    const status = typeof response === 'object' ? (response.statusCode ?? 200) : 200;
    recordTokenRequest(logger, { clientId, outcome, status, detail, durationMs: now() - startedAt, at: startedAt });
    return response;
  });
}

function failureOutcome(error: unknown): TokenOutcome {
  if (error instanceof TokenEndpointThrottledError) return 'throttled';
  if (error instanceof TokenEndpointRejection) return 'refused';
  if (error instanceof UpstreamError) return 'unavailable';
  if (error instanceof GateError) return 'bad_request';
  return 'error';
}
