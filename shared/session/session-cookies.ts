import { chunkFamily } from '../http/cookies.js';
import type { CookieSettings } from './auth-config.js';
import {
  type CookieAttributes,
  clearChunkedCookie,
  serializeClearCookie,
  serializeSetCookie,
  setChunkedCookie,
} from './cookie-codec.js';
import { flowIdOf } from './login-flow.js';

/**
 * The cookies of a browser session. All HttpOnly, SameSite=Lax, Secure (unless local http said otherwise),
 * none with a Domain. The names are made in shared/session/auth-config.ts from shared/http/cookie-names.ts.
 *
 * | cookie                  | holds                                       | Path      | Max-Age                        |
 * | __Host-cg_session       | the access token, which the authorizer reads | /         | until the access token expires |
 * | __Host-cg_bind          | 256 random bits naming this browser         | /         | REFRESH_COOKIE_MAX_AGE_SECONDS |
 * | __Secure-cg_refresh     | refresh token, sub, binding, email: sealed  | auth base | REFRESH_COOKIE_MAX_AGE_SECONDS |
 * | __Secure-cg_flow_<id>   | one pending login (<id> from its state): sealed | auth base | LOGIN_FLOW_TTL_SECONDS      |
 *
 * Binding, against a sibling subdomain (evil.example.com beside app.example.com): the sibling can set cookies
 * for the parent domain, with any path and any name but a `__Host-` one, and it cannot read ours. The session
 * and binding cookies are `__Host-`, so it cannot plant or shadow them. The refresh and flow cookies stay
 * path-scoped (the refresh token never reaches the APIs, and their Cookie header stays small), so they cannot
 * be `__Host-` and a sibling could plant its own; but each carries, sealed, the value of the browser's binding
 * cookie and is refused unless that matches. A planted one carries the attacker's binding value, not the
 * victim's, which the attacker can neither read nor replace. Readers also refuse any of these names sent twice.
 * No ID token is kept: /auth/me reads the access token, and the email from the sealed refresh cookie.
 */
export interface CookiePlan {
  /** Path=/: the session and binding cookies. */
  readonly root: CookieAttributes;
  /** Path=<auth base>: the refresh and flow cookies, sent to this function's routes only. */
  readonly auth: CookieAttributes;
}

export function cookiePlan(settings: CookieSettings): CookiePlan {
  const base = { httpOnly: true, secure: settings.secure, sameSite: 'Lax' } as const;
  return { root: { ...base, path: '/' }, auth: { ...base, path: settings.authBasePath } };
}

export interface IssuedSession {
  readonly accessToken: string;
  readonly accessExpiresAt: number;
  readonly sealedRefresh?: { readonly value: string; readonly maxAgeSeconds: number };
  readonly binding?: { readonly value: string; readonly maxAgeSeconds: number };
}

/** Set-Cookie headers for a fresh or renewed session; leftover chunks and retired cookies are cleared. */
export function sessionCookies(
  settings: CookieSettings,
  session: IssuedSession,
  { nowSeconds, present }: { nowSeconds: number; present: ReadonlySet<string> },
): string[] {
  const plan = cookiePlan(settings);
  const headers = setChunkedCookie(
    settings.sessionName,
    session.accessToken,
    plan.root,
    session.accessExpiresAt - nowSeconds,
    { present },
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
  if (session.binding) headers.push(bindingCookie(settings, session.binding.value, session.binding.maxAgeSeconds));
  headers.push(...retiredCookieClears(settings, present));
  return headers;
}

/** Set-Cookie headers that end the session: every cookie and chunk the browser sent, flows and binding too. */
export function clearedSessionCookies(settings: CookieSettings, present: ReadonlySet<string>): string[] {
  const plan = cookiePlan(settings);
  return [
    ...clearChunkedCookie(settings.sessionName, plan.root, present),
    ...clearChunkedCookie(settings.refreshName, plan.auth, present),
    serializeClearCookie(settings.bindName, plan.root),
    ...pendingFlowNames(settings, present).map((name) => clearedFlowCookie(settings, name)),
    ...retiredCookieClears(settings, present),
  ];
}

export function bindingCookie(settings: CookieSettings, value: string, maxAgeSeconds: number): string {
  return serializeSetCookie(settings.bindName, value, cookiePlan(settings).root, maxAgeSeconds);
}

/** The flow cookie of the login whose `state` this is. */
export function flowCookieName(settings: CookieSettings, state: string): string {
  return `${settings.flowNamePrefix}${flowIdOf(state)}`;
}

/** Names of the flow cookies among `present`: the logins this browser has pending. */
export function pendingFlowNames(settings: CookieSettings, present: Iterable<string>): string[] {
  return [...present].filter((name) => name.startsWith(settings.flowNamePrefix));
}

export function flowCookie(settings: CookieSettings, name: string, sealed: string, ttlSeconds: number): string {
  return serializeSetCookie(name, sealed, cookiePlan(settings).auth, ttlSeconds);
}

export function clearedFlowCookie(settings: CookieSettings, name: string): string {
  return serializeClearCookie(name, cookiePlan(settings).auth);
}

/** Clears for the cookies earlier versions wrote (the ID token cookie, unprefixed names), when still sent. */
function retiredCookieClears(settings: CookieSettings, present: ReadonlySet<string>): string[] {
  const base = cookiePlan(settings).root;
  return settings.retired.flatMap(({ name, path }) =>
    chunkFamily(name)
      .filter((member) => present.has(member))
      .map((member) => serializeClearCookie(member, { ...base, path })),
  );
}
