import { headerValues } from '../http/headers.js';
import { isSameOriginRequest } from '../http/request-origin.js';
import type { AuthorizerEvent } from './request-route.js';

/** Methods that must not change state, so a cross-site request using them gains an attacker nothing. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Hosts served over plain http by serverless-offline and `npm run dev`; on AWS the Host is never one of them. */
const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/;
const MAX_LOGGED_LENGTH = 200;

export const isSafeMethod = (method: string) => SAFE_METHODS.has(method);

/**
 * The API's own origins, as a browser on one of its pages would write them: https with the Host that the browser
 * sent (a page cannot forge the Host of a request it makes), and with the host name API Gateway recorded; plus
 * http when the Host is loopback, where serverless-offline serves plain http.
 */
export function ownOriginsOf(event: AuthorizerEvent): string[] {
  const origins: string[] = [];
  const hosts = headerValues(event, 'host');
  if (hosts.length === 1) {
    const host = hosts[0]!.trim().toLowerCase();
    origins.push(`https://${host}`);
    if (LOOPBACK_HOST.test(host)) origins.push(`http://${host}`);
  }
  const domainName = event.requestContext?.domainName;
  if (typeof domainName === 'string' && domainName !== '') origins.push(`https://${domainName.toLowerCase()}`);
  return origins;
}

/**
 * Does a request that the session cookie authenticates prove that a page of the app sent it? The token service's
 * rule (shared/http/request-origin.ts): an `Origin` among the allowed origins (CSRF_ALLOWED_ORIGINS, else the
 * API's own), or `Sec-Fetch-Site: same-origin` when there is no usable Origin. A header sent twice proves nothing.
 */
export function provesAppOrigin(event: AuthorizerEvent, allowedOrigins: readonly string[] | undefined): boolean {
  const origins = headerValues(event, 'origin');
  const fetchSites = headerValues(event, 'sec-fetch-site');
  if (origins.length > 1 || fetchSites.length > 1) return false;
  const evidence = { origin: origins[0]?.trim().toLowerCase(), secFetchSite: fetchSites[0]?.trim() };
  return isSameOriginRequest(evidence, allowedOrigins ?? ownOriginsOf(event));
}

/** What the request offered instead, for the denial's log line: header values only, bounded, never a cookie. */
export function originEvidenceOf(event: AuthorizerEvent): { origin: string[]; secFetchSite: string[] } {
  const bounded = (values: string[]) => values.map((value) => value.slice(0, MAX_LOGGED_LENGTH));
  return {
    origin: bounded(headerValues(event, 'origin')),
    secFetchSite: bounded(headerValues(event, 'sec-fetch-site')),
  };
}
