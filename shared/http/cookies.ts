import { CookieDuplicatedError } from '../errors/gate-error.js';

/**
 * Reading cookies from every place API Gateway puts them: `event.cookies` (HTTP API on AWS) and `Cookie`
 * headers in any case (REST, serverless-offline, multiValueHeaders).
 *
 * Every distinct value of a name is kept. A browser sends a name twice when a sibling subdomain set it for the
 * parent domain (its copy, with a longer path, comes first): picking one would let the sibling choose the
 * session, so readers refuse a name that has two different values. The same pair seen twice is harmless
 * (serverless-offline repeats the `cookies` array in a Cookie header) and counts once.
 */
export type RequestCookies = ReadonlyMap<string, readonly string[]>;

export function parseCookieHeader(header: string, into: Map<string, string[]> = new Map()): Map<string, string[]> {
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    // Stryker disable next-line EqualityOperator: equivalent, '=' first gives an empty name, skipped just below
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    const values = into.get(name);
    if (values === undefined) into.set(name, [value]);
    else if (!values.includes(value)) values.push(value);
  }
  return into;
}

/** The cookies of a request, from the HTTP API `cookies` array and every Cookie header together. */
export function parseRequestCookies(
  headerValues: readonly string[],
  cookiesArray?: readonly string[] | null,
): RequestCookies {
  const cookies = new Map<string, string[]>();
  // Stryker disable next-line ArrayDeclaration: equivalent, the mutant's one entry has no '=' and adds no cookie
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

/** NAME and every chunk name of it: the names a logical cookie may occupy. */
export function chunkFamily(name: string): string[] {
  return [name, ...Array.from({ length: MAX_CHUNKS }, (_, index) => chunkName(name, index))];
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** An RFC 6265 cookie name (a token): what both the writer and the authorizer's config accept. */
export function isCookieName(name: string): boolean {
  return COOKIE_NAME.test(name);
}

/** The one value of `name`; undefined when absent; CookieDuplicatedError when it came with two values. */
export function readCookie(cookies: RequestCookies, name: string): string | undefined {
  const values = cookies.get(name);
  if (values === undefined) return undefined;
  if (values.length > 1) throw new CookieDuplicatedError(`the ${name} cookie came ${values.length} times`);
  return values[0];
}

/**
 * A logical cookie, whole or joined from its chunks. Refused (CookieDuplicatedError) when NAME or a chunk it
 * uses came twice, or when it came both whole and in chunks: the writer never leaves both, so one is planted.
 */
export function readChunkedCookie(cookies: RequestCookies, name: string): string | undefined {
  const whole = readCookie(cookies, name);
  let joined = '';
  for (let index = 0; index < MAX_CHUNKS; index++) {
    const part = readCookie(cookies, chunkName(name, index));
    if (part === undefined) break;
    joined += part;
  }
  if (whole && joined) throw new CookieDuplicatedError(`the ${name} cookie came both whole and in chunks`);
  return whole || joined || undefined;
}
