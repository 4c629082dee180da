import { describe, expect, it } from 'vitest';
import { DecisionCache } from '../../../shared/authorizer/decision-cache.js';

describe('the decision cache', () => {
  it('returns a decision for the same token within its lifetime and rule set', () => {
    const cache = new DecisionCache<string>(10, () => 1000);
    cache.set(DecisionCache.keyOf('token-a'), 'allow', 2000, 'v1');
    expect(cache.get(DecisionCache.keyOf('token-a'), 'v1')).toBe('allow');
  });

  it('refuses an expired token even while it is cached', () => {
    // Prepare
    let now = 1000;
    const cache = new DecisionCache<string>(10, () => now);
    cache.set(DecisionCache.keyOf('token-a'), 'allow', 1500, 'v1');
    // Act
    now = 1500;
    // Assess
    expect(cache.get(DecisionCache.keyOf('token-a'), 'v1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('misses for a token tampered in one byte', () => {
    const cache = new DecisionCache<string>(10, () => 1000);
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    cache.set(DecisionCache.keyOf(token), 'allow', 2000, 'v1');
    const tampered = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    expect(cache.get(DecisionCache.keyOf(tampered), 'v1')).toBeUndefined();
  });

  it('misses under a changed rule set', () => {
    const cache = new DecisionCache<string>(10, () => 1000);
    cache.set(DecisionCache.keyOf('t'), 'allow', 2000, 'v1');
    expect(cache.get(DecisionCache.keyOf('t'), 'v2')).toBeUndefined();
  });

  it('never holds more entries than its bound, evicting the least recently used', () => {
    // Prepare
    const cache = new DecisionCache<number>(3, () => 1000);
    for (const n of [1, 2, 3]) cache.set(DecisionCache.keyOf(`t${n}`), n, 2000, 'v');
    cache.get(DecisionCache.keyOf('t1'), 'v'); // t1 becomes the most recent
    // Act
    for (const n of [4, 5, 6, 7]) cache.set(DecisionCache.keyOf(`t${n}`), n, 2000, 'v');
    // Assess
    expect(cache.size).toBe(3);
    expect(cache.get(DecisionCache.keyOf('t7'), 'v')).toBe(7);
    expect(cache.get(DecisionCache.keyOf('t2'), 'v')).toBeUndefined();
  });

  it('evicts an entry that was read once it is again the least recently used', () => {
    // Prepare: t1 is read, then three newer tokens push it out
    const cache = new DecisionCache<number>(3, () => 1000);
    for (const n of [1, 2, 3]) cache.set(DecisionCache.keyOf(`t${n}`), n, 2000, 'v');
    cache.get(DecisionCache.keyOf('t1'), 'v');
    // Act
    for (const n of [4, 5, 6]) cache.set(DecisionCache.keyOf(`t${n}`), n, 2000, 'v');
    // Assess
    expect(cache.get(DecisionCache.keyOf('t1'), 'v')).toBeUndefined();
    expect([4, 5, 6].map((n) => cache.get(DecisionCache.keyOf(`t${n}`), 'v'))).toEqual([4, 5, 6]);
  });

  it('replaces the decision of a key set again, without evicting another entry or the new one later', () => {
    // Prepare
    const cache = new DecisionCache<string>(3, () => 1000);
    cache.set(DecisionCache.keyOf('a'), 'deny', 2000, 'v1');
    cache.set(DecisionCache.keyOf('b'), 'allow', 2000, 'v1');
    // Act: a is set again, then c and d arrive
    cache.set(DecisionCache.keyOf('a'), 'allow', 3000, 'v2');
    const sizeAfterReplace = cache.size;
    cache.set(DecisionCache.keyOf('c'), 'allow', 2000, 'v1');
    cache.set(DecisionCache.keyOf('d'), 'allow', 2000, 'v1');
    // Assess: b was the least recently used, so b goes; a holds its new decision and rule set
    expect(sizeAfterReplace).toBe(2);
    expect(cache.get(DecisionCache.keyOf('b'), 'v1')).toBeUndefined();
    expect(cache.get(DecisionCache.keyOf('a'), 'v2')).toBe('allow');
  });

  it('drops an entry found under a changed rule set, so it no longer takes a place', () => {
    // Prepare
    const cache = new DecisionCache<string>(10, () => 1000);
    cache.set(DecisionCache.keyOf('t'), 'allow', 2000, 'v1');
    // Act
    cache.get(DecisionCache.keyOf('t'), 'v2');
    // Assess
    expect(cache.size).toBe(0);
    expect(cache.get(DecisionCache.keyOf('t'), 'v1')).toBeUndefined();
  });

  it('does not keep a decision for a token that expires this very second', () => {
    const cache = new DecisionCache<string>(10, () => 1000);
    cache.set(DecisionCache.keyOf('t'), 'allow', 1000, 'v1');
    expect(cache.size).toBe(0);
  });

  it('reads the wall clock in seconds when no clock is given', () => {
    // Prepare
    const cache = new DecisionCache<string>(10);
    const nowSeconds = Date.now() / 1000;
    // Act
    cache.set(DecisionCache.keyOf('live'), 'allow', nowSeconds + 60, 'v1');
    cache.set(DecisionCache.keyOf('expired'), 'allow', nowSeconds - 60, 'v1');
    // Assess
    expect(cache.get(DecisionCache.keyOf('live'), 'v1')).toBe('allow');
    expect(cache.get(DecisionCache.keyOf('expired'), 'v1')).toBeUndefined();
  });

  it('keeps nothing when its bound is zero', () => {
    const cache = new DecisionCache<number>(0, () => 1000);
    cache.set(DecisionCache.keyOf('t'), 1, 2000, 'v');
    expect(cache.size).toBe(0);
  });

  it('keys by a SHA-256 digest, never by the token itself', () => {
    expect(DecisionCache.keyOf('secret-token')).not.toContain('secret');
    expect(DecisionCache.keyOf('secret-token')).toHaveLength(44);
  });
});
