import { TokenMalformedError, TokenMissingError } from '../errors/gate-error.js';
import { parseRequestCookies, readChunkedCookie } from '../http/cookies.js';
import { type HeaderBag, headerValues } from '../http/headers.js';

export interface TokenSourceEvent extends HeaderBag {
  cookies?: string[] | null;
}

export type TokenOrigin = 'bearer' | 'cookie';
export interface FoundToken {
  readonly token: string;
  readonly origin: TokenOrigin;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;
const MAX_TOKEN_LENGTH = 16 * 1024;

const isJwt = (candidate: string) => candidate.length <= MAX_TOKEN_LENGTH && JWT_SHAPE.test(candidate);

function asJwt(candidate: string, where: string): string {
  if (!isJwt(candidate)) throw new TokenMalformedError(`${where} does not hold a JWT`);
  return candidate;
}

/** `bearer <rest>` (any case, one space): rest, with no check at all; else undefined. */
function afterBearer(header: string | undefined): string | undefined {
  return header && header.charCodeAt(6) === 32 && header.length > 7 && header.slice(0, 6).toLowerCase() === 'bearer'
    ? header.slice(7)
    : undefined;
}

/**
 * What findToken would return for this event's bearer header, provided that it is a JWT: the decision cache
 * uses it before findToken's checks, for only a token that passed them before can hit. A JWT has no
 * whitespace, so BEARER captures exactly what follows `bearer `, and asJwt accepts it.
 */
export function bearerCandidate(event: TokenSourceEvent): string | undefined {
  const authorization = headerValues(event, 'authorization');
  return authorization.length === 1 ? afterBearer(authorization[0]) : undefined;
}

/**
 * The bearer header wins over the session cookie. A header that is present but malformed is an error, never
 * a reason to fall back to the cookie: an attacker must not choose which credential is read. For the same
 * reason a session cookie that came twice with different values is refused (cookie_duplicated), not picked.
 */
export function findToken(event: TokenSourceEvent, sessionCookieName: string): FoundToken {
  const authorization = headerValues(event, 'authorization');
  if (authorization.length > 1) throw new TokenMalformedError('more than one Authorization header');
  const header = authorization[0];
  // The usual `Bearer <jwt>`: one scan of the token instead of three (trim, BEARER, JWT_SHAPE), with the same
  // answer (see bearerCandidate); anything else takes the full path below.
  const candidate = afterBearer(header);
  if (candidate !== undefined && isJwt(candidate)) return { token: candidate, origin: 'bearer' };
  if (header !== undefined && header.trim() !== '') {
    const match = BEARER.exec(header.trim());
    if (!match?.[1]) throw new TokenMalformedError('Authorization header is not "Bearer <token>"');
    return { token: asJwt(match[1], 'Authorization header'), origin: 'bearer' };
  }
  const cookieHeaders = headerValues(event, 'cookie');
  if (cookieHeaders.length > 0 || (event.cookies?.length ?? 0) > 0) {
    const value = readChunkedCookie(parseRequestCookies(cookieHeaders, event.cookies), sessionCookieName);
    if (value !== undefined) return { token: asJwt(value, 'session cookie'), origin: 'cookie' };
  }
  throw new TokenMissingError('no bearer token and no session cookie');
}
