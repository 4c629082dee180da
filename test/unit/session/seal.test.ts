import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CookieSealer, type SealPurpose } from '../../../shared/session/seal.js';

const SECRET = 'unit-test-cookie-secret-0123456789abcdef';
const NOW = 1_800_000_000;

/**
 * Seals a payload by the documented v1 format, independently of CookieSealer: HKDF-SHA256 key from the secret
 * (salt "cognito-gate cookie seal", info "cognito-gate v1 <purpose>"), AES-256-GCM with the AAD
 * "cognito-gate/v1/<purpose>", then "v1." and base64url of IV, ciphertext and tag.
 */
function sealByHand(purpose: SealPurpose, payload: unknown, secret = SECRET): string {
  const key = Buffer.from(hkdfSync('sha256', secret, 'cognito-gate cookie seal', `cognito-gate v1 ${purpose}`, 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`cognito-gate/v1/${purpose}`));
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

function openByHand(purpose: SealPurpose, sealed: string, secret = SECRET): unknown {
  const key = Buffer.from(hkdfSync('sha256', secret, 'cognito-gate cookie seal', `cognito-gate v1 ${purpose}`, 32));
  const raw = Buffer.from(sealed.slice('v1.'.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(`cognito-gate/v1/${purpose}`));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return JSON.parse(
    Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8'),
  );
}

/** A value of the v1 shape whose body is `bytes` random bytes: it can only fail authentication. */
const randomBody = (bytes: number) => `v1.${randomBytes(bytes).toString('base64url')}`;

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
      expect(new CookieSealer([SECRET]).open('flow', value, { nowSeconds: NOW })).toEqual({
        ok: false,
        why: 'malformed',
      });
    },
  );

  it('opens a value sealed by hand in the documented v1 format, so cookies survive a release', () => {
    // Prepare
    const sealed = sealByHand('refresh', { p: 'refresh', exp: NOW + 60, d: { t: 'café ☕' } });
    // Act
    const opened = new CookieSealer([SECRET]).open('refresh', sealed, { nowSeconds: NOW });
    // Assess
    expect(opened).toEqual({ ok: true, data: { t: 'café ☕' }, expiresAt: NOW + 60 });
  });

  it('seals in the documented v1 format, non-ASCII data included', () => {
    // Prepare
    const sealed = new CookieSealer([SECRET]).seal('flow', { s: 'état ☕' }, { ttlSeconds: 60, nowSeconds: NOW });
    // Act
    const payload = openByHand('flow', sealed);
    // Assess
    expect(payload).toEqual({ p: 'flow', exp: NOW + 60, d: { s: 'état ☕' } });
  });

  it('refuses an authentic payload that names another purpose (defence in depth behind the per-purpose keys)', () => {
    const sealed = sealByHand('flow', { p: 'refresh', exp: NOW + 60, d: {} });
    expect(new CookieSealer([SECRET]).open('flow', sealed, { nowSeconds: NOW })).toEqual({
      ok: false,
      why: 'tampered',
    });
  });

  it('refuses an authentic payload whose expiry is not a number', () => {
    const sealed = sealByHand('flow', { p: 'flow', exp: String(NOW + 60), d: {} });
    expect(new CookieSealer([SECRET]).open('flow', sealed, { nowSeconds: NOW })).toEqual({
      ok: false,
      why: 'tampered',
    });
  });

  it('refuses a value of another format version even when its body is authentic', () => {
    // Prepare
    const sealed = new CookieSealer([SECRET]).seal('flow', {}, { ttlSeconds: 60, nowSeconds: NOW });
    // Act
    const opened = new CookieSealer([SECRET]).open('flow', `v2.${sealed.slice(3)}`, { nowSeconds: NOW });
    // Assess
    expect(opened).toEqual({ ok: false, why: 'malformed' });
  });

  it.each([
    ['before', (body: string) => `.${body}`],
    ['after', (body: string) => `${body}.`],
  ])(
    'refuses a character outside base64url %s an authentic body, though a lenient decoder would skip it',
    (_where, edit) => {
      // Prepare
      const sealed = new CookieSealer([SECRET]).seal('flow', {}, { ttlSeconds: 60, nowSeconds: NOW });
      // Act
      const opened = new CookieSealer([SECRET]).open('flow', `v1.${edit(sealed.slice(3))}`, { nowSeconds: NOW });
      // Assess
      expect(opened).toEqual({ ok: false, why: 'malformed' });
    },
  );

  it('refuses a body too short to hold an IV, a ciphertext and a tag as malformed, without decrypting it', () => {
    expect(new CookieSealer([SECRET]).open('flow', randomBody(12 + 16), { nowSeconds: NOW })).toEqual({
      ok: false,
      why: 'malformed',
    });
  });

  it('reads the shortest well-formed body (IV, one byte, tag) and refuses it as tampered', () => {
    expect(new CookieSealer([SECRET]).open('flow', randomBody(12 + 1 + 16), { nowSeconds: NOW })).toEqual({
      ok: false,
      why: 'tampered',
    });
  });

  it('reads a value of exactly 16 KB and refuses anything longer as malformed', () => {
    // Prepare: 16,381 base64url characters after "v1.", and one more
    const atLimit = `v1.${'A'.repeat(16 * 1024 - 3)}`;
    const overLimit = `${atLimit}A`;
    const sealer = new CookieSealer([SECRET]);
    // Act
    const atLimitOpened = sealer.open('flow', atLimit, { nowSeconds: NOW });
    const overLimitOpened = sealer.open('flow', overLimit, { nowSeconds: NOW });
    // Assess
    expect(atLimitOpened).toEqual({ ok: false, why: 'tampered' });
    expect(overLimitOpened).toEqual({ ok: false, why: 'malformed' });
  });

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

  it('refuses a deflated value that would inflate past 64 KiB, rather than inflating it (a deflate bomb)', () => {
    // Prepare: 64 KiB and a little more of one letter deflates to a few hundred bytes
    const sealer = new CookieSealer([SECRET]);
    const bomb = sealer.seal('refresh', 'a'.repeat(64 * 1024), { ttlSeconds: 60, nowSeconds: NOW, deflate: true });
    const fits = sealer.seal('refresh', 'a'.repeat(60 * 1024), { ttlSeconds: 60, nowSeconds: NOW, deflate: true });
    expect(bomb.length).toBeLessThan(1024);
    // Act / Assess
    expect(sealer.open('refresh', bomb, { nowSeconds: NOW })).toEqual({ ok: false, why: 'tampered' });
    expect(sealer.open('refresh', fits, { nowSeconds: NOW })).toMatchObject({ ok: true });
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
    expect(() => new CookieSealer(['short'])).toThrow('a cookie secret must have at least 32 characters');
    expect(() => new CookieSealer([SECRET, 'a'.repeat(31)])).toThrow('at least 32 characters');
  });

  it('accepts a secret of exactly 32 characters', () => {
    const sealer = new CookieSealer(['a'.repeat(32)]);
    const sealed = sealer.seal('flow', { s: 1 }, { ttlSeconds: 60, nowSeconds: NOW });
    expect(sealer.open('flow', sealed, { nowSeconds: NOW })).toMatchObject({ ok: true, data: { s: 1 } });
  });

  it('refuses to be built without a secret', () => {
    expect(() => new CookieSealer([])).toThrow('at least one cookie secret is required');
  });
});
