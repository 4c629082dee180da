import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createPkcePair } from './pkce.js';
import type { CookieSealer } from './seal.js';

/**
 * What binds a callback to the browser that started the login: state (CSRF on the callback), nonce (ties
 * the ID token to this login), the PKCE verifier (ties the code to this login), the browser's binding value
 * (ties the flow cookie to the browser's `__Host-` binding cookie) and where to go afterwards. It travels
 * only inside the sealed, short-lived flow cookie.
 */
export interface LoginFlow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly returnTo: string;
  readonly binding: string;
}

/** 256 bits of randomness, base64url: unguessable and safe in a URL without encoding. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function startLoginFlow(returnTo: string, binding: string): LoginFlow & { readonly challenge: string } {
  const pkce = createPkcePair();
  return {
    state: randomToken(),
    nonce: randomToken(),
    verifier: pkce.verifier,
    challenge: pkce.challenge,
    returnTo,
    binding,
  };
}

/** The flow cookie's own name part: one cookie per pending login, found again from the callback's `state`. */
export function flowIdOf(state: string): string {
  return createHash('sha256').update(state).digest('base64url').slice(0, 11);
}

/** Compares secrets without leaking where they differ or how long they are (both sides are hashed first). */
export function constantTimeEqual(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a).digest();
  const digestB = createHash('sha256').update(b).digest();
  // Stryker disable next-line ConditionalExpression: equivalent, equal SHA-256 digests already mean equal strings
  return timingSafeEqual(digestA, digestB) && a.length === b.length;
}

export function sealLoginFlow(
  sealer: CookieSealer,
  flow: LoginFlow,
  { ttlSeconds, nowSeconds }: { ttlSeconds: number; nowSeconds: number },
): string {
  const { state, nonce, verifier, returnTo, binding } = flow;
  return sealer.seal('flow', { s: state, n: nonce, v: verifier, r: returnTo, b: binding }, { ttlSeconds, nowSeconds });
}

export type OpenedFlow =
  | { readonly ok: true; readonly flow: LoginFlow; readonly expiresAt: number }
  | { readonly ok: false; readonly why: 'missing' | 'invalid' | 'expired' };

export function openLoginFlow(
  sealer: CookieSealer,
  sealed: string | undefined,
  { nowSeconds }: { nowSeconds: number },
): OpenedFlow {
  if (sealed === undefined || sealed === '') return { ok: false, why: 'missing' };
  const opened = sealer.open<{ s?: unknown; n?: unknown; v?: unknown; r?: unknown; b?: unknown }>('flow', sealed, {
    nowSeconds,
  });
  if (!opened.ok) return { ok: false, why: opened.why === 'expired' ? 'expired' : 'invalid' };
  const { s, n, v, r, b } = opened.data ?? {};
  if (
    typeof s !== 'string' ||
    typeof n !== 'string' ||
    typeof v !== 'string' ||
    typeof r !== 'string' ||
    typeof b !== 'string'
  )
    return { ok: false, why: 'invalid' };
  return {
    ok: true,
    flow: { state: s, nonce: n, verifier: v, returnTo: r, binding: b },
    expiresAt: opened.expiresAt,
  };
}
