import { CookieTooLargeError } from '../errors/gate-error.js';
import { hasHostPrefix, hasSecurePrefix } from '../http/cookie-names.js';
import { chunkName, isCookieName, MAX_CHUNKS } from '../http/cookies.js';

/**
 * Writing cookies: typed attributes (no hand-built attribute strings), and values too large for one cookie
 * split into NAME.0 … NAME.7, the convention that `readChunkedCookie` in shared/http/cookies.ts joins.
 */
export type SameSite = 'Strict' | 'Lax' | 'None';

export interface CookieAttributes {
  readonly path: string;
  /** Only to delete a copy that someone else set for a parent domain: this service's own cookies are host-only. */
  readonly domain?: string;
  /** HttpOnly is not optional here: no cookie this service writes is for page JavaScript. */
  readonly httpOnly: true;
  readonly secure: boolean;
  readonly sameSite: SameSite;
}

/** Browsers keep at least 4096 bytes per cookie; counting the attributes too keeps every browser safe. */
export const MAX_SET_COOKIE_BYTES = 4096;

/** RFC 6265 cookie-octet: serverless-offline answers 400 to a Cookie header that holds anything else. */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

export function serializeSetCookie(
  name: string,
  value: string,
  attributes: CookieAttributes,
  maxAgeSeconds: number,
): string {
  if (!isCookieName(name)) throw new Error(`not a cookie name: ${name}`);
  if (!COOKIE_VALUE.test(value)) throw new Error(`cookie ${name} has a value with characters outside RFC 6265`);
  // Browsers silently drop a prefixed cookie that breaks its prefix's rules: fail loudly here instead.
  if ((hasHostPrefix(name) || hasSecurePrefix(name)) && !attributes.secure)
    throw new Error(`cookie ${name} must be Secure`);
  if (hasHostPrefix(name) && (attributes.path !== '/' || attributes.domain !== undefined))
    throw new Error(`cookie ${name} must have Path=/ and no Domain`);
  if (attributes.domain !== undefined && !DOMAIN.test(attributes.domain))
    throw new Error(`cookie ${name} has an invalid Domain "${attributes.domain}"`);
  const parts = [
    `${name}=${value}`,
    ...(attributes.domain === undefined ? [] : [`Domain=${attributes.domain}`]),
    `Path=${attributes.path}`,
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'HttpOnly',
  ];
  if (attributes.secure) parts.push('Secure');
  parts.push(`SameSite=${attributes.sameSite}`);
  return parts.join('; ');
}

/** A Set-Cookie that deletes the cookie: same name, domain and path, empty value, Max-Age=0. */
export function serializeClearCookie(name: string, attributes: CookieAttributes): string {
  return serializeSetCookie(name, '', attributes, 0);
}

export interface ChunkOptions {
  /** Names of the cookies that the request carried: chunks among them that the new value does not reuse are cleared. */
  readonly present: ReadonlySet<string>;
  readonly maxBytes?: number;
}

/**
 * Set-Cookie headers for one logical cookie. A value that fits is written as NAME, and any chunks that the
 * browser still holds are cleared. A value that does not fit is written as NAME.0 … NAME.n-1; NAME itself is
 * always cleared then (the reader prefers NAME), and so are leftover chunks NAME.n … from a longer value.
 */
export function setChunkedCookie(
  name: string,
  value: string,
  attributes: CookieAttributes,
  maxAgeSeconds: number,
  { present, maxBytes = MAX_SET_COOKIE_BYTES }: ChunkOptions,
): string[] {
  const whole = serializeSetCookie(name, value, attributes, maxAgeSeconds);
  const headers: string[] = [];
  let written = 0;
  if (Buffer.byteLength(whole) <= maxBytes) {
    headers.push(whole);
  } else {
    // Budget per chunk: the longest chunk name with an empty value leaves this many bytes for the value.
    const overhead = Buffer.byteLength(
      // Stryker disable next-line ArithmeticOperator: equivalent, the names NAME.7 and NAME.9 have the same length
      serializeSetCookie(chunkName(name, MAX_CHUNKS - 1), '', attributes, maxAgeSeconds),
    );
    const room = maxBytes - overhead;
    if (room <= 0) throw new Error(`cookie attributes of ${name} leave no room for a value`);
    written = Math.ceil(value.length / room);
    if (written > MAX_CHUNKS) throw new CookieTooLargeError(name, written, MAX_CHUNKS);
    for (let index = 0; index < written; index++) {
      headers.push(
        serializeSetCookie(
          chunkName(name, index),
          value.slice(index * room, (index + 1) * room),
          attributes,
          maxAgeSeconds,
        ),
      );
    }
    headers.push(serializeClearCookie(name, attributes));
  }
  for (let index = written; index < MAX_CHUNKS; index++) {
    if (present.has(chunkName(name, index))) headers.push(serializeClearCookie(chunkName(name, index), attributes));
  }
  return headers;
}

/** Set-Cookie headers that delete a logical cookie: NAME always, and every chunk the request carried. */
export function clearChunkedCookie(name: string, attributes: CookieAttributes, present: ReadonlySet<string>): string[] {
  const headers = [serializeClearCookie(name, attributes)];
  for (let index = 0; index < MAX_CHUNKS; index++) {
    if (present.has(chunkName(name, index))) headers.push(serializeClearCookie(chunkName(name, index), attributes));
  }
  return headers;
}
