/**
 * One definition of the cookie names: the token service writes them, the authorizer reads the session cookie.
 *
 * With Secure cookies (every deployed stage) a browser keeps a `__Host-` cookie only if it is Secure, has
 * Path=/ and no Domain, so a sibling subdomain can neither set nor shadow one; a `__Secure-` cookie only has
 * to be Secure. Local http (COOKIE_SECURE=false, loopback only) cannot keep either and uses the bare names.
 */
export const HOST_PREFIX = '__Host-';
export const SECURE_PREFIX = '__Secure-';

/** The default base name of the session cookie (SESSION_COOKIE_NAME). */
export const DEFAULT_SESSION_COOKIE_BASE = 'cg_session';

/** A name for a cookie at Path=/ without Domain: `__Host-<base>` when Secure. */
export function hostCookieName(base: string, { secure }: { secure: boolean }): string {
  return secure ? `${HOST_PREFIX}${base}` : base;
}

/** A name for a path-scoped cookie: `__Secure-<base>` when Secure. */
export function secureCookieName(base: string, { secure }: { secure: boolean }): string {
  return secure ? `${SECURE_PREFIX}${base}` : base;
}

/** The session cookie's name, the same for the writer and the reader. */
export function sessionCookieName(base: string, { secure }: { secure: boolean }): string {
  return hostCookieName(base, { secure });
}

/** Browsers match the prefixes without regard to case. */
export function hasHostPrefix(name: string): boolean {
  return name.slice(0, HOST_PREFIX.length).toLowerCase() === HOST_PREFIX.toLowerCase();
}

export function hasSecurePrefix(name: string): boolean {
  return name.slice(0, SECURE_PREFIX.length).toLowerCase() === SECURE_PREFIX.toLowerCase();
}
