import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HeaderBag, headerValues } from './headers.js';

/** What an HTTP function receives: a REST proxy event (payload 1.0) or an HTTP API event (payload 2.0). */
export type ProxyEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

/**
 * The one test of "is this payload 2.0?", for proxy and authorizer events alike: HTTP API says so in `version`;
 * REST events carry no version, and HTTP API's 1.0 events read as REST's.
 */
export function isPayloadV2<T extends { version?: unknown }>(event: T): event is T & { version: '2.0' } {
  return event.version === '2.0';
}

export function isV2Event(event: ProxyEvent): event is APIGatewayProxyEventV2 {
  return isPayloadV2(event as { version?: unknown });
}

/** REST proxy events carry no `version`; HTTP API events carry "1.0" or "2.0". */
export function isRestEvent(event: ProxyEvent): event is APIGatewayProxyEvent {
  return (event as { version?: unknown }).version === undefined;
}

export function methodAndPath(event: ProxyEvent): { method: string; path: string } {
  if (isV2Event(event))
    return {
      method: event.requestContext?.http?.method ?? '',
      path: event.requestContext?.http?.path ?? event.rawPath ?? '',
    };
  return { method: event.httpMethod ?? '', path: event.path ?? '' };
}

/** Header lookup that ignores case (REST keeps the client's casing, HTTP API lower-cases) and null maps. */
export function headerValue(event: ProxyEvent, name: string): string | undefined {
  return headerValues(event as HeaderBag, name.toLowerCase())[0];
}
