import { createAuthorizer } from '../../shared/authorizer/authorize.js';
import { loadAuthorizerConfig } from '../../shared/authorizer/authorizer-config.js';
import { createLogger } from '../../shared/logging/logger.js';
import { EmfDecisionMetrics } from '../../shared/metrics/decision-metrics.js';
import { createTokenVerifier } from '../../shared/tokens/verifier.js';
import { isAllow } from '../lib/fixtures.js';
import { measureInterleaved, type Sample } from '../lib/measure.js';
import { fail } from '../lib/progress.js';
import { stdoutToDevNull } from '../lib/stdout.js';
import { WARM_ROUNDS } from '../settings.js';
import type { Workload } from './workload.js';

/**
 * What counting costs a cached decision: the authorizer's core twice, with the same config and token, once without
 * metrics and once with the EMF counters of production (flushed every 1000 decisions to stdout, sent to /dev/null).
 */
export function measureDecisionMetrics({ authorizerEnv, events }: Workload): Promise<Sample[]> {
  const repeatedEvent = events[1]!;
  return stdoutToDevNull(async () => {
    const config = loadAuthorizerConfig(authorizerEnv, undefined);
    const quiet = createLogger('bench', { write: () => undefined });
    const emf = new EmfDecisionMetrics({ functionName: 'bench', flushEvery: 1000, flushIntervalMs: 3_600_000 });
    const plain = createAuthorizer(config, createTokenVerifier(config), quiet);
    const counted = createAuthorizer(config, createTokenVerifier(config), quiet, emf);
    if (!isAllow(await plain(repeatedEvent)) || !isAllow(await counted(repeatedEvent)))
      fail('the metrics probe refused the repeated token');
    return measureInterleaved(
      [
        { id: 'core', batch: 2000, sync: () => plain.decide(repeatedEvent) },
        { id: 'core+metrics', batch: 2000, sync: () => counted.decide(repeatedEvent) },
        { id: 'counter', batch: 100_000, sync: () => emf.allowed() },
      ],
      { rounds: WARM_ROUNDS, warmupBatches: 10 },
    );
  });
}
