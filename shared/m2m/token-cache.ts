import type { Logger } from '../logging/logger.js';
import type { CacheKeys } from './cache-key.js';
import type { CachedToken } from './sealed-token.js';

/** Where a token came from: this container's memory, the shared table, or Cognito itself. */
export type TokenTier = 'memory' | 'table' | 'upstream';

/** The shared tier (DynamoDB); an implementation may throw, and the cache then carries on without it. */
export interface TokenTable {
  get(keys: CacheKeys): Promise<CachedToken | undefined>;
  put(keys: CacheKeys, token: CachedToken): Promise<void>;
  delete(keys: CacheKeys): Promise<void>;
}

/** A token served past its reuse window (only when Cognito cannot answer) must still live this long. */
export const STALE_MIN_REMAINING_MS = 60_000;

export const isFresh = (token: CachedToken, now: number) => now < token.freshUntil;
export const isServableStale = (token: CachedToken, now: number) => now < token.expiresAt - STALE_MIN_REMAINING_MS;

/** The container's tier: a bounded LRU map from entry id to token, dropping tokens once they expire. */
export class MemoryTier {
  private readonly entries = new Map<string, CachedToken>();

  constructor(private readonly maxEntries: number) {}

  get(id: string, now: number): CachedToken | undefined {
    const token = this.entries.get(id);
    if (token === undefined) return undefined;
    this.entries.delete(id);
    if (now >= token.expiresAt) return undefined;
    this.entries.set(id, token); // most recently used goes last
    return token;
  }

  set(id: string, token: CachedToken): void {
    if (this.maxEntries === 0) return;
    this.entries.delete(id);
    this.entries.set(id, token);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface TableLookup {
  /** A token within its reuse window, now also in memory. */
  readonly fresh?: CachedToken;
  /** A token past its reuse window but not expired: served only if Cognito cannot be asked. */
  readonly stale?: CachedToken;
}

/**
 * Memory first, then the shared table. The table is an optimisation: when it fails or is slow, a request
 * goes to Cognito as if the table were empty, and the failure is logged (never the token or the secret).
 */
export class TokenCache {
  constructor(
    private readonly memory: MemoryTier,
    private readonly table: TokenTable,
    private readonly logger: Logger,
  ) {}

  /** The memory tier's token for these keys, fresh or not (the caller decides). */
  inMemory(keys: CacheKeys, now: number): CachedToken | undefined {
    return this.memory.get(keys.id, now);
  }

  async inTable(keys: CacheKeys, now: number): Promise<TableLookup> {
    let token: CachedToken | undefined;
    try {
      token = await this.table.get(keys);
    } catch (error) {
      this.tableFailed('read', error);
      return {};
    }
    if (token === undefined || now >= token.expiresAt) return {};
    if (!isFresh(token, now)) return { stale: token };
    this.memory.set(keys.id, token);
    return { fresh: token };
  }

  /** Into both tiers; the table write is awaited (a frozen Lambda may never finish it) but cannot fail the request. */
  async store(keys: CacheKeys, token: CachedToken): Promise<void> {
    this.memory.set(keys.id, token);
    try {
      await this.table.put(keys, token);
    } catch (error) {
      this.tableFailed('write', error);
    }
  }

  /** Cognito refused these exact credentials: nothing held for them may be served again, not even as a fallback. */
  async forget(keys: CacheKeys): Promise<void> {
    this.memory.delete(keys.id);
    try {
      await this.table.delete(keys);
    } catch (error) {
      this.tableFailed('delete', error);
    }
  }

  private tableFailed(operation: string, error: unknown): void {
    this.logger.warn('token cache table unavailable, carrying on without it', {
      operation,
      errorName: (error as Error | undefined)?.name,
    });
  }
}
