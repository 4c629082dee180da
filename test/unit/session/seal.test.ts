import { describe, expect, it } from 'vitest';
import { CookieSealer } from '../../../shared/session/seal.js';

const SECRET = 'unit-test-cookie-secret-0123456789abcdef';
const NOW = 1_800_000_000;

/** Flips one bit of the sealed bytes (not of the "v1." prefix). */
function flipBit(sealed: string, byteIndex: number): string {
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  raw[byteIndex] = raw[byteIndex]! ^ 0x01;
  return `v1.${raw.toString('base64url')}`;
}

describe('the cookie sealer (AES-256-GCM, HKDF keys per purpose)', () => {
  it('opens what it sealed, before the expiry inside the seal', () => {
    // Prepare
    const sealer = new CookieSealer([SECRET]);
    const sealed = sealer.seal('refresh', { t: 'refresh-token', sub: 'u1' }, { ttlSeconds: 60, nowSeconds: NOW });
    // Act
    const opened = sealer.open('refresh', sealed, { nowSeconds: NOW + 59 });
    // Assess
    expect(opened).toEqual({ ok: true, data: { t: 'refresh-token', sub: 'u1' }, expiresAt: NOW + 60 });
  });

  it('produces an RFC 6265 cookie value that does not reveal the plaintext', () => {
    const sealed = new CookieSealer([SECRET]).seal(
      'refresh',
      { t: 'visible-secret' },
      { ttlSeconds: 60, nowSeconds: NOW },
    );
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(Buffer.from(sealed.slice(3), 'base64url').toString('latin1')).not.toContain('visible-secret');
  });

  it('refuses a sealed value once its expiry has passed, however long the cookie was kept', () => {
    const sealer = new CookieSealer([SECRET]);
    const sealed = sealer.seal('flow', { s: 'state' }, { ttlSeconds: 600, nowSeconds: NOW });
    expect(sealer.open('flow', sealed, { nowSeconds: NOW + 600 })).toEqual({ ok: false, why: 'expired' });
  });

  it.each([
    ['the IV', 0],
    ['the ciphertext', 14],
    ['the authentication tag', -1],
  ])('refuses a value with one bit flipped in %s', (_part, index) => {
    // Prepare
    const sealer = new CookieSealer([SECRET]);
    const sealed = sealer.seal('flow', { s: 'state' }, { ttlSeconds: 600, nowSeconds: NOW });
    const length = Buffer.from(sealed.slice(3), 'base64url').length;
    // Act
    const opened = sealer.open('flow', flipBit(sealed, index < 0 ? length + index : index), { nowSeconds: NOW });
    // Assess
    expect(opened).toEqual({ ok: false, why: 'tampered' });
  });

  it('refuses a value sealed for another purpose (a flow cookie is not a refresh cookie)', () => {
    const sealer = new CookieSealer([SECRET]);
    const sealed = sealer.seal('flow', { t: 'x', sub: 'y' }, { ttlSeconds: 600, nowSeconds: NOW });
    expect(sealer.open('refresh', sealed, { nowSeconds: NOW })).toEqual({ ok: false, why: 'tampered' });
  });

  it('refuses a value sealed with another secret', () => {
    const sealed = new CookieSealer(['another-secret-that-is-long-enough-000000']).seal(
      'flow',
      {},
      { ttlSeconds: 600, nowSeconds: NOW },
    );
    expect(new CookieSealer([SECRET]).open('flow', sealed, { nowSeconds: NOW })).toEqual({
      ok: false,
      why: 'tampered',
    });
  });

  it.each(['', 'v1.', 'v2.AAAA', 'v1.not base64!', `v1.${'A'.repeat(20_000)}`, 'eyJhbGciOiJub25lIn0.e30.'])(
    'refuses the malformed value %j',
    (value) => {
      expect(new CookieSealer([SECRET]).open('flow', value, { nowSeconds: NOW })).toMatchObject({ ok: false });
    },
  );

  it('opens values sealed with an older secret kept second, and seals with the first', () => {
    // Prepare
    const oldSecret = 'the-old-cookie-secret-0123456789abcdefgh';
    const sealedBefore = new CookieSealer([oldSecret]).seal('refresh', { t: 'x' }, { ttlSeconds: 60, nowSeconds: NOW });
    const rotated = new CookieSealer([SECRET, oldSecret]);
    // Act
    const opened = rotated.open('refresh', sealedBefore, { nowSeconds: NOW });
    const sealedAfter = rotated.seal('refresh', { t: 'y' }, { ttlSeconds: 60, nowSeconds: NOW });
    // Assess
    expect(opened).toMatchObject({ ok: true, data: { t: 'x' } });
    expect(new CookieSealer([SECRET]).open('refresh', sealedAfter, { nowSeconds: NOW })).toMatchObject({
      ok: true,
      data: { t: 'y' },
    });
  });

  it('deflates before sealing when asked, and opens that as any other sealed value', () => {
    // Prepare: a refresh token shaped like Cognito's, 1.8 KB of base64url.
    const sealer = new CookieSealer([SECRET]);
    const token = Buffer.alloc(1330, 7).toString('base64url');
    // Act
    const plain = sealer.seal('refresh', { t: token }, { ttlSeconds: 60, nowSeconds: NOW });
    const deflated = sealer.seal('refresh', { t: token }, { ttlSeconds: 60, nowSeconds: NOW, deflate: true });
    // Assess
    expect(deflated).toMatch(/^z1\.[A-Za-z0-9_-]+$/);
    expect(deflated.length).toBeLessThan(plain.length / 2);
    expect(sealer.open('refresh', deflated, { nowSeconds: NOW })).toMatchObject({ ok: true, data: { t: token } });
  });

  it('refuses a deflated value relabelled as plain, and a plain one relabelled as deflated', () => {
    const sealer = new CookieSealer([SECRET]);
    const deflated = sealer.seal('refresh', { t: 'x' }, { ttlSeconds: 60, nowSeconds: NOW, deflate: true });
    const plain = sealer.seal('refresh', { t: 'x' }, { ttlSeconds: 60, nowSeconds: NOW });
    expect(sealer.open('refresh', `v1.${deflated.slice(3)}`, { nowSeconds: NOW })).toEqual({
      ok: false,
      why: 'tampered',
    });
    expect(sealer.open('refresh', `z1.${plain.slice(3)}`, { nowSeconds: NOW })).toEqual({ ok: false, why: 'tampered' });
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => new CookieSealer(['short'])).toThrow('at least 32 characters');
  });
});
