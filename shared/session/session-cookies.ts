import type { CookieSettings } from '../config/auth-config.js';
import {
  type CookieAttributes,
  clearChunkedCookie,
  serializeClearCookie,
  serializeSetCookie,
  setChunkedCookie,
} from './cookie-codec.js';

/**
 * The cookies of a signed-in browser. All HttpOnly, SameSite=Lax, Secure (unless local dev said otherwise):
 * | cookie            | holds                          | Path               | Max-Age                        |
 * | SESSION_COOKIE_NAME | access token (the authorizer reads it) | /          | until the access token expires |
 * | <prefix>_id       | ID token, for /auth/me         | auth base (/auth)  | until the ID token expires     |
 * | <prefix>_refresh  | refresh token, sealed          | auth base (/auth)  | REFRESH_COOKIE_MAX_AGE_SECONDS |
 * | <prefix>_flow     | login flow, sealed             | callback path      | LOGIN_FLOW_TTL_SECONDS         |
 * The refresh cookie's Path is the auth base rather than /auth/refresh so that /auth/logout receives it to
 * revoke it: one copy, sealed, sent only to this function's routes, never to the APIs.
 */
export interface CookiePlan {
  readonly session: CookieAttributes;
  readonly auth: CookieAttributes;
  readonly flow: CookieAttributes;
}

export function cookiePlan(settings: CookieSettings): CookiePlan {
  const base = { httpOnly: true, secure: settings.secure, sameSite: 'Lax' } as const;
  return {
    session: { ...base, path: '/' },
    auth: { ...base, path: settings.authBasePath },
    flow: { ...base, path: settings.callbackPath },
  };
}

export interface IssuedSession {
  readonly accessToken: string;
  readonly accessExpiresAt: number;
  readonly idToken?: { readonly value: string; readonly expiresAt: number };
  readonly sealedRefresh?: { readonly value: string; readonly maxAgeSeconds: number };
}

/** Set-Cookie headers for a fresh session; leftover chunks of the previous one are cleared. */
export function sessionCookies(
  settings: CookieSettings,
  session: IssuedSession,
  { nowSeconds, present }: { nowSeconds: number; present: ReadonlySet<string> },
): string[] {
  const plan = cookiePlan(settings);
  const headers = setChunkedCookie(
    settings.sessionName,
    session.accessToken,
    plan.session,
    session.accessExpiresAt - nowSeconds,
    { present },
  );
  if (session.idToken)
    headers.push(
      ...setChunkedCookie(settings.idName, session.idToken.value, plan.auth, session.idToken.expiresAt - nowSeconds, {
        present,
      }),
    );
  if (session.sealedRefresh)
    headers.push(
      ...setChunkedCookie(
        settings.refreshName,
        session.sealedRefresh.value,
        plan.auth,
        session.sealedRefresh.maxAgeSeconds,
        { present },
      ),
    );
  return headers;
}

/** Set-Cookie headers that end the session: every cookie, every chunk the browser sent, and the flow cookie. */
export function clearedSessionCookies(settings: CookieSettings, present: ReadonlySet<string>): string[] {
  const plan = cookiePlan(settings);
  return [
    ...clearChunkedCookie(settings.sessionName, plan.session, present),
    ...clearChunkedCookie(settings.idName, plan.auth, present),
    ...clearChunkedCookie(settings.refreshName, plan.auth, present),
    clearedFlowCookie(settings),
  ];
}

export function flowCookie(settings: CookieSettings, sealed: string, ttlSeconds: number): string {
  return serializeSetCookie(settings.flowName, sealed, cookiePlan(settings).flow, ttlSeconds);
}

export function clearedFlowCookie(settings: CookieSettings): string {
  return serializeClearCookie(settings.flowName, cookiePlan(settings).flow);
}
