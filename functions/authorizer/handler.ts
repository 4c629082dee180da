import middy from '@middy/core';
import bundledRules from '../../rules.json';
import { createAuthorizer } from '../../shared/authorizer/authorize.js';
import type { AuthorizerEvent } from '../../shared/authorizer/request-route.js';
import { loadAuthorizerConfig } from '../../shared/config/authorizer-config.js';
import { createLogger, logLevelFrom } from '../../shared/logging/logger.js';
import { createTokenVerifier } from '../../shared/tokens/verifier.js';

// Cold start: config, compiled rules and the JWKS cache live as long as the container.
const config = loadAuthorizerConfig(process.env, bundledRules);
const logger = createLogger('authorizer', { level: logLevelFrom(process.env.LOG_LEVEL) });
const verifier = createTokenVerifier(config);
const authorize = createAuthorizer(config, verifier, logger);

export const handler = middy<AuthorizerEvent>().handler((event) => authorize(event));
