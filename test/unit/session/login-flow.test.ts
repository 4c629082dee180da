import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  flowIdOf,
  openLoginFlow,
  randomToken,
  sealLoginFlow,
  startLoginFlow,
} from '../../../shared/session/login-flow.js';
import { createPkcePair, pkceChallenge } from '../../../shared/session/pkce.js';
import { CookieSealer } from '../../../shared/session/seal.js';

const sealer = new CookieSealer(['unit-test-cookie-secret-0123456789abcdef']);
const NOW = 1_800_000_000;
const BINDING = randomToken();

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes a fresh 43-character verifier each time, with its matching challenge', () => {
    // Act
    const first = createPkcePair();
    const second = createPkcePair();
    // Assess
    expect(first.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.method).toBe('S256');
    expect(first.challenge).toBe(pkceChallenge(first.verifier));
    expect(second.verifier).not.toBe(first.verifier);
  });

  it.each(['short', 'a'.repeat(129), `${'a'.repeat(42)} `])(
    'refuses the verifier %j, which RFC 7636 does not allow',
    (verifier) => {
      expect(() => pkceChallenge(verifier)).toThrow('43 to 128');
    },
  );
});

describe('state and nonce', () => {
  it('are 256-bit random values, different on every login', () => {
    // Act
    const flows = Array.from({ length: 50 }, () => startLoginFlow('/', BINDING));
    // Assess
    const values = flows.flatMap((flow) => [flow.state, flow.nonce, flow.verifier]);
    expect(new Set(values).size).toBe(values.length);
    for (const value of values) expect(Buffer.from(value, 'base64url')).toHaveLength(32);
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('are compared in constant time, and only equal values match', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
  });
});

describe('the sealed login flow', () => {
  it('carries state, nonce, verifier, return path and binding to the callback', () => {
    // Prepare
    const flow = startLoginFlow('/app?x=1', BINDING);
    // Act
    const opened = openLoginFlow(sealer, sealLoginFlow(sealer, flow, { ttlSeconds: 600, nowSeconds: NOW }), {
      nowSeconds: NOW + 10,
    });
    // Assess
    expect(opened).toEqual({
      ok: true,
      flow: { state: flow.state, nonce: flow.nonce, verifier: flow.verifier, returnTo: '/app?x=1', binding: BINDING },
      expiresAt: NOW + 600,
    });
  });

  it('refuses a sealed flow without a binding (one sealed before flows were bound)', () => {
    const unbound = sealer.seal('flow', { s: 'a', n: 'b', v: 'c', r: '/' }, { ttlSeconds: 600, nowSeconds: NOW });
    expect(openLoginFlow(sealer, unbound, { nowSeconds: NOW })).toEqual({ ok: false, why: 'invalid' });
  });

  it('names each flow cookie after its state: stable, cookie-safe, and different per login', () => {
    const [first, second] = [startLoginFlow('/', BINDING), startLoginFlow('/', BINDING)];
    expect(flowIdOf(first.state)).toBe(flowIdOf(first.state));
    expect(flowIdOf(first.state)).toMatch(/^[\w-]{11}$/);
    expect(flowIdOf(first.state)).not.toBe(flowIdOf(second.state));
    expect(flowIdOf(first.state)).not.toBe(first.state.slice(0, 11));
  });

  it('reports a missing cookie, an expired one and a forged one apart', () => {
    const sealed = sealLoginFlow(sealer, startLoginFlow('/', BINDING), { ttlSeconds: 600, nowSeconds: NOW });
    expect(openLoginFlow(sealer, undefined, { nowSeconds: NOW })).toEqual({ ok: false, why: 'missing' });
    expect(openLoginFlow(sealer, sealed, { nowSeconds: NOW + 600 })).toEqual({ ok: false, why: 'expired' });
    // One character in the middle changed: every bit of it counts (the last one may carry ignored padding bits).
    const middle = Math.floor(sealed.length / 2);
    const forged = `${sealed.slice(0, middle)}${sealed[middle] === 'A' ? 'B' : 'A'}${sealed.slice(middle + 1)}`;
    expect(openLoginFlow(sealer, forged, { nowSeconds: NOW })).toEqual({
      ok: false,
      why: 'invalid',
    });
  });

  it.each(['s', 'n', 'v', 'r', 'b'])('refuses a genuinely sealed flow whose %s field is not a string', (field) => {
    // Prepare: sealed with the right key and purpose, but not by sealLoginFlow
    const fields: Record<string, unknown> = { s: 'state', n: 'nonce', v: 'verifier', r: '/', b: BINDING, [field]: 1 };
    const sealed = sealer.seal('flow', fields, { ttlSeconds: 600, nowSeconds: NOW });
    // Act / Assess
    expect(openLoginFlow(sealer, sealed, { nowSeconds: NOW })).toEqual({ ok: false, why: 'invalid' });
  });

  it('reports an empty flow cookie as missing, as a browser sends one it was told to clear', () => {
    expect(openLoginFlow(sealer, '', { nowSeconds: NOW })).toEqual({ ok: false, why: 'missing' });
  });

  it('refuses a refresh cookie presented as a flow cookie', () => {
    const refresh = sealer.seal('refresh', { s: 'a', n: 'b', v: 'c', r: '/' }, { ttlSeconds: 600, nowSeconds: NOW });
    expect(openLoginFlow(sealer, refresh, { nowSeconds: NOW })).toEqual({ ok: false, why: 'invalid' });
  });
});
