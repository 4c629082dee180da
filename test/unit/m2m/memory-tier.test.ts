import { describe, expect, it } from 'vitest';
import type { CachedToken } from '../../../shared/m2m/sealed-token.js';
import { MemoryTier } from '../../../shared/m2m/token-cache.js';

const token = (name: string, expiresAt = 10_000): CachedToken => ({
  accessToken: name,
  tokenType: 'Bearer',
  freshUntil: expiresAt * 0.75,
  expiresAt,
});

describe('the memory tier', () => {
  it('drops the least recently used entry when full', () => {
    // Prepare
    const memory = new MemoryTier(2);
    memory.set('a', token('a'));
    memory.set('b', token('b'));
    memory.get('a', 0); // a is now the most recently used
    // Act
    memory.set('c', token('c'));
    // Assess
    expect(memory.get('b', 0)).toBeUndefined();
    expect(memory.get('a', 0)?.accessToken).toBe('a');
    expect(memory.get('c', 0)?.accessToken).toBe('c');
    expect(memory.size).toBe(2);
  });

  it('forgets a token once it has expired', () => {
    const memory = new MemoryTier(10);
    memory.set('a', token('a', 1000));
    expect(memory.get('a', 999)?.accessToken).toBe('a');
    expect(memory.get('a', 1000)).toBeUndefined();
    expect(memory.size).toBe(0);
  });

  it('holds nothing when its size is 0', () => {
    const memory = new MemoryTier(0);
    memory.set('a', token('a'));
    expect(memory.get('a', 0)).toBeUndefined();
  });
});
