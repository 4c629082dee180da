import { CsrfError } from './auth-errors.js';
import type { AuthRequest } from './auth-request.js';

/**
 * CSRF defence for the state-changing routes (POST /auth/refresh, POST /auth/logout). Three layers:
 * 1. SameSite=Lax on every cookie: a cross-site POST does not carry them at all.
 * 2. Origin: when the browser sends it (every modern browser does on POST), it must be an allowed origin;
 *    `Sec-Fetch-Site: cross-site` is refused too.
 * 3. For /auth/refresh, a required `X-Requested-With` header: a cross-site form cannot set it, and a
 *    cross-origin fetch that sets it needs a CORS preflight that this API never grants.
 * Logout skips layer 3 so that a plain `<form method="post">` can sign out.
 */
export interface CsrfPolicy {
  readonly allowedOrigins: readonly string[];
  readonly requireCustomHeader: boolean;
}

export const CSRF_HEADER = 'x-requested-with';

export function checkCsrf(request: AuthRequest, policy: CsrfPolicy): void {
  const origin = request.header('origin');
  if (origin !== undefined && !policy.allowedOrigins.includes(origin)) {
    throw new CsrfError('origin_not_allowed', 'this request came from an origin that may not call it');
  }
  if (request.header('sec-fetch-site')?.toLowerCase() === 'cross-site') {
    throw new CsrfError('csrf_check_failed', 'cross-site requests may not call this route');
  }
  if (policy.requireCustomHeader && !request.header(CSRF_HEADER)?.trim()) {
    throw new CsrfError('csrf_check_failed', `this route needs the ${CSRF_HEADER} header`);
  }
}
