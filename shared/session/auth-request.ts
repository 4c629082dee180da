import { parseRequestCookies, type RequestCookies } from '../http/cookies.js';
import { type HeaderBag, headerValues } from '../http/headers.js';
import { isV2Event, type ProxyEvent } from '../http/proxy-event.js';

/** What the token service needs from a request, read the same way from HTTP API (2.0) and REST (1.0) events. */
export interface AuthRequest {
  readonly method: string;
  readonly path: string;
  /** Every query parameter, repeated keys kept (so a duplicated `state` or `code` can be refused). */
  readonly query: URLSearchParams;
  /** Every distinct value of every cookie: a name with two values is refused, never guessed at. */
  readonly cookies: RequestCookies;
  /** The first value of a header, in any case. */
  header(lowerName: string): string | undefined;
}

export type AuthEvent = ProxyEvent;

export function toAuthRequest(event: AuthEvent): AuthRequest {
  const bag = event as HeaderBag;
  let query: URLSearchParams;
  let method: string;
  let path: string;
  let cookiesArray: readonly string[] | undefined;
  if (isV2Event(event)) {
    method = event.requestContext.http.method;
    path = event.requestContext.http.path ?? event.rawPath;
    query = new URLSearchParams(event.rawQueryString ?? '');
    cookiesArray = event.cookies;
  } else {
    method = event.httpMethod;
    path = event.path;
    query = new URLSearchParams();
    const multi = event.multiValueQueryStringParameters ?? {};
    const single = event.queryStringParameters ?? {};
    for (const [key, values] of Object.entries(multi)) for (const value of values ?? []) query.append(key, value);
    for (const [key, value] of Object.entries(single)) if (!multi[key] && value !== undefined) query.append(key, value);
  }
  return {
    method: method.toUpperCase(),
    path,
    query,
    cookies: parseRequestCookies(headerValues(bag, 'cookie'), cookiesArray),
    header: (lowerName) => headerValues(bag, lowerName)[0],
  };
}

export type SingleParam = { readonly ok: true; readonly value: string | undefined } | { readonly ok: false };

/** A parameter that must appear at most once: a repeated one is refused rather than guessed at. */
export function singleParam(query: URLSearchParams, name: string): SingleParam {
  const values = query.getAll(name);
  if (values.length > 1) return { ok: false };
  return { ok: true, value: values[0] };
}
