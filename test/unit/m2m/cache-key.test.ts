import { hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveCacheKeys } from '../../../shared/m2m/cache-key.js';
import { normalizeScopes } from '../../../shared/m2m/token-request.js';

const CLIENT = '1example23456789';
const SECRET = 'abcdef01234567890ghijklmnopqrstuvwxyz0123456789abc';

describe('cache keys derived from client id, secret and scope set', () => {
  it('are the same for the same client, secret and scope set, in any order', () => {
    const first = deriveCacheKeys(CLIENT, SECRET, normalizeScopes('orders/read orders/write'));
    const second = deriveCacheKeys(CLIENT, SECRET, normalizeScopes('orders/write orders/read'));
    expect(second.id).toBe(first.id);
    expect(second.sealKey.equals(first.sealKey)).toBe(true);
  });

  it.each([
    ['a secret that differs in one character', CLIENT, `${SECRET.slice(0, -1)}d`, ['orders/read']],
    ['another client', '2example23456789', SECRET, ['orders/read']],
    ['another scope set', CLIENT, SECRET, ['orders/read', 'orders/write']],
    ['no scope (the client’s defaults)', CLIENT, SECRET, []],
  ])('differ for %s', (_case, clientId, secret, scopes) => {
    const base = deriveCacheKeys(CLIENT, SECRET, ['orders/read']);
    const other = deriveCacheKeys(clientId, secret, scopes);
    expect(other.id).not.toBe(base.id);
    expect(other.sealKey.equals(base.sealKey)).toBe(false);
  });

  it('keep the parts apart: moving text between client id and scope gives another entry', () => {
    expect(deriveCacheKeys('a', SECRET, ['b c']).id).not.toBe(deriveCacheKeys('a b', SECRET, ['c']).id);
    expect(deriveCacheKeys('a', SECRET, ['b', 'c']).id).not.toBe(deriveCacheKeys('a', SECRET, ['b c']).id);
  });

  it('give an id that is not the seal key and shows neither the secret, the client nor the scope', () => {
    const keys = deriveCacheKeys(CLIENT, SECRET, ['orders/read']);
    expect(keys.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(keys.id, 'base64url').equals(keys.sealKey)).toBe(false);
    for (const part of [SECRET, CLIENT, 'orders']) expect(keys.id).not.toContain(part);
    expect(keys.sealKey).toHaveLength(32);
  });

  it('never collide for different credentials (property)', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.string({ maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), fc.array(fc.string())),
        fc.tuple(fc.string({ maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), fc.array(fc.string())),
        ([idA, secretA, scopesA], [idB, secretB, scopesB]) => {
          const same = idA === idB && secretA === secretB && JSON.stringify(scopesA) === JSON.stringify(scopesB);
          expect(deriveCacheKeys(idA, secretA, scopesA).id === deriveCacheKeys(idB, secretB, scopesB).id).toBe(same);
        },
      ),
    );
  });

  it('are HKDF-SHA256 (RFC 5869) of the secret, as node computes it', () => {
    const salt = Buffer.from('cognito-gate m2m token cache');
    const info = (purpose: string) => `cognito-gate/v1/${purpose}/${JSON.stringify([CLIENT, ['orders/read']])}`;
    const keys = deriveCacheKeys(CLIENT, SECRET, ['orders/read']);
    expect(keys.id).toBe(Buffer.from(hkdfSync('sha256', SECRET, salt, info('id'), 32)).toString('base64url'));
    expect(keys.sealKey.equals(Buffer.from(hkdfSync('sha256', SECRET, salt, info('seal'), 32)))).toBe(true);
  });

  it('accept a scope list longer than node’s 1024-byte HKDF info limit', () => {
    const scopes = Array.from({ length: 100 }, (_, i) => `resource-server-${i}/scope-${i}`);
    expect(() => deriveCacheKeys(CLIENT, SECRET, scopes)).not.toThrow();
  });
});
