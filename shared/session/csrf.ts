import { CsrfError } from '../errors/login-errors.js';
import { isSameOriginRequest, type OriginEvidence } from '../http/request-origin.js';
import type { AuthRequest } from './auth-request.js';

/**
 * CSRF defence for the routes that change state (POST /auth/refresh, /auth/logout). SameSite=Lax does not stop
 * a sibling subdomain, which is same-site; so:
 * 1. Proof of origin (shared/http/request-origin.ts, the authorizer's rule too): an `Origin` in
 *    CSRF_ALLOWED_ORIGINS, or `Sec-Fetch-Site: same-origin`. Missing or foreign: 403.
 * 2. For /auth/refresh, a required `X-Requested-With` header: a form cannot send it, and a cross-origin fetch
 *    that sets it needs a CORS preflight that this API never grants.
 * Logout skips 2 so that a plain `<form method="post">` can sign out. `GET /auth/logout` signs out only with the
 * proof of 1, or when the user navigated to it (address bar, bookmark: `Sec-Fetch-Site: none`).
 */
export interface CsrfPolicy {
  readonly allowedOrigins: readonly string[];
  readonly requireCustomHeader: boolean;
}

export const CSRF_HEADER = 'x-requested-with';

function evidenceOf(request: AuthRequest): OriginEvidence {
  return { origin: request.header('origin'), secFetchSite: request.header('sec-fetch-site') };
}

export function checkCsrf(request: AuthRequest, policy: CsrfPolicy): void {
  const evidence = evidenceOf(request);
  if (!isSameOriginRequest(evidence, policy.allowedOrigins)) {
    if (evidence.origin !== undefined && evidence.origin !== 'null')
      throw new CsrfError('origin_not_allowed', 'this request came from an origin that may not call it');
    throw new CsrfError('csrf_check_failed', 'this request does not show that it came from this site');
  }
  if (policy.requireCustomHeader && !request.header(CSRF_HEADER)?.trim()) {
    throw new CsrfError('csrf_check_failed', `this route needs the ${CSRF_HEADER} header`);
  }
}

/** A GET that may change state: sent by one of our pages, or typed or bookmarked by the user. */
export function isOwnNavigation(request: AuthRequest, allowedOrigins: readonly string[]): boolean {
  const evidence = evidenceOf(request);
  return evidence.secFetchSite?.toLowerCase() === 'none' || isSameOriginRequest(evidence, allowedOrigins);
}
