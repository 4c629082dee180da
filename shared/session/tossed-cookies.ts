import { hasHostPrefix } from '../http/cookie-names.js';
import { chunkFamily, type RequestCookies } from '../http/cookies.js';
import type { CookieSettings } from './auth-config.js';
import { serializeClearCookie } from './cookie-codec.js';

/**
 * Cookie tossing: a sibling subdomain sets one of our cookie names for the parent domain, with a longer path so
 * that the browser sends its copy first. The token service refuses such a request (see `tossedCookieNames`)
 * and answers with Set-Cookie headers that delete every copy it can reach (see `clearEverywhere`).
 */

/**
 * The product's cookie names that this request makes ambiguous: sent with two different values, or a logical
 * cookie sent both whole and in chunks (the writer never leaves both). Empty when nothing is wrong.
 */
export function tossedCookieNames(cookies: RequestCookies, settings: CookieSettings): string[] {
  const families = [settings.sessionName, settings.refreshName].map(chunkFamily);
  const isProductName = (name: string) =>
    name === settings.bindName ||
    name.startsWith(settings.flowNamePrefix) ||
    families.some((family) => family.includes(name));
  const tossed = new Set<string>();
  for (const [name, values] of cookies) {
    if (values.length > 1 && isProductName(name)) tossed.add(name);
  }
  for (const [whole, ...chunks] of families) {
    const present = chunks.filter((chunk) => cookies.has(chunk));
    if (cookies.get(whole!)?.some(Boolean) && present.length > 0)
      for (const name of [whole!, ...present]) tossed.add(name);
  }
  return [...tossed];
}

const MAX_PATH_DEPTH = 6;
const PATH_SEGMENT = /^[\w.~!$&'()*+,=:@%-]+$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * Every cookie path that covers `requestPath` (`/`, `/auth`, `/auth/`, `/auth/refresh` for `/auth/refresh`):
 * a copy that this request carried has one of them.
 */
export function pathsCovering(requestPath: string): string[] {
  const segments = requestPath.split('/').filter(Boolean);
  const paths = ['/'];
  let current = '';
  for (const [index, segment] of segments.slice(0, MAX_PATH_DEPTH).entries()) {
    if (!PATH_SEGMENT.test(segment)) break;
    current += `/${segment}`;
    paths.push(current);
    if (index < segments.length - 1 || requestPath.endsWith('/')) paths.push(`${current}/`);
  }
  return paths;
}

/** `app.example.com` → `app.example.com`, `example.com`: the Domain values a copy sent to this host may have. */
export function domainsCovering(host: string): string[] {
  if (IPV4.test(host) || host.includes(':') || host.includes('[')) return [];
  const labels = host.toLowerCase().split('.');
  return labels.slice(0, -1).map((_, index) => labels.slice(index).join('.'));
}

/**
 * Set-Cookie headers that delete `name` host-only and for each parent domain, at each path that covers the
 * request. A `__Host-` name exists only host-only at Path=/, which is the one header then.
 */
export function clearEverywhere(name: string, settings: CookieSettings, requestPath: string): string[] {
  const base = { httpOnly: true, secure: settings.secure, sameSite: 'Lax' } as const;
  if (hasHostPrefix(name)) return [serializeClearCookie(name, { ...base, path: '/' })];
  const paths = [...new Set([...pathsCovering(requestPath), '/', settings.authBasePath])];
  const domains = [undefined, ...domainsCovering(settings.host)];
  return domains.flatMap((domain) =>
    // Stryker disable next-line ConditionalExpression: equivalent, a Domain of undefined is written as none at all
    paths.map((path) => serializeClearCookie(name, { ...base, path, ...(domain === undefined ? {} : { domain }) })),
  );
}
