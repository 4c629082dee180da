import { deepFreeze, type Env, EnvReader } from '../config/env-reader.js';

/** How often the authorizer writes its decision counts (shared/metrics/decision-metrics.ts). */
export interface MetricsSettings {
  /** The FunctionName dimension; Lambda sets AWS_LAMBDA_FUNCTION_NAME. */
  readonly functionName: string;
  readonly flushEvery: number;
  readonly flushIntervalMs: number;
}

export function metricsSettingsFromEnv(env: Env): Readonly<MetricsSettings> {
  const read = new EnvReader(env);
  return deepFreeze({
    functionName: read.optional('AWS_LAMBDA_FUNCTION_NAME') ?? 'authorizer',
    flushEvery: read.integer('METRICS_FLUSH_EVERY', 1000, { min: 1, max: 1_000_000 }),
    flushIntervalMs: 1000 * read.integer('METRICS_FLUSH_SECONDS', 60, { min: 1, max: 3600 }),
  });
}
