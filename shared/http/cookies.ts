/**
 * Reading cookies from every place API Gateway puts them: `event.cookies` (HTTP API on AWS) and `Cookie`
 * headers in any case (REST, serverless-offline, multiValueHeaders).
 */
export function parseCookieHeader(header: string, into: Map<string, string> = new Map()): Map<string, string> {
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    // First one wins, as browsers send the most specific path first.
    if (name && !into.has(name)) into.set(name, value);
  }
  return into;
}

export function cookieMap(
  headerValues: readonly string[],
  cookiesArray?: readonly string[] | null,
): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const entry of cookiesArray ?? []) parseCookieHeader(entry, cookies);
  for (const header of headerValues) parseCookieHeader(header, cookies);
  return cookies;
}

/** A value too large for one cookie is stored as NAME.0, NAME.1, ...; NAME alone holds a value that fits. */
export const MAX_CHUNKS = 8;

/** The name of one chunk: the token service writes these and every reader joins them. */
export function chunkName(name: string, index: number): string {
  return `${name}.${index}`;
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** An RFC 6265 cookie name (a token): what both the writer and the authorizer's config accept. */
export function isCookieName(name: string): boolean {
  return COOKIE_NAME.test(name);
}

export function readChunkedCookie(cookies: ReadonlyMap<string, string>, name: string): string | undefined {
  const whole = cookies.get(name);
  if (whole) return whole;
  let joined = '';
  for (let index = 0; index < MAX_CHUNKS; index++) {
    const part = cookies.get(chunkName(name, index));
    if (part === undefined) break;
    joined += part;
  }
  return joined || undefined;
}
