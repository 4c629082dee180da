import { beforeEach, describe, expect, it } from 'vitest';
import { RevocationUnavailableError } from '../../../shared/errors/gate-error.js';
import { createLogger } from '../../../shared/logging/logger.js';
import {
  LOOKBACK_MS,
  RevocationList,
  type RevocationListOptions,
  type RevocationSubject,
  revocationSubjectOf,
} from '../../../shared/revocation/revocation-list.js';
import type { RevocationEntry, RevocationRead, RevocationReader } from '../../../shared/revocation/revocation-store.js';

const LIFETIME_SECONDS = 3600;
const OPTIONS: RevocationListOptions = {
  refreshMs: 5000,
  staleMs: 60_000,
  stalePolicy: 'deny',
  tokenLifetimeSeconds: LIFETIME_SECONDS,
};
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A reader whose every read waits until the test answers it: the test decides when and how a read ends. */
class ScriptedReader implements RevocationReader {
  readonly calls: { sinceMs: number; nowMs: number }[] = [];
  private pending: { resolve: (read: RevocationRead) => void; reject: (error: Error) => void }[] = [];

  readSince(sinceMs: number, nowMs: number): Promise<RevocationRead> {
    this.calls.push({ sinceMs, nowMs });
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  /** Answers the oldest open read, and lets the list's callbacks run. */
  async answer(entries: RevocationEntry[] = [], malformed = 0): Promise<void> {
    this.pending.shift()!.resolve({ entries, malformed });
    await settle();
  }

  async fail(error = Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' })): Promise<void> {
    this.pending.shift()!.reject(error);
    await settle();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

const session = (originJti: string, at = T0): RevocationEntry => ({
  kind: 'session',
  subject: originJti,
  revokedAt: at,
  expiresAt: Math.ceil(at / 1000) + LIFETIME_SECONDS,
});
const user = (sub: string, at = T0): RevocationEntry => ({
  kind: 'user',
  subject: sub,
  revokedAt: at,
  expiresAt: Math.ceil(at / 1000) + LIFETIME_SECONDS,
});
const token = (overrides: Partial<RevocationSubject> = {}): RevocationSubject => ({
  sub: 'sub-alice',
  originJti: 'origin-alice',
  issuedAt: Math.floor(T0 / 1000) - 60,
  ...overrides,
});

describe('RevocationList', () => {
  let clock: number;
  let reader: ScriptedReader;
  let logs: Record<string, unknown>[];
  const listWith = (options: Partial<RevocationListOptions> = {}) =>
    new RevocationList(
      reader,
      { ...OPTIONS, ...options },
      createLogger('authorizer', { write: (line) => logs.push(JSON.parse(line)) }),
      () => clock,
    );

  /** A list that has made its first read (answered with `entries`) at T0. */
  async function loadedList(entries: RevocationEntry[] = [], options: Partial<RevocationListOptions> = {}) {
    const list = listWith(options);
    list.prime();
    await reader.answer(entries);
    return list;
  }

  beforeEach(() => {
    clock = T0;
    reader = new ScriptedReader();
    logs = [];
  });

  describe('a cold container', () => {
    it('reads every entry that may still matter before its first answer, and refuses a revoked token on it', async () => {
      // Prepare
      const list = listWith();
      list.prime();
      // Act
      const answer = list.revokedBy(token());
      await reader.answer([session('origin-alice')]);
      // Assess
      expect(answer).toBeInstanceOf(Promise);
      await expect(answer).resolves.toBe('session');
      expect(reader.calls).toEqual([{ sinceMs: T0 - LIFETIME_SECONDS * 1000 - LOOKBACK_MS, nowMs: T0 }]);
      expect(logs).toContainEqual(expect.objectContaining({ message: 'revocation list loaded', entries: 1 }));
    });

    it('reads on its first answer even when nobody primed it', async () => {
      const list = listWith();
      const answer = list.revokedBy(token());
      await reader.answer([user('sub-alice')]);
      await expect(answer).resolves.toBe('user');
      expect(reader.calls).toHaveLength(1);
    });

    it('fails closed when its first read fails and REVOCATION_STALE=deny', async () => {
      const list = listWith();
      const refused = expect(list.revokedBy(token())).rejects.toBeInstanceOf(RevocationUnavailableError);
      await reader.fail();
      await refused;
      expect(logs).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: 'revocation list not refreshed; keeping the last good copy',
          errorName: 'TimeoutError',
          stalePolicy: 'deny',
        }),
      );
    });

    it('lets the token through when its first read fails and REVOCATION_STALE=allow', async () => {
      const list = listWith({ stalePolicy: 'allow' });
      const answer = list.revokedBy(token());
      await reader.fail();
      await expect(answer).resolves.toBeUndefined();
    });
  });

  describe('a warm container', () => {
    it('answers at once, from memory, while its copy is younger than refreshMs', async () => {
      // Prepare
      const list = await loadedList([session('origin-revoked')]);
      clock = T0 + 5000;
      // Act
      const revoked = list.revokedBy(token({ originJti: 'origin-revoked' }));
      const kept = list.revokedBy(token());
      // Assess
      expect(revoked).toBe('session');
      expect(kept).toBeUndefined();
      expect(reader.calls).toHaveLength(1);
    });

    it('refreshes behind the request that finds its copy older than refreshMs: that request is not kept waiting', async () => {
      // Prepare
      const list = await loadedList();
      clock = T0 + 5001;
      // Act
      const during = list.revokedBy(token());
      const alsoDuring = list.revokedBy(token());
      // Assess
      expect(during).toBeUndefined();
      expect(alsoDuring).toBeUndefined();
      expect(reader.calls).toHaveLength(2); // one read at a time
      await reader.answer([session('origin-alice', T0 + 4000)]);
      expect(list.revokedBy(token())).toBe('session');
    });

    it('reads only what was written since its last read began, reaching back LOOKBACK_MS for late writes', async () => {
      // Prepare
      const list = await loadedList();
      clock = T0 + 6000;
      list.revokedBy(token());
      await reader.answer();
      clock = T0 + 12_000;
      // Act
      list.revokedBy(token());
      // Assess
      expect(reader.calls.slice(1)).toEqual([
        { sinceMs: T0 - LOOKBACK_MS, nowMs: T0 + 6000 },
        { sinceMs: T0 + 6000 - LOOKBACK_MS, nowMs: T0 + 12_000 },
      ]);
    });

    it('keeps its last good copy when a refresh fails, logs it, and does not read again before refreshMs', async () => {
      // Prepare
      const list = await loadedList([session('origin-revoked')]);
      clock = T0 + 6000;
      list.revokedBy(token());
      // Act
      await reader.fail();
      clock = T0 + 8000;
      const afterFailure = list.revokedBy(token({ originJti: 'origin-revoked' }));
      // Assess
      expect(afterFailure).toBe('session');
      expect(reader.calls).toHaveLength(2);
      expect(logs).toContainEqual(
        expect.objectContaining({
          level: 'error',
          message: 'revocation list not refreshed; keeping the last good copy',
          entries: 1,
          copyAgeSeconds: 6,
        }),
      );
      clock = T0 + 11_000;
      list.revokedBy(token());
      expect(reader.calls).toHaveLength(3);
    });

    it('reads before answering when its copy is older than staleMs, as after a long idle spell', async () => {
      // Prepare
      const list = await loadedList();
      clock = T0 + 10 * 60_000;
      // Act
      const answer = list.revokedBy(token());
      await reader.answer([user('sub-alice', T0 + 9 * 60_000)]);
      // Assess
      expect(answer).toBeInstanceOf(Promise);
      await expect(answer).resolves.toBe('user');
    });

    it('past staleMs with every read failing: denies (REVOCATION_STALE=deny), failing fast between attempts', async () => {
      // Prepare
      const list = await loadedList();
      clock = T0 + 61_000;
      // Act
      const waited = expect(list.revokedBy(token())).rejects.toBeInstanceOf(RevocationUnavailableError);
      await reader.fail();
      clock += 1000;
      const fast = () => list.revokedBy(token());
      // Assess
      await waited;
      expect(fast).toThrow(RevocationUnavailableError);
      expect(reader.calls).toHaveLength(2);
      clock += 5000;
      const retried = list.revokedBy(token());
      expect(reader.calls).toHaveLength(3);
      await reader.answer();
      await expect(retried).resolves.toBeUndefined();
    });

    it('past staleMs with every read failing: answers from the stale copy when REVOCATION_STALE=allow', async () => {
      // Prepare
      const list = await loadedList([session('origin-revoked')], { stalePolicy: 'allow' });
      clock = T0 + 61_000;
      // Act
      const revoked = list.revokedBy(token({ originJti: 'origin-revoked' }));
      const other = list.revokedBy(token());
      await reader.fail();
      // Assess
      await expect(revoked).resolves.toBe('session');
      await expect(other).resolves.toBeUndefined();
      expect(logs).toContainEqual(expect.objectContaining({ staleBeyondLimit: true, stalePolicy: 'allow' }));
    });
  });

  describe('entries', () => {
    it("voids a user's tokens issued up to the revocation's second, and none issued after it", async () => {
      // Prepare: revoked at T0 + 500 ms
      const list = await loadedList([user('sub-alice', T0 + 500)]);
      const second = Math.floor(T0 / 1000);
      // Act + Assess
      expect(list.revokedBy(token({ originJti: 'a', issuedAt: second - 3600 }))).toBe('user');
      expect(list.revokedBy(token({ originJti: 'b', issuedAt: second }))).toBe('user');
      expect(list.revokedBy(token({ originJti: 'c', issuedAt: second + 1 }))).toBeUndefined();
      expect(list.revokedBy(token({ sub: 'sub-bob', issuedAt: second - 3600 }))).toBeUndefined();
    });

    it('voids a token issued in the very millisecond of the revocation', async () => {
      const list = await loadedList([user('sub-alice', T0)]);
      expect(list.revokedBy(token({ issuedAt: T0 / 1000 }))).toBe('user');
    });

    it('keeps the latest revocation of a user, in whatever order the entries arrive', async () => {
      const list = await loadedList([user('sub-alice', T0), user('sub-alice', T0 - 60_000)]);
      expect(list.revokedBy(token({ issuedAt: Math.floor(T0 / 1000) - 1 }))).toBe('user');
    });

    it('counts a token without iat as issued at the epoch', () => {
      expect(revocationSubjectOf({ sub: 's', origin_jti: 'o' })).toEqual({ sub: 's', originJti: 'o', issuedAt: 0 });
      expect(revocationSubjectOf({ sub: 1, origin_jti: null, iat: 1700000000 })).toEqual({
        sub: undefined,
        originJti: undefined,
        issuedAt: 1700000000,
      });
    });

    it('ignores entries that have expired, and forgets entries as they expire', async () => {
      // Prepare
      const expired = { ...session('origin-expired'), expiresAt: Math.floor(T0 / 1000) - 1 };
      const list = await loadedList([expired, session('origin-live')]);
      expect(list.size).toBe(1);
      // Act: a refresh after the live entry's expiry
      clock = T0 + (LIFETIME_SECONDS + 1) * 1000;
      const answer = list.revokedBy(token());
      await reader.answer();
      await answer;
      // Assess
      expect(list.size).toBe(0);
    });

    it('ignores an expired entry that a later refresh brings in', async () => {
      // Prepare
      const list = await loadedList();
      clock = T0 + 6000;
      const answer = list.revokedBy(token());
      // Act
      await reader.answer([{ ...session('origin-alice'), expiresAt: Math.floor(T0 / 1000) }]);
      await answer;
      // Assess
      expect(list.revokedBy(token())).toBeUndefined();
      expect(list.size).toBe(0);
    });

    it('logs entries it cannot read, and uses the rest', async () => {
      const list = listWith();
      list.prime();
      await reader.answer([session('origin-alice')], 2);
      expect(list.revokedBy(token())).toBe('session');
      expect(logs).toContainEqual(
        expect.objectContaining({ message: 'revocation entries skipped: not in the expected format', malformed: 2 }),
      );
    });
  });
});
