import { hash } from 'node:crypto';

export interface CachedDecision<T> {
  readonly value: T;
  readonly exp: number;
  readonly rulesVersion: string;
}

/**
 * Decisions for tokens seen before, keyed by a SHA-256 of the whole token (never the token itself), bounded
 * as an LRU, and never used past the token's `exp` or under another rule set.
 */
export class DecisionCache<T> {
  private readonly entries = new Map<string, CachedDecision<T>>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  static keyOf(token: string): string {
    return hash('sha256', token, 'base64');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, rulesVersion: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.exp <= this.now() || entry.rulesVersion !== rulesVersion) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert to mark as most recently used: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: T, exp: number, rulesVersion: string): void {
    if (this.maxEntries === 0 || exp <= this.now()) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, exp, rulesVersion });
  }
}
