/**
 * The production authorizer's core with no middy wrapper, built only by the benchmark: it measures what the
 * product's middy convention costs in the authorizer (bundle, cold start, per call).
 */
import bundledRules from '../../rules.json';
import { createAuthorizer } from '../../shared/authorizer/authorize.js';
import type { AuthorizerEvent } from '../../shared/authorizer/request-route.js';
import { loadAuthorizerConfig } from '../../shared/config/authorizer-config.js';
import { metricsSettingsFromEnv } from '../../shared/config/metrics-settings.js';
import { createLogger, logLevelFrom } from '../../shared/logging/logger.js';
import { EmfDecisionMetrics } from '../../shared/metrics/decision-metrics.js';
import { createTokenVerifier } from '../../shared/tokens/verifier.js';

const config = loadAuthorizerConfig(process.env, bundledRules);
const metrics = new EmfDecisionMetrics(metricsSettingsFromEnv(process.env));
const authorize = createAuthorizer(
  config,
  createTokenVerifier(config, { onJwksFetch: (ok) => metrics.jwksFetched(ok) }),
  createLogger('authorizer', { level: logLevelFrom(process.env.LOG_LEVEL) }),
  metrics,
);

export const handler = async (event: AuthorizerEvent) => authorize.decide(event);
