import middy from '@middy/core';
import httpRouterHandler, { type Route } from '@middy/http-router';
import type { Context } from 'aws-lambda';
import { NotFoundError } from '../../shared/errors/gate-error.js';
import { gateErrorHandler } from '../../shared/http/error-response.js';
import { middyDeadline } from '../../shared/lambda/deadline.js';
import type { InvocationLogger } from '../../shared/logging/logger.js';
import { authErrorRenderer } from '../../shared/session/auth-error-renderer.js';
import { type AuthEvent, toAuthRequest } from '../../shared/session/auth-request.js';
import type { AuthResponse } from '../../shared/session/auth-responses.js';
import { FailureAnswer } from '../../shared/session/failure-answer.js';
import { type AuthRoute, createTokenService, type TokenServiceDeps } from '../../shared/session/token-service.js';

/** The routes as API Gateway names them (serverless.yml); cookie paths follow OIDC_REDIRECT_URI instead. */
export const AUTH_ROUTES = [
  ['GET', '/auth/login', 'login'],
  ['GET', '/auth/callback', 'callback'],
  ['POST', '/auth/refresh', 'refresh'],
  ['GET', '/auth/logout', 'logout'],
  ['POST', '/auth/logout', 'logout'],
  ['GET', '/auth/me', 'me'],
] as const;

/**
 * The token service behind middy's router. Routes throw; the shared error middleware answers, with the cookies
 * the failed route asked for (its FailureAnswer, found by the event it was given).
 */
export function createAuthHandler(deps: TokenServiceDeps & { logger: InvocationLogger }) {
  const service = createTokenService(deps);
  const { authBasePath } = deps.config.cookies;
  const loginPath = `${authBasePath === '/' ? '' : authBasePath}/login`;
  const failures = new WeakMap<AuthEvent, FailureAnswer>();
  const toRoute =
    (name: string, route: AuthRoute): Route<AuthEvent, AuthResponse>['handler'] =>
    (event: AuthEvent) => {
      const ifFailed = new FailureAnswer(name);
      failures.set(event, ifFailed);
      return route(toAuthRequest(event), ifFailed);
    };
  const router = httpRouterHandler<AuthEvent, AuthResponse>({
    routes: AUTH_ROUTES.map(([method, path, name]) => ({ method, path, handler: toRoute(name, service[name]) })),
    notFoundResponse: ({ method, path }) => {
      throw new NotFoundError(`No route for ${method} ${path}`);
    },
  });
  return middy<AuthEvent, AuthResponse, Error, Context>(middyDeadline(deps.logger))
    .before((request) => deps.logger.startInvocation(request.event, request.context))
    .use(
      gateErrorHandler<AuthEvent, AuthResponse, Context>({
        logger: deps.logger,
        render: authErrorRenderer({ logger: deps.logger, loginPath, failureOf: (event) => failures.get(event) }),
      }),
    )
    .handler(router);
}
