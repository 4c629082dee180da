import { type RequestCookies, readCookie } from '../http/cookies.js';
import type { CookieSettings } from './auth-config.js';
import { constantTimeEqual, openLoginFlow } from './login-flow.js';
import type { CookieSealer } from './seal.js';
import { pendingFlowNames } from './session-cookies.js';

/** Pending logins kept per browser (tabs); a login beyond them drops the oldest, which then must start again. */
export const MAX_PENDING_FLOWS = 3;
/** The Cookie header that a login's callback may receive: under 8 KB, with room for the rest under API Gateway's 10 KB. */
export const COOKIE_HEADER_BUDGET = 8000;

/** The bytes `name=value` adds to a Cookie header, with its `; ` separator. */
export const pairBytes = (name: string, value: string) => Buffer.byteLength(name) + Buffer.byteLength(value) + 3;

/**
 * The flow cookies to delete when a new login starts: expired or foreign ones (another binding), then the
 * oldest, so that at most MAX_PENDING_FLOWS remain with the new one and the Cookie header that the callback
 * receives (this request's, which covers the same paths, plus `newCookieBytes`) stays within the budget.
 */
export function flowsToDrop(
  cookies: RequestCookies,
  settings: CookieSettings,
  sealer: CookieSealer,
  { binding, newCookieBytes, nowSeconds }: { binding: string; newCookieBytes: number; nowSeconds: number },
): string[] {
  const drop: string[] = [];
  const keep: { name: string; expiresAt: number; bytes: number }[] = [];
  for (const name of pendingFlowNames(settings, cookies.keys())) {
    const value = readCookie(cookies, name) ?? '';
    const opened = openLoginFlow(sealer, value, { nowSeconds });
    if (opened.ok && constantTimeEqual(opened.flow.binding, binding))
      keep.push({ name, expiresAt: opened.expiresAt, bytes: pairBytes(name, value) });
    else drop.push(name);
  }
  keep.sort((a, b) => b.expiresAt - a.expiresAt);
  for (const flow of keep.splice(MAX_PENDING_FLOWS - 1)) drop.push(flow.name);
  let headerBytes = newCookieBytes;
  for (const [name, values] of cookies)
    if (!drop.includes(name)) for (const value of values) headerBytes += pairBytes(name, value);
  while (headerBytes > COOKIE_HEADER_BUDGET && keep.length > 0) {
    const oldest = keep.pop()!;
    drop.push(oldest.name);
    headerBytes -= oldest.bytes;
  }
  return drop;
}
