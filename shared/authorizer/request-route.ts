import { isPayloadV2 } from '../http/proxy-event.js';
import { pathSegments } from '../rules/route-pattern.js';

export interface RequestRoute {
  readonly kind: 'rest' | 'http';
  /** The ARN that API Gateway asks about: REST `methodArn`, HTTP API `routeArn`. */
  readonly arn: string;
  /** `arn:aws:execute-api:region:account:apiId/stage/`, the part every route of this API and stage shares. */
  readonly arnPrefix: string;
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
  requestContext?: {
    requestId?: string;
    /** The host name the client called, set by API Gateway (a stand-in value under serverless-offline). */
    domainName?: string;
    /** HTTP API (payload 2.0): the request's method. */
    http?: { method?: string } | null;
  } | null;
}

/** The method the client sent: HTTP API's requestContext.http.method, REST's httpMethod, else the ARN's. */
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
  // arn:aws:execute-api:region:account:apiId/stage/METHOD/path...
  const first = arn.indexOf('/');
  const second = arn.indexOf('/', first + 1);
  const third = arn.indexOf('/', second + 1);
  if (first < 0 || second < 0) return undefined;
  const method = arn.slice(second + 1, third < 0 ? undefined : third);
  if (!/^[A-Z]+$/.test(method)) return undefined;
  const path = third < 0 ? '' : arn.slice(third);
  return { kind, arn, arnPrefix: arn.slice(0, second + 1), method, segments: pathSegments(path) };
}
