/**
 * The production authorizer's core with no middy wrapper, built only by the benchmark: it measures what the
 * product's middy convention costs in the authorizer (bundle, cold start, per call).
 */
import bundledRules from '../../rules.json';
import { createAuthorizer } from '../../shared/authorizer/authorize.js';
import { loadAuthorizerConfig } from '../../shared/authorizer/authorizer-config.js';
import type { AuthorizerEvent } from '../../shared/authorizer/request-route.js';
import { createLogger } from '../../shared/logging/logger.js';
import { EmfDecisionMetrics } from '../../shared/metrics/decision-metrics.js';
import { metricsSettingsFromEnv } from '../../shared/metrics/metrics-settings.js';
import { createTokenVerifier } from '../../shared/tokens/verifier.js';

const config = loadAuthorizerConfig(process.env, bundledRules);
const metrics = new EmfDecisionMetrics(metricsSettingsFromEnv(process.env));
const authorize = createAuthorizer(
  config,
  createTokenVerifier(config, { onJwksFetch: (ok) => metrics.jwksFetched(ok) }),
  createLogger('authorizer', { level: config.logLevel }),
  metrics,
);

export const handler = async (event: AuthorizerEvent) => authorize.decide(event);
