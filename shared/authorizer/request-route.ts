import { isPayloadV2 } from '../http/proxy-event.js';
import { pathSegments, WEBSOCKET_CONNECT } from '../rules/route-pattern.js';

export interface RequestRoute {
  /** websocket: a WebSocket API's `$connect`, the one route of it that API Gateway lets an authorizer guard. */
  readonly kind: 'rest' | 'http' | 'websocket';
  /** The ARN that API Gateway asks about: REST and WebSocket `methodArn`, HTTP API `routeArn`. */
  readonly arn: string;
  /** `arn:aws:execute-api:region:account:apiId/stage/`, the part every route of this API and stage shares. */
  readonly arnPrefix: string;
  /** The HTTP method, or `$connect` for a WebSocket API. */
  readonly method: string;
  readonly segments: readonly string[];
}

export interface AuthorizerEvent {
  type?: string;
  version?: string;
  methodArn?: string;
  routeArn?: string;
  /** REST (payload 1.0): the request's method. */
  httpMethod?: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  cookies?: string[] | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  requestContext?: {
    requestId?: string;
    /** The host name the client called, set by API Gateway (a stand-in value under serverless-offline). */
    domainName?: string;
    /** HTTP API (payload 2.0): the request's method. */
    http?: { method?: string } | null;
  } | null;
}

/** The method the client sent: HTTP API's requestContext.http.method, REST's httpMethod, else the ARN's ($connect). */
export function requestMethodOf(event: AuthorizerEvent, route: RequestRoute): string {
  return (event.requestContext?.http?.method ?? event.httpMethod ?? route.method).toUpperCase();
}

/**
 * Method and path come from the ARN, not from `path`: the ARN holds the request path without the stage on
 * AWS and under serverless-offline alike.
 */
export function requestRouteOf(event: AuthorizerEvent): RequestRoute | undefined {
  const kind = isPayloadV2(event) ? 'http' : 'rest';
  const arn = kind === 'http' ? event.routeArn : event.methodArn;
  if (typeof arn !== 'string') return undefined;
  // arn:aws:execute-api:region:account:apiId/stage/METHOD/path... (an ARN without any '/' has second -1 too)
  const first = arn.indexOf('/');
  const second = arn.indexOf('/', first + 1);
  if (second === -1) return undefined;
  const third = arn.indexOf('/', second + 1);
  const hasPath = third !== -1;
  const method = arn.slice(second + 1, hasPath ? third : undefined);
  // WebSocket: arn:aws:execute-api:region:account:apiId/stage/$connect, with no method and no path.
  if (kind === 'rest' && method === WEBSOCKET_CONNECT && !hasPath)
    return { kind: 'websocket', arn, arnPrefix: arn.slice(0, second + 1), method, segments: [] };
  if (!/^[A-Z]+$/.test(method)) return undefined;
  const path = hasPath ? arn.slice(third) : '';
  return { kind, arn, arnPrefix: arn.slice(0, second + 1), method, segments: pathSegments(path) };
}
