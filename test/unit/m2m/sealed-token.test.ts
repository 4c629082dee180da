import { describe, expect, it } from 'vitest';
import { deriveCacheKeys } from '../../../shared/m2m/cache-key.js';
import { type CachedToken, openToken, sealToken } from '../../../shared/m2m/sealed-token.js';

const CLIENT = '1example23456789';
const SECRET = 'abcdef01234567890ghijklmnopqrstuvwxyz0123456789abc';
const TOKEN: CachedToken = {
  accessToken: 'eyJraWQiOiJrMSJ9.eyJzdWIiOiIxZXhhbXBsZSJ9.c2lnbmF0dXJl',
  tokenType: 'Bearer',
  freshUntil: 1_800_002_700_000,
  expiresAt: 1_800_003_600_000,
};
const keys = deriveCacheKeys(CLIENT, SECRET, ['orders/read']);

describe('a sealed token (AES-256-GCM under a key derived from the client secret)', () => {
  it('opens with its own key and id', () => {
    expect(openToken(sealToken(TOKEN, keys.sealKey, keys.id), keys.sealKey, keys.id)).toEqual(TOKEN);
  });

  it('keeps the scope when the upstream answer named one', () => {
    const scoped = { ...TOKEN, scope: 'orders/read' };
    expect(openToken(sealToken(scoped, keys.sealKey, keys.id), keys.sealKey, keys.id)).toEqual(scoped);
  });

  it('reveals neither the token nor any part of it', () => {
    const sealed = sealToken(TOKEN, keys.sealKey, keys.id).toString('latin1');
    for (const part of TOKEN.accessToken.split('.')) expect(sealed).not.toContain(part);
    expect(sealed).not.toContain('Bearer');
  });

  it('is different each time, even for the same token (random IV)', () => {
    expect(sealToken(TOKEN, keys.sealKey, keys.id).equals(sealToken(TOKEN, keys.sealKey, keys.id))).toBe(false);
  });

  it('does not open with the key of a wrong secret', () => {
    const wrong = deriveCacheKeys(CLIENT, `${SECRET}x`, ['orders/read']);
    expect(openToken(sealToken(TOKEN, keys.sealKey, keys.id), wrong.sealKey, keys.id)).toBeUndefined();
  });

  it('does not open when copied to another entry, even with the right key', () => {
    const other = deriveCacheKeys(CLIENT, SECRET, ['orders/write']);
    expect(openToken(sealToken(TOKEN, keys.sealKey, keys.id), keys.sealKey, other.id)).toBeUndefined();
  });

  it.each([
    ['the version byte', 0],
    ['the IV', 5],
    ['the ciphertext', 20],
    ['the tag', -1],
  ])('does not open with one bit flipped in %s', (_part, index) => {
    const sealed = sealToken(TOKEN, keys.sealKey, keys.id);
    const at = index < 0 ? sealed.length + index : index;
    sealed[at] = sealed[at]! ^ 0x01;
    expect(openToken(sealed, keys.sealKey, keys.id)).toBeUndefined();
  });

  it('does not open something too short to be sealed', () => {
    expect(openToken(Buffer.of(1, 2, 3), keys.sealKey, keys.id)).toBeUndefined();
  });
});
