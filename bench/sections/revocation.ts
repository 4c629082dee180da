import { createLogger } from '../../shared/logging/logger.js';
import { RevocationList, type RevocationSubject } from '../../shared/revocation/revocation-list.js';
import { type ColdSample, measureCold } from '../lib/cold.js';
import { isAllow } from '../lib/fixtures.js';
import { measureInterleaved, type Sample } from '../lib/measure.js';
import { fail } from '../lib/progress.js';
import { type BenchRevocationTable, benchEntries, startRevocationTable } from '../lib/revocation.js';
import { stdoutToDevNull } from '../lib/stdout.js';
import { COLD_SAMPLES, REVOKED_ENTRIES, TOKEN_COUNT, WARM_ROUNDS } from '../settings.js';
import type { Bundles } from './bundles.js';
import type { WarmVariants } from './warm-variants.js';
import type { Workload } from './workload.js';

export interface RevocationResults {
  /** Off and on, fresh tokens (signature verified). */
  readonly fresh: Sample[];
  /** Off and on, a repeated token (decision cache hit). */
  readonly hit: Sample[];
  /** RevocationList.revokedBy alone, for a token in none of the entries. */
  readonly check: Sample;
  /** Cold processes: 'off', 'on-empty' (an empty table), 'on' (REVOKED_ENTRIES entries). */
  readonly cold: ColdSample[];
}

/**
 * Warm: off and on timed as a pair of their own, so the two alternate which goes first (with more targets one would
 * always follow the other and pay for its garbage): fresh tokens, then a repeated token, then the check alone.
 * Cold: the same bundle in fresh processes with revocation off, on over an empty table (one signed Query, the
 * production reader's fixed cost) and on over REVOKED_ENTRIES entries, interleaved.
 */
export async function measureRevocation(
  { events, authorizerEnv }: Workload,
  bundles: Bundles,
  v: WarmVariants,
  table: BenchRevocationTable,
): Promise<RevocationResults> {
  const n = TOKEN_COUNT;
  const options = { rounds: WARM_ROUNDS, warmupBatches: 10 };
  const repeatedEvent = events[1]!;
  const fresh = await stdoutToDevNull(() =>
    measureInterleaved(
      [
        { id: 'off', batch: 100, async: (i) => v.authorizer(events[i % n]!) },
        { id: 'on', batch: 100, async: (i) => v.authorizerRevocation(events[i % n]!) },
      ],
      options,
    ),
  );
  const hit = await stdoutToDevNull(() =>
    measureInterleaved(
      [
        { id: 'off', batch: 2000, async: () => v.authorizer(repeatedEvent) },
        { id: 'on', batch: 2000, async: () => v.authorizerRevocation(repeatedEvent) },
      ],
      options,
    ),
  );
  const { list, live } = await checkAloneList();
  const [check] = await measureInterleaved([{ id: 'check', batch: 20_000, sync: () => list.revokedBy(live) }], options);

  const empty = await startRevocationTable(0);
  try {
    const allowed = (r: unknown) => isAllow(r);
    const decide = { bundle: bundles.authorizer.file, mode: 'decide' as const, event: events[3], expect: allowed };
    const cold = await measureCold(
      [
        { id: 'off', env: authorizerEnv, ...decide },
        { id: 'on-empty', env: { ...authorizerEnv, ...empty.env }, ...decide },
        { id: 'on', env: { ...authorizerEnv, ...table.env }, ...decide },
      ],
      { samples: COLD_SAMPLES, warmup: 2 },
    );
    return { fresh, hit, check: check!, cold };
  } finally {
    await empty.stop();
  }
}

/** The check as the authorizer makes it per decision: a list of REVOKED_ENTRIES entries, a token in none of them. */
async function checkAloneList(): Promise<{ list: RevocationList; live: RevocationSubject }> {
  const list = new RevocationList(
    {
      readSince: async () => ({ entries: benchEntries(REVOKED_ENTRIES, Date.now()).map((e) => e.entry), malformed: 0 }),
    },
    { refreshMs: 3_600_000, staleMs: 3_600_000, stalePolicy: 'deny', tokenLifetimeSeconds: 86_400 },
    createLogger('bench', { write: () => undefined }),
  );
  const live: RevocationSubject = { sub: 'a-live-user', originJti: 'a-live-sign-in', issuedAt: Date.now() / 1000 };
  if ((await list.revokedBy(live)) !== undefined || list.size !== REVOKED_ENTRIES)
    fail('revocation: the check-alone list did not load its entries, or refused a live token');
  return { list, live };
}
