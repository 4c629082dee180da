import { RevocationUnavailableError } from '../errors/gate-error.js';
import type { Logger } from '../logging/logger.js';
import type { RevocationSettings } from './revocation-config.js';
import type { RevocationEntry, RevocationReader } from './revocation-store.js';

/** What revocation needs to know of a verified token; taken once per token, and kept with its cached decision. */
export interface RevocationSubject {
  readonly sub: string | undefined;
  /** The sign-in the token descends from: Cognito puts the same `origin_jti` in its access, ID and refreshed tokens. */
  readonly originJti: string | undefined;
  /** `iat`, in seconds. */
  readonly issuedAt: number;
}

export function revocationSubjectOf(claims: Readonly<Record<string, unknown>>): RevocationSubject {
  return {
    sub: typeof claims.sub === 'string' ? claims.sub : undefined,
    originJti: typeof claims.origin_jti === 'string' ? claims.origin_jti : undefined,
    // A token without iat cannot show that it came after a revocation: it counts as issued at the epoch.
    issuedAt: typeof claims.iat === 'number' ? claims.iat : 0,
  };
}

export type RevokedBy = 'session' | 'user';

export interface RevocationCheck {
  /**
   * Why the token is revoked, or undefined when it is not. Answers at once from the copy in memory; a promise
   * only when the copy must be read first (a cold container, or a copy past its staleness limit). Throws, or
   * rejects with, RevocationUnavailableError when the copy cannot be had and REVOCATION_STALE=deny.
   */
  revokedBy(subject: RevocationSubject): RevokedBy | undefined | Promise<RevokedBy | undefined>;
}

export type RevocationListOptions = Pick<
  RevocationSettings,
  'refreshMs' | 'staleMs' | 'stalePolicy' | 'tokenLifetimeSeconds'
>;

/**
 * How far back each read reaches before the previous one started: a write is in every read that starts this long
 * after the writer's clock stamped it (clocks of two functions, a write still in flight). Usually empty.
 */
export const LOOKBACK_MS = 30_000;
const PRUNE_EVERY_MS = 60_000;

/**
 * The authorizer's copy of the revocation table, one per container. Requests are answered from memory; a copy
 * older than `refreshMs` is refreshed behind the request that notices it (never more than one read at a time,
 * nor more than one per `refreshMs`, failures included), reading only the entries written since the last read.
 * A copy older than `staleMs`, or none yet, is read before the answer; if that read fails, `stalePolicy` decides.
 */
export class RevocationList implements RevocationCheck {
  /** origin_jti -> expiresAt (s) */
  private readonly sessions = new Map<string, number>();
  /** sub -> tokens issued until `revokedAt` (ms) are void; expiresAt (s) */
  private readonly users = new Map<string, { revokedAt: number; expiresAt: number }>();
  /** When the last successful read started (this container's clock). */
  private loadedAt = Number.NEGATIVE_INFINITY;
  private failedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private nextPruneAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly reader: RevocationReader,
    private readonly options: RevocationListOptions,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.sessions.size + this.users.size;
  }

  /** Starts the first read without waiting for it: called at cold start, so the first request finds it under way. */
  prime(): void {
    if (this.loadedAt === Number.NEGATIVE_INFINITY && !this.inFlight) void this.refresh(this.now());
  }

  revokedBy(subject: RevocationSubject): RevokedBy | undefined | Promise<RevokedBy | undefined> {
    const now = this.now();
    if (now - this.loadedAt > this.options.refreshMs) {
      const wait = this.refreshFor(now);
      if (wait) return wait.then(() => this.lookup(subject));
    }
    return this.lookup(subject);
  }

  private lookup({ sub, originJti, issuedAt }: RevocationSubject): RevokedBy | undefined {
    if (originJti !== undefined && this.sessions.has(originJti)) return 'session';
    if (sub !== undefined) {
      const user = this.users.get(sub);
      // iat has whole seconds: a token of the revocation's own second is void too.
      if (user !== undefined && issuedAt * 1000 <= user.revokedAt) return 'user';
    }
    return undefined;
  }

  /** Undefined: answer from the copy as it is. A promise: answer once it settles; it rejects to deny. */
  private refreshFor(now: number): Promise<void> | undefined {
    const { refreshMs, staleMs } = this.options;
    const attemptDue = !this.inFlight && now - this.failedAt >= refreshMs;
    if (now - this.loadedAt <= staleMs) {
      if (attemptDue) void this.refresh(now);
      return undefined;
    }
    if (this.inFlight) return this.inFlight.then(() => this.afterWait());
    if (attemptDue) return this.refresh(now).then(() => this.afterWait());
    this.unavailable(); // a read failed moments ago: fail fast instead of queueing on another
    return undefined;
  }

  private afterWait(): void {
    if (this.now() - this.loadedAt > this.options.staleMs) this.unavailable();
  }

  /** Past the staleness limit with no fresh copy: deny throws, allow answers from what is known. */
  private unavailable(): void {
    if (this.options.stalePolicy === 'deny')
      throw new RevocationUnavailableError('the revocation list cannot be read and its copy is too old');
  }

  /** One read; it never rejects: a failure is logged and leaves the copy as it was. */
  private refresh(startedAt: number): Promise<void> {
    const first = this.loadedAt === Number.NEGATIVE_INFINITY;
    // The first read takes every entry that may still matter; later ones what was written since the last.
    const since = first
      ? startedAt - this.options.tokenLifetimeSeconds * 1000 - LOOKBACK_MS
      : this.loadedAt - LOOKBACK_MS;
    let read: ReturnType<RevocationReader['readSince']>;
    try {
      read = this.reader.readSince(since, startedAt);
    } catch (error) {
      read = Promise.reject(error);
    }
    const settled = read
      .then(
        ({ entries, malformed }) => {
          this.apply(entries, startedAt);
          this.loadedAt = startedAt;
          if (malformed > 0) this.logger.warn('revocation entries skipped: not in the expected format', { malformed });
          if (first) this.logger.info('revocation list loaded', { entries: this.size, ms: this.now() - startedAt });
        },
        (error: unknown) => {
          this.failedAt = this.now();
          const stale = this.failedAt - this.loadedAt > this.options.staleMs;
          this.logger.error('revocation list not refreshed; keeping the last good copy', {
            errorName: (error as Error | undefined)?.name,
            errorMessage: (error as Error | undefined)?.message,
            entries: this.size,
            copyAgeSeconds: first ? null : Math.round((this.failedAt - this.loadedAt) / 1000),
            ...(stale ? { staleBeyondLimit: true, stalePolicy: this.options.stalePolicy } : {}),
          });
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    this.inFlight = settled;
    return settled;
  }

  private apply(entries: readonly RevocationEntry[], now: number): void {
    for (const entry of entries) {
      if (entry.expiresAt * 1000 <= now) continue;
      if (entry.kind === 'session') {
        if ((this.sessions.get(entry.subject) ?? 0) < entry.expiresAt)
          this.sessions.set(entry.subject, entry.expiresAt);
        continue;
      }
      const known = this.users.get(entry.subject);
      this.users.set(entry.subject, {
        revokedAt: Math.max(known?.revokedAt ?? 0, entry.revokedAt),
        expiresAt: Math.max(known?.expiresAt ?? 0, entry.expiresAt),
      });
    }
    if (now >= this.nextPruneAt) {
      this.nextPruneAt = now + PRUNE_EVERY_MS;
      const nowSeconds = now / 1000;
      for (const [originJti, expiresAt] of this.sessions) if (expiresAt <= nowSeconds) this.sessions.delete(originJti);
      for (const [sub, user] of this.users) if (user.expiresAt <= nowSeconds) this.users.delete(sub);
    }
  }
}
