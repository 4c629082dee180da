import { TokenMalformedError, TokenMissingError } from '../errors/gate-error.js';
import { parseRequestCookies, readChunkedCookie } from '../http/cookies.js';
import { type HeaderBag, headerValues } from '../http/headers.js';

export interface TokenSourceEvent extends HeaderBag {
  cookies?: string[] | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
}

/** Where a token may come from: TOKEN_SOURCES lists these, in the order they are tried. */
export type TokenSource =
  | { readonly kind: 'bearer' }
  | { readonly kind: 'cookie' }
  /** `name` in lower case: header names are case-insensitive. */
  | { readonly kind: 'header'; readonly name: string }
  /** `name` as written: query parameter names are case-sensitive. */
  | { readonly kind: 'query'; readonly name: string };

export type TokenOrigin = TokenSource['kind'];
export interface FoundToken {
  readonly token: string;
  readonly origin: TokenOrigin;
}

export interface TokenSourceSettings {
  readonly tokenSources: readonly TokenSource[];
  /** The name the token service writes: `__Host-cg_session` unless COOKIE_SECURE=false (local http). */
  readonly sessionCookieName: string;
  /** Query sources are read on WebSocket `$connect` only, unless this is set (TOKEN_QUERY_ON_HTTP). */
  readonly queryOnHttp: boolean;
}

/** The default, TOKEN_SOURCES=bearer,cookie. */
export const bearerThenCookie = (sessionCookieName: string): TokenSourceSettings => ({
  tokenSources: [{ kind: 'bearer' }, { kind: 'cookie' }],
  sessionCookieName,
  queryOnHttp: false,
});

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
 * whitespace, so BEARER captures exactly what follows `bearer `, and asJwt accepts it. Only a bearer token
 * that findToken would pick is a candidate: callers ask only when bearer is the first source.
 */
export function bearerCandidate(event: TokenSourceEvent): string | undefined {
  const authorization = headerValues(event, 'authorization');
  return authorization.length === 1 ? afterBearer(authorization[0]) : undefined;
}

function fromBearer(event: TokenSourceEvent): FoundToken | undefined {
  const authorization = headerValues(event, 'authorization');
  if (authorization.length > 1) throw new TokenMalformedError('more than one Authorization header');
  const header = authorization[0];
  // The usual `Bearer <jwt>`: one scan of the token instead of three (trim, BEARER, JWT_SHAPE), with the same
  // answer (see bearerCandidate); anything else takes the full path below.
  const candidate = afterBearer(header);
  // Stryker disable next-line ConditionalExpression: equivalent when always false, the full path gives the same token
  if (candidate !== undefined && isJwt(candidate)) return { token: candidate, origin: 'bearer' };
  if (header === undefined || header.trim() === '') return undefined;
  const match = BEARER.exec(header.trim());
  if (!match?.[1]) throw new TokenMalformedError('Authorization header is not "Bearer <token>"');
  return { token: asJwt(match[1], 'Authorization header'), origin: 'bearer' };
}

function fromCookie(event: TokenSourceEvent, sessionCookieName: string): FoundToken | undefined {
  const cookieHeaders = headerValues(event, 'cookie');
  // Stryker disable next-line ConditionalExpression: equivalent when always false, no cookies give no value below
  if (cookieHeaders.length === 0 && (event.cookies?.length ?? 0) === 0) return undefined;
  const value = readChunkedCookie(parseRequestCookies(cookieHeaders, event.cookies), sessionCookieName);
  return value === undefined ? undefined : { token: asJwt(value, 'session cookie'), origin: 'cookie' };
}

/** The raw JWT, nothing around it; sent twice it is refused, as the Authorization header is. */
function fromHeader(event: TokenSourceEvent, name: string): FoundToken | undefined {
  const values = headerValues(event, name);
  if (values.length > 1) throw new TokenMalformedError(`more than one ${name} header`);
  const value = values[0]?.trim();
  return value ? { token: asJwt(value, `${name} header`), origin: 'header' } : undefined;
}

/**
 * REST and WebSocket events list repeated parameters in multiValueQueryStringParameters; HTTP API joins them
 * with commas, which no JWT holds, so a repeated parameter is malformed either way.
 */
function fromQuery(event: TokenSourceEvent, name: string): FoundToken | undefined {
  const multi = event.multiValueQueryStringParameters?.[name];
  if (multi && multi.length > 1) throw new TokenMalformedError(`query parameter ${name} given more than once`);
  const value = (multi?.[0] ?? event.queryStringParameters?.[name])?.trim();
  return value ? { token: asJwt(value, `query parameter ${name}`), origin: 'query' } : undefined;
}

/**
 * The first configured source that is present gives the token. A source that is present but malformed is an
 * error, never a reason to try the next one: an attacker must not choose which credential is read. For the
 * same reason a session cookie that came twice with different values is refused (cookie_duplicated), not
 * picked. Query sources are skipped unless the request is a WebSocket `$connect` or the operator allows them.
 */
export function findToken(
  event: TokenSourceEvent,
  settings: TokenSourceSettings,
  isWebSocketConnect = false,
): FoundToken {
  for (const source of settings.tokenSources) {
    let found: FoundToken | undefined;
    if (source.kind === 'bearer') found = fromBearer(event);
    else if (source.kind === 'cookie') found = fromCookie(event, settings.sessionCookieName);
    else if (source.kind === 'header') found = fromHeader(event, source.name);
    else if (isWebSocketConnect || settings.queryOnHttp) found = fromQuery(event, source.name);
    if (found) return found;
  }
  throw new TokenMissingError('no token in any configured source');
}
