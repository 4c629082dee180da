/**
 * The production authorizer's core with no middy wrapper, built only by the benchmark: it measures what the
 * product's middy convention costs in the authorizer (bundle, cold start, per call).
 */
import bundledRules from '../../rules.json';
import { createAuthorizer } from '../../shared/authorizer/authorize.js';
import type { AuthorizerEvent } from '../../shared/authorizer/request-route.js';
import { loadAuthorizerConfig } from '../../shared/config/authorizer-config.js';
import { createLogger, logLevelFrom } from '../../shared/logging/logger.js';
import { createTokenVerifier } from '../../shared/tokens/verifier.js';

const config = loadAuthorizerConfig(process.env, bundledRules);
const authorize = createAuthorizer(
  config,
  createTokenVerifier(config),
  createLogger('authorizer', { level: logLevelFrom(process.env.LOG_LEVEL) }),
);

export const handler = async (event: AuthorizerEvent) => authorize.decide(event);
