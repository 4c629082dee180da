import type { Logger } from '../logging/logger.js';
import { METRICS_NAMESPACE } from '../metrics/decision-metrics.js';

/**
 * One log line per token request and one per call to Cognito, each also a CloudWatch metric through the
 * embedded metric format (EMF: the `_aws` block), with no API call from the function. A client id goes in
 * only once the client has proven itself (Cognito accepted its secret, now or for the cached entry), so
 * made-up client ids cannot grow the metric's dimensions. Never a secret or a token.
 */

/** How a request was answered: hits (memory, table), misses (upstream, coalesced), and the failures. */
export type TokenOutcome =
  | 'memory'
  | 'table'
  | 'upstream'
  | 'coalesced'
  | 'stale'
  | 'refused'
  | 'throttled'
  | 'unavailable'
  | 'bad_request'
  | 'error';

const PROVEN: ReadonlySet<TokenOutcome> = new Set(['memory', 'table', 'upstream', 'coalesced', 'stale']);

type MetricUnit = 'Count' | 'Milliseconds';

function embeddedMetrics(
  metrics: Readonly<Record<string, MetricUnit>>,
  dimensionSets: readonly (readonly string[])[],
  timestamp: number,
): { _aws: unknown } {
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: dimensionSets,
          Metrics: Object.entries(metrics).map(([Name, Unit]) => ({ Name, Unit })),
        },
      ],
    },
  };
}

/** Metric TokenRequests by outcome, and by client id and outcome (hits and misses per client). */
export function recordTokenRequest(
  logger: Logger,
  {
    clientId,
    outcome,
    status,
    detail,
    durationMs,
    at,
  }: {
    clientId: string | undefined;
    outcome: TokenOutcome;
    status: number;
    /** Why a request was refused, for the operator: a message of ours, never input echoed back. */
    detail?: string | undefined;
    durationMs: number;
    at: number;
  },
): void {
  const proven = clientId !== undefined && PROVEN.has(outcome);
  logger.info('token request', {
    ...(clientId !== undefined ? { clientId } : {}),
    outcome,
    status,
    ...(detail !== undefined ? { detail } : {}),
    durationMs,
    TokenRequests: 1,
    ...embeddedMetrics({ TokenRequests: 'Count' }, proven ? [['outcome'], ['clientId', 'outcome']] : [['outcome']], at),
  });
}

/** Metrics CognitoTokenCalls and CognitoTokenCallMs by result, and by client id for accepted calls. */
export function recordCognitoCall(
  logger: Logger,
  {
    clientId,
    result,
    status,
    durationMs,
    at,
  }: {
    clientId: string;
    result: 'ok' | 'refused' | 'throttled' | 'unreachable';
    status?: number;
    durationMs: number;
    at: number;
  },
): void {
  logger.info('cognito token call', {
    clientId,
    result,
    ...(status !== undefined ? { status } : {}),
    durationMs,
    CognitoTokenCalls: 1,
    CognitoTokenCallMs: durationMs,
    ...embeddedMetrics(
      { CognitoTokenCalls: 'Count', CognitoTokenCallMs: 'Milliseconds' },
      result === 'ok' ? [['result'], ['clientId']] : [['result']],
      at,
    ),
  });
}
