import { hash } from 'node:crypto';

export interface CachedDecision<T> {
  readonly value: T;
  readonly exp: number;
  readonly rulesVersion: string;
}

interface Node<T> extends CachedDecision<T> {
  readonly key: string;
  newer: Node<T>;
  older: Node<T>;
}

/**
 * Decisions for tokens seen before, keyed by a SHA-256 of the whole token (never the token itself), bounded
 * as an LRU, and never used past the token's `exp` or under another rule set.
 *
 * Recency is a ring list beside the Map, not the Map's insertion order: re-inserting a key on every hit, or
 * evicting through keys().next(), makes V8's Map rehash and skip deleted slots, which cost ~1 µs per call
 * once the cache is full (measured with bench/, 1000 entries).
 */
export class DecisionCache<T> {
  private readonly entries = new Map<string, Node<T>>();
  /** The ring's anchor: `older` is the newest entry, `newer` the oldest. */
  private readonly ring = { newer: undefined, older: undefined } as unknown as Node<T>;

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    this.ring.newer = this.ring.older = this.ring;
  }

  static keyOf(token: string): string {
    return hash('sha256', token, 'base64');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, rulesVersion: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.unlink(entry);
    if (entry.exp <= this.now() || entry.rulesVersion !== rulesVersion) {
      this.entries.delete(key);
      return undefined;
    }
    this.linkNewest(entry); // mark as most recently used
    return entry.value;
  }

  set(key: string, value: T, exp: number, rulesVersion: string): void {
    if (this.maxEntries === 0 || exp <= this.now()) return;
    const existing = this.entries.get(key);
    if (existing) this.unlink(existing);
    else if (this.entries.size >= this.maxEntries) {
      const oldest = this.ring.newer;
      this.unlink(oldest);
      this.entries.delete(oldest.key);
    }
    const entry = { key, value, exp, rulesVersion } as Node<T>;
    this.entries.set(key, entry);
    this.linkNewest(entry);
  }

  private unlink(entry: Node<T>): void {
    entry.newer.older = entry.older;
    entry.older.newer = entry.newer;
  }

  private linkNewest(entry: Node<T>): void {
    entry.older = this.ring.older;
    entry.newer = this.ring;
    this.ring.older.newer = entry;
    this.ring.older = entry;
  }
}
