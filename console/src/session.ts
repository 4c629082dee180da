import { type ApiResult, callApi, requestUrl } from './api.js';

/** What the token service's GET /auth/me says about the person signed in. */
export interface Me {
  readonly sub: string;
  readonly username: string | null;
  readonly email: string | null;
  readonly groups: readonly string[];
  /** Epoch seconds: when the session's tokens expire unless refreshed. */
  readonly expiresAt: number;
}

/** The token service's routes (functions/auth); the console never sees the tokens behind them. */
const AUTH = {
  login: '/auth/login',
  logout: '/auth/logout',
  me: '/auth/me',
  refresh: '/auth/refresh',
} as const;

export function loadMe(): Promise<ApiResult<Me>> {
  return callApi<Me>({ method: 'GET', path: AUTH.me });
}

/** The header is the token service's CSRF guard: a cross-site form cannot send it. */
export function refreshSession(): Promise<ApiResult<{ expiresAt: number }>> {
  return callApi<{ expiresAt: number }>({
    method: 'POST',
    path: AUTH.refresh,
    headers: { 'x-requested-with': 'cognito-gate-console' },
  });
}

/** A link, not a fetch: the sign-in is a chain of redirects through the hosted UI. */
export function signInUrl(returnTo: string): string {
  return requestUrl({ path: AUTH.login, query: { return_to: returnTo } });
}

/** A form posts here: the token service revokes the refresh token, clears the cookies and redirects. */
export function signOutAction(returnTo: string): string {
  return requestUrl({ path: AUTH.logout, query: { return_to: returnTo } });
}
