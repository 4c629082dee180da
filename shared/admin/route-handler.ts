import { GateError, statusOf, TokenMissingError, ValidationError } from '../errors/gate-error.js';
import { jsonResponse } from '../http/json-response.js';
import { type AdminActions, auditTarget } from './admin-actions.js';
import type { AdminContext, AdminEvent, AdminResult } from './admin-event.js';
import { type AdminRouteSpec, pathParameterNames } from './admin-routes.js';
import { PATH_PARAMETER_SCHEMAS } from './admin-schemas.js';
import type { AuditNotes } from './admin-service.js';
import { type AuditLog, type AuditRecord, type AuditTarget, auditActor } from './audit-log.js';
import { exceptionName } from './cognito-errors.js';
import { type CompiledSchema, compileSchema, type JsonSchema } from './json-schema.js';
import { readJsonBody, readPathParameters, readQuery } from './request-input.js';

export interface RouteHandlerOptions {
  actions: AdminActions;
  audit: AuditLog;
  maxBodyBytes: number;
}

export type RouteHandler = (event: AdminEvent, context: AdminContext) => Promise<AdminResult>;

const NO_QUERY: JsonSchema = { type: 'object', additionalProperties: false };

/**
 * Turns one row of the route table into a router handler: read and validate every input before any Cognito
 * call (so bad input changes nothing), run the action, answer, and write one audit line either way.
 * Schemas are compiled here, once per route at cold start.
 */
export function createRouteHandler(
  route: AdminRouteSpec,
  { actions, audit, maxBodyBytes }: RouteHandlerOptions,
): RouteHandler {
  const action = actions[route.action];
  const paramNames = pathParameterNames(route.path);
  const paramChecks = paramNames.map((name) => {
    const schema = PATH_PARAMETER_SCHEMAS[name];
    if (!schema) throw new Error(`route ${route.method} ${route.path}: no schema for path parameter "${name}"`);
    return [name, compileSchema(schema, name)] as const;
  });
  const queryCheck = compileSchema(route.query ?? NO_QUERY, 'query');
  const bodyCheck = route.body ? compileSchema(route.body, 'body') : undefined;

  return async (event, context) => {
    // require-admin.ts runs first; if it did not, fail closed rather than act without an actor.
    const identity = context.adminIdentity;
    if (!identity) throw new TokenMissingError('No caller identity reached the admin API');

    const base = { action: route.action, actor: auditActor(identity) };
    const notes: AuditNotes = {};
    let target: AuditTarget = {};
    try {
      const path = readPathParameters(event, paramNames);
      target = auditTarget(route.action, path, undefined);
      for (const [name, check] of paramChecks) assertValid(check, path[name]);
      const query = readQuery(event, route.query);
      assertValid(queryCheck, query);
      const body = bodyCheck ? readJsonBody(event, maxBodyBytes) : undefined;
      if (bodyCheck) assertValid(bodyCheck, body);
      target = auditTarget(route.action, path, body);

      const result = await action({ path, query, body }, notes);

      audit.record({ ...base, target, outcome: 'success', status: route.status, ...detail(notes) });
      return route.status === 204
        ? { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' }
        : jsonResponse(route.status, result.body, result.headers);
    } catch (error) {
      audit.record({ ...base, target, ...failure(error), ...detail(notes) });
      throw error;
    }
  };
}

function assertValid(check: CompiledSchema, value: unknown): void {
  const issue = check(value);
  if (issue) throw new ValidationError(issue.message, issue.field);
}

function failure(error: unknown): Pick<AuditRecord, 'outcome' | 'status' | 'errorCode' | 'cause'> {
  const status = statusOf(error);
  const upstream =
    error instanceof Error ? (error.cause ?? (error instanceof GateError ? undefined : error)) : undefined;
  const causeName = exceptionName(upstream);
  return {
    outcome: 'failure',
    status,
    errorCode: error instanceof GateError ? error.reason : 'internal',
    ...(causeName
      ? {
          cause: {
            name: causeName,
            ...(status >= 500 && upstream instanceof Error ? { message: upstream.message.slice(0, 500) } : {}),
          },
        }
      : {}),
  };
}

function detail(notes: AuditNotes): Pick<AuditRecord, 'detail'> {
  return Object.keys(notes).length > 0 ? { detail: { ...notes } } : {};
}
