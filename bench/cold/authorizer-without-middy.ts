/**
 * The production authorizer's core with no handler around it (no invocation log, no deadline, no revocation), built
 * only by the benchmark: it measures what the handler adds (bundle, cold start, per call). Its name is from when the
 * handler was middy's.
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
