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
