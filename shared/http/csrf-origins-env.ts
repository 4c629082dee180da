import type { EnvReader } from '../config/env-reader.js';
import { isSecureOrLoopback } from '../config/url-policy.js';
import { ConfigError } from '../errors/gate-error.js';

/**
 * CSRF_ALLOWED_ORIGINS, read alike by the authorizer and the token service: the origins whose pages may send a
 * state-changing request that a cookie authenticates. Each entry an exact origin, https (http only on loopback,
 * for the local stack), normalised as a browser writes it in `Origin`. Empty when unset: each function then
 * falls back to its own origin.
 */
export function csrfAllowedOriginsFromEnv(read: EnvReader): string[] {
  return read.list('CSRF_ALLOWED_ORIGINS', { required: false }).map((origin) => {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {}
    const isOrigin = url?.origin === origin.replace(/\/$/, '').toLowerCase();
    if (!url || !isOrigin || !isSecureOrLoopback(url))
      throw new ConfigError(
        `CSRF_ALLOWED_ORIGINS holds "${origin}", which is not an origin (https, or http on loopback) like https://app.example.com`,
      );
    return url.origin;
  });
}
