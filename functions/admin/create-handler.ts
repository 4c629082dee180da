import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import middy from '@middy/core';
import httpRouterHandler, { type Route } from '@middy/http-router';
import { createAdminActions } from '../../shared/admin/admin-actions.js';
import type { AdminConfig } from '../../shared/admin/admin-config.js';
import type { AdminContext, AdminEvent, AdminResult } from '../../shared/admin/admin-event.js';
import { ADMIN_ROUTES } from '../../shared/admin/admin-routes.js';
import { createAdminService } from '../../shared/admin/admin-service.js';
import { type AuditLog, createAuditLog } from '../../shared/admin/audit-log.js';
import { buildOpenApiDocument } from '../../shared/admin/openapi-document.js';
import { prepareForRouting } from '../../shared/admin/request-input.js';
import { requireAdmin } from '../../shared/admin/require-admin.js';
import { createRouteHandler } from '../../shared/admin/route-handler.js';
import { deepFreeze } from '../../shared/config/env-reader.js';
import { NotFoundError } from '../../shared/errors/gate-error.js';
import { gateErrorHandler } from '../../shared/http/error-response.js';
import { middyDeadline } from '../../shared/lambda/deadline.js';
import type { InvocationLogger } from '../../shared/logging/logger.js';
import type { RevocationWriter } from '../../shared/revocation/revocation-store.js';

export interface AdminHandlerDeps {
  config: Readonly<AdminConfig>;
  client: CognitoIdentityProviderClient;
  logger: InvocationLogger;
  /** Revocation on: user entries for disable, delete and sign-out. */
  revocations?: Pick<RevocationWriter, 'revokeUser'>;
}

/** The handler passes its own audit log, so the identity check and the routes share one. */
type RouteDeps = AdminHandlerDeps & { audit?: AuditLog };

/** The router's routes, one per row of ADMIN_ROUTES (exported so a test can compare them with the OpenAPI document). */
export function createAdminRoutes({
  config,
  client,
  logger,
  revocations,
  audit = createAuditLog(logger),
}: RouteDeps): Array<Route<AdminEvent, AdminResult>> {
  const openApiDocument = deepFreeze(buildOpenApiDocument(ADMIN_ROUTES));
  const service = createAdminService({ client, userPoolId: config.userPoolId, revocations });
  const actions = createAdminActions(service, openApiDocument);
  return ADMIN_ROUTES.map((route) => ({
    method: route.method,
    path: route.path,
    handler: createRouteHandler(route, { actions, audit, maxBodyBytes: config.maxBodyBytes }) as Route<
      AdminEvent,
      AdminResult
    >['handler'],
  }));
}

/**
 * The admin API: identity check first (for every request, known route or not), then the router; any error
 * becomes `{"error":{"code","message","field?"}}` with its status.
 */
export function createAdminHandler(deps: AdminHandlerDeps) {
  const { config, logger } = deps;
  const audit = createAuditLog(logger);
  const router = httpRouterHandler<AdminEvent, AdminResult>({
    routes: createAdminRoutes({ ...deps, audit }),
    notFoundResponse: ({ method, path }) => {
      throw new NotFoundError(`No route for ${method} ${path}`);
    },
  });
  return middy<AdminEvent, AdminResult, Error, AdminContext>(middyDeadline(logger))
    .before((request) => logger.startInvocation(request.event, request.context))
    .use(gateErrorHandler({ logger }))
    .use(requireAdmin({ policy: { adminGroup: config.adminGroup, adminScope: config.adminScope }, audit }))
    .before((request) => prepareForRouting(request.event))
    .handler(router);
}
