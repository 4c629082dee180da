import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { GateError, statusOf } from '../errors/gate-error.js';
import { errorToResponse } from '../http/error-response.js';
import { jsonResponse } from '../http/json-response.js';

/**
 * Responses of the token service. Set-Cookie goes in the payload-2.0 `cookies` array (API Gateway HTTP API
 * and serverless-offline both turn each entry into its own Set-Cookie header). Nothing here is cacheable,
 * and no URL with a code in it leaks through Referer.
 */
export type AuthResponse = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> };

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
} as const;

function withCookies(response: AuthResponse, cookies: readonly string[]): AuthResponse {
  return cookies.length > 0 ? { ...response, cookies: [...cookies] } : response;
}

export function redirectResponse(location: string, cookies: readonly string[] = []): AuthResponse {
  return withCookies({ statusCode: 302, headers: { ...COMMON_HEADERS, location }, body: '' }, cookies);
}

export function jsonResult(statusCode: number, body: unknown, cookies: readonly string[] = []): AuthResponse {
  const { headers, ...response } = jsonResponse(statusCode, body, COMMON_HEADERS);
  return withCookies({ ...response, headers: headers as Record<string, string> }, cookies);
}

/** The quality an Accept header gives a media type, with `type/*` and `*\/*` as fallbacks. */
function quality(accept: string, type: string): number {
  const [major] = type.split('/');
  let exact: number | undefined;
  let partial: number | undefined;
  let any: number | undefined;
  for (const entry of accept.split(',')) {
    const [range = '', ...params] = entry.trim().toLowerCase().split(';');
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    const value = Number.isFinite(q) ? q : 0;
    const mediaRange = range.trim();
    if (mediaRange === type) exact = Math.max(exact ?? 0, value);
    else if (mediaRange === `${major}/*`) partial = Math.max(partial ?? 0, value);
    else if (mediaRange === '*/*') any = Math.max(any ?? 0, value);
  }
  return exact ?? partial ?? any ?? 0;
}

/** HTML only for a client that prefers it to JSON (a browser navigating); API clients and `*\/*` get JSON. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  return quality(accept, 'text/html') > quality(accept, 'application/json');
}

class SafeHtml {
  constructor(readonly value: string) {}
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A template tag that escapes every interpolated string; nested `html` fragments are kept as they are. */
function html(strings: TemplateStringsArray, ...values: Array<string | number | SafeHtml>): SafeHtml {
  return new SafeHtml(
    strings.reduce((out, text, index) => {
      const value = values[index - 1]!;
      return out + (value instanceof SafeHtml ? value.value : escapeHtml(String(value))) + text;
    }),
  );
}

function headline(status: number): string {
  if (status === 401) return 'You are not signed in';
  if (status === 403) return 'This request was refused';
  if (status === 404) return 'Not found';
  if (status >= 500) return 'Sign-in is unavailable right now';
  return 'Sign-in did not complete';
}

function errorPage(status: number, code: string, message: string, loginPath: string): string {
  const title = headline(status);
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body>
<main>
<h1>${title}</h1>
<p role="alert">${message}</p>
<p><small>Error code: <code>${code}</code></small></p>
<p><a href="${loginPath}">Sign in again</a></p>
</main>
</body>
</html>
`.value;
}

const PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * GET /auth/logout that no page of ours sent (a link on another site, or a browser without Sec-Fetch-Site): a
 * page that asks, whose form POSTs from this origin. Its Referrer-Policy lets that POST carry our Origin, and
 * its form-action names the origins the sign-out redirects through (browsers check every hop).
 */
export function logoutConfirmationPage(action: string, redirectOrigins: readonly string[]): AuthResponse {
  const body = html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign out?</title></head>
<body>
<main>
<h1>Sign out?</h1>
<form method="post" action="${action}"><button type="submit">Sign out</button></form>
</main>
</body>
</html>
`.value;
  return {
    statusCode: 200,
    headers: {
      ...COMMON_HEADERS,
      'referrer-policy': 'same-origin',
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action ${[
        "'self'",
        ...redirectOrigins,
      ].join(' ')}`,
    },
    body,
  };
}

/**
 * An error as the client wants it: an HTML page for a browser, `{"error":{"code","message"}}` otherwise.
 * A GateError shows its own status and message; anything else is a bare 500 that reveals nothing.
 */
export function errorResult(
  error: unknown,
  { accept, cookies = [], loginPath }: { accept: string | undefined; cookies?: readonly string[]; loginPath: string },
): AuthResponse {
  const json = errorToResponse(error);
  if (!prefersHtml(accept)) {
    return withCookies(
      { ...json, headers: { ...(json.headers as Record<string, string>), ...COMMON_HEADERS } },
      cookies,
    );
  }
  const gate = error instanceof GateError ? error : undefined;
  const status = statusOf(error);
  const body = errorPage(
    status,
    gate?.reason ?? 'internal',
    gate?.message ?? 'Something went wrong on our side. Please try again.',
    loginPath,
  );
  return withCookies(
    {
      statusCode: status,
      headers: {
        ...COMMON_HEADERS,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': PAGE_CSP,
      },
      body,
    },
    cookies,
  );
}
