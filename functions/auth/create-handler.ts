import middy from '@middy/core';
import httpRouterHandler, { type Route } from '@middy/http-router';
import type { Context } from 'aws-lambda';
import { NotFoundError } from '../../shared/errors/gate-error.js';
import { gateErrorHandler } from '../../shared/http/error-response.js';
import { middyDeadline } from '../../shared/lambda/deadline.js';
import type { InvocationLogger } from '../../shared/logging/logger.js';
import { type AuthEvent, toAuthRequest } from '../../shared/session/auth-request.js';
import { type AuthResponse, errorResult } from '../../shared/session/auth-responses.js';
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

/** The token service behind middy's router; the service answers its own errors, this catches the rest. */
export function createAuthHandler(deps: TokenServiceDeps & { logger: InvocationLogger }) {
  const service = createTokenService(deps);
  const { authBasePath } = deps.config.cookies;
  const loginPath = `${authBasePath === '/' ? '' : authBasePath}/login`;
  const toRoute =
    (route: AuthRoute): Route<AuthEvent, AuthResponse>['handler'] =>
    (event: AuthEvent) =>
      route(toAuthRequest(event));
  const router = httpRouterHandler<AuthEvent, AuthResponse>({
    routes: AUTH_ROUTES.map(([method, path, name]) => ({ method, path, handler: toRoute(service[name]) })),
    notFoundResponse: ({ method, path }) => {
      throw new NotFoundError(`No route for ${method} ${path}`);
    },
  });
  return middy<AuthEvent, AuthResponse, Error, Context>(middyDeadline(deps.logger))
    .before((request) => deps.logger.startInvocation(request.event, request.context))
    .use(
      gateErrorHandler<AuthEvent, AuthResponse, Context>({
        logger: deps.logger,
        render: (error, { event }) =>
          errorResult(error, { accept: event ? toAuthRequest(event).header('accept') : undefined, loginPath }),
      }),
    )
    .handler(router);
}
