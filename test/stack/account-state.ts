import { readFile } from 'node:fs/promises';
import { createSerialWriter } from './atomic-write.cjs';

/** The file in the stack's state dir, beside cognito-local's `.cognito/`. */
export const ACCOUNT_STATE_FILE = 'account-state.json';

interface PoolAccountsJson {
  signedOutAt?: Record<string, number>;
  resetRequired?: string[];
}

interface PoolAccounts {
  /** Username to the time (ms) of its last AdminUserGlobalSignOut. */
  signedOutAt: Map<string, number>;
  /** Usernames in RESET_REQUIRED after AdminResetUserPassword, until a new password is set. */
  resetRequired: Set<string>;
}

/**
 * Account state that cognito-local does not keep: global sign-outs and required password resets, per pool and
 * username, in one JSON file of the stack's state dir (written serially and atomically).
 */
export class AccountState {
  private constructor(
    private readonly pools: Map<string, PoolAccounts>,
    private readonly save: (render: () => string) => Promise<void>,
  ) {}

  /** Loads the file if there is one; setAsideUnreadableStateFiles has already moved a broken one away. */
  static async open(file: string): Promise<AccountState> {
    let json: { pools?: Record<string, PoolAccountsJson> } = {};
    try {
      const text = await readFile(file, 'utf8');
      if (text.trim() !== '') json = JSON.parse(text) as typeof json;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const pools = new Map<string, PoolAccounts>();
    for (const [poolId, pool] of Object.entries(json.pools ?? {})) {
      pools.set(poolId, {
        signedOutAt: new Map(Object.entries(pool.signedOutAt ?? {})),
        resetRequired: new Set(pool.resetRequired ?? []),
      });
    }
    return new AccountState(pools, createSerialWriter(file));
  }

  signedOutAt(poolId: string, username: string): number | undefined {
    return this.pools.get(poolId)?.signedOutAt.get(username);
  }

  isResetRequired(poolId: string, username: string): boolean {
    return this.pools.get(poolId)?.resetRequired.has(username) ?? false;
  }

  async signOut(poolId: string, username: string, at = Date.now()): Promise<void> {
    this.pool(poolId).signedOutAt.set(username, at);
    await this.persist();
  }

  async requireReset(poolId: string, username: string): Promise<void> {
    this.pool(poolId).resetRequired.add(username);
    await this.persist();
  }

  async clearReset(poolId: string, username: string): Promise<void> {
    if (this.pools.get(poolId)?.resetRequired.delete(username)) await this.persist();
  }

  /** A deleted user leaves nothing behind, so a new user of the same name starts clean. */
  async forget(poolId: string, username: string): Promise<void> {
    const pool = this.pools.get(poolId);
    if (pool === undefined) return;
    const changed = pool.signedOutAt.delete(username);
    if (pool.resetRequired.delete(username) || changed) await this.persist();
  }

  private pool(poolId: string): PoolAccounts {
    let pool = this.pools.get(poolId);
    if (pool === undefined) {
      pool = { signedOutAt: new Map(), resetRequired: new Set() };
      this.pools.set(poolId, pool);
    }
    return pool;
  }

  private persist(): Promise<void> {
    return this.save(() => {
      const pools: Record<string, PoolAccountsJson> = {};
      for (const [poolId, pool] of this.pools) {
        pools[poolId] = { signedOutAt: Object.fromEntries(pool.signedOutAt), resetRequired: [...pool.resetRequired] };
      }
      return `${JSON.stringify({ pools }, null, 2)}\n`;
    });
  }
}
