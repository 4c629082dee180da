import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import bundledRules from '../../rules.json';
import { type AuthorizerResponse, createAuthorizer } from '../../shared/authorizer/authorize.js';
import { loadAuthorizerConfig } from '../../shared/authorizer/authorizer-config.js';
import type { AuthorizerEvent } from '../../shared/authorizer/request-route.js';
import { withinDeadline } from '../../shared/lambda/deadline.js';
import { createLogger } from '../../shared/logging/logger.js';
import { EmfDecisionMetrics } from '../../shared/metrics/decision-metrics.js';
import { metricsSettingsFromEnv } from '../../shared/metrics/metrics-settings.js';
import { createTokenVerifier } from '../../shared/tokens/verifier.js';

// Cold start: config, compiled rules, the JWKS cache and the decision counters live as long as the container.
const config = loadAuthorizerConfig(process.env, bundledRules);
const logger = createLogger('authorizer', { level: config.logLevel });
const metrics = new EmfDecisionMetrics(metricsSettingsFromEnv(process.env));
const verifier = createTokenVerifier(config, { onJwksFetch: (ok) => metrics.jwksFetched(ok) });
const authorize = createAuthorizer(config, verifier, logger, metrics);

// decide() answers without a promise when nothing must be fetched, and only a promise (a JWKS fetch) races the
// deadline: middy's own early-timeout race would cost a timer on every call. Past the deadline the authorizer
// throws, and API Gateway answers 500: fail closed, never a Lambda timeout.
export const handler = middy<AuthorizerEvent, AuthorizerResponse, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(
  (event, context) => {
    logger.startInvocation(event, context);
    const decision = authorize.decide(event);
    if (!(decision instanceof Promise)) return decision;
    return withinDeadline(decision, context, { logger, onExpired: () => metrics.denied('deadline_exceeded') });
  },
);
