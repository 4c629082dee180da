import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { type HeaderBag, headerValues } from '../http/headers.js';
import type { AdminIdentity } from './admin-identity.js';

/** The admin function serves REST (payload 1.0) and HTTP API (payload 2.0) proxy events. */
export type AdminEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;
export type AdminResult = APIGatewayProxyStructuredResultV2;
/** require-admin.ts puts the checked identity here, as middy's own middlewares put values on the context. */
export type AdminContext = Context & { adminIdentity?: AdminIdentity };

export function isV2Event(event: AdminEvent): event is APIGatewayProxyEventV2 {
  return (event as { version?: unknown }).version === '2.0';
}

/** REST proxy events carry no `version`; HTTP API events carry "1.0" or "2.0". */
export function isRestEvent(event: AdminEvent): event is APIGatewayProxyEvent {
  return (event as { version?: unknown }).version === undefined;
}

export function methodAndPath(event: AdminEvent): { method: string; path: string } {
  if (isV2Event(event))
    return { method: event.requestContext?.http?.method ?? '', path: event.requestContext?.http?.path ?? '' };
  return { method: event.httpMethod ?? '', path: event.path ?? '' };
}

/** Header lookup that ignores case (REST keeps the client's casing, HTTP API lower-cases) and null maps. */
export function headerValue(event: AdminEvent, name: string): string | undefined {
  return headerValues(event as HeaderBag, name.toLowerCase())[0];
}
