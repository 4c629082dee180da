import type { EnvReader } from '../config/env-reader.js';
import { ConfigError } from '../errors/gate-error.js';
import { DEFAULT_SESSION_COOKIE_BASE, hasHostPrefix, hasSecurePrefix, sessionCookieName } from './cookie-names.js';
import { isCookieName } from './cookies.js';

export interface SessionCookieSetting {
  /** SESSION_COOKIE_NAME as configured, without a prefix. */
  readonly base: string;
  /** The name on the wire: `__Host-<base>` when secure. */
  readonly name: string;
  /** COOKIE_SECURE: false only for local http, which each function checks for itself. */
  readonly secure: boolean;
}

/** SESSION_COOKIE_NAME and COOKIE_SECURE, read alike by the authorizer and the token service. */
export function sessionCookieFromEnv(read: EnvReader): SessionCookieSetting {
  const base = read.optional('SESSION_COOKIE_NAME') ?? DEFAULT_SESSION_COOKIE_BASE;
  if (!isCookieName(base)) throw new ConfigError(`SESSION_COOKIE_NAME is not a valid cookie name: "${base}"`);
  if (hasHostPrefix(base) || hasSecurePrefix(base))
    throw new ConfigError('SESSION_COOKIE_NAME must be a bare name: __Host- is added when COOKIE_SECURE is true');
  const secure = read.boolean('COOKIE_SECURE', true);
  return { base, name: sessionCookieName(base, { secure }), secure };
}
