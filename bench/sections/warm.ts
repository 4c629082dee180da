import { measureInterleaved, type Sample } from '../lib/measure.js';
import { stdoutToDevNull } from '../lib/stdout.js';
import { TOKEN_COUNT, WARM_ROUNDS } from '../settings.js';
import type { WarmVariants } from './warm-variants.js';
import type { Workload } from './workload.js';

export interface WarmResults {
  /** Fresh tokens in rotation: every decision verifies a signature. */
  readonly fresh: Sample[];
  /** One token again and again: decision cache hits, beside the floor on fresh tokens. */
  readonly repeated: Sample[];
}

/** One Lambda container, JWKS cached: each variant's cost per decision, interleaved round by round. */
export async function measureWarm({ tokens, events }: Workload, v: WarmVariants): Promise<WarmResults> {
  const n = TOKEN_COUNT;
  const options = { rounds: WARM_ROUNDS, warmupBatches: 10 };
  const fresh = await stdoutToDevNull(() =>
    measureInterleaved(
      [
        { id: 'floor', batch: 100, sync: (i) => v.floorVerify(tokens[i % n]!) },
        { id: 'authorizer', batch: 100, async: (i) => v.authorizer(events[i % n]!) },
        { id: 'bare', batch: 100, async: (i) => v.bare(events[i % n]!) },
        { id: 'jsonwebtoken', batch: 50, async: (i) => v.jsonwebtoken(events[i % n]!) },
        { id: 'jose', batch: 100, async: (i) => v.jose(events[i % n]!) },
      ],
      options,
    ),
  );
  const repeatedEvent = events[1]!;
  const repeated = await stdoutToDevNull(() =>
    measureInterleaved(
      [
        { id: 'floor', batch: 100, sync: (i) => v.floorVerify(tokens[i % n]!) },
        { id: 'authorizer', batch: 2000, async: () => v.authorizer(repeatedEvent) },
        { id: 'bare', batch: 2000, async: () => v.bare(repeatedEvent) },
      ],
      options,
    ),
  );
  return { fresh, repeated };
}
