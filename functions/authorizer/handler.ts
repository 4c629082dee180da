import type { Context } from 'aws-lambda';
import bundledRules from '../../rules.json';
import { type AuthorizerResponse, createAuthorizer } from '../../shared/authorizer/authorize.js';
import { loadAuthorizerConfig } from '../../shared/authorizer/authorizer-config.js';
import type { AuthorizerEvent } from '../../shared/authorizer/request-route.js';
import { withinDeadline } from '../../shared/lambda/deadline.js';
import { createLogger } from '../../shared/logging/logger.js';
import { EmfDecisionMetrics } from '../../shared/metrics/decision-metrics.js';
import { metricsSettingsFromEnv } from '../../shared/metrics/metrics-settings.js';
import { signingCredentialsFromEnv } from '../../shared/revocation/dynamodb-query.js';
import { loadRevocationConfig } from '../../shared/revocation/revocation-config.js';
import { RevocationList } from '../../shared/revocation/revocation-list.js';
import { createRevocationReader } from '../../shared/revocation/revocation-store.js';
import { createTokenVerifier } from '../../shared/tokens/verifier.js';

// Cold start: config, compiled rules, the JWKS cache, the decision counters and the revocation list live as long
// as the container.
const config = loadAuthorizerConfig(process.env, bundledRules);
const revocation = loadRevocationConfig(process.env);
const logger = createLogger('authorizer', { level: config.logLevel });
// Every cold start, so that a wildcard left in place stays visible in the logs.
if (config.clientIds === null)
  logger.warn('COGNITO_CLIENT_IDS=* accepts a token of any app client of the configured user pools', {
    issuers: config.issuers.map((issuer) => issuer.issuer),
  });
const metrics = new EmfDecisionMetrics(metricsSettingsFromEnv(process.env));
const verifier = createTokenVerifier(config, { onJwksFetch: (ok) => metrics.jwksFetched(ok) });
const revocations = revocation.enabled
  ? new RevocationList(createRevocationReader(revocation, signingCredentialsFromEnv(process.env)), revocation, logger)
  : undefined;
// The first read starts now, during init: a new container refuses a revoked token on its first request.
revocations?.prime();
const authorize = createAuthorizer(config, verifier, logger, metrics, revocations);

// A plain async handler: middy would run no middleware here, and it costs the bundle 2.6 kB. decide() answers
// without a promise when nothing must be fetched; only a promise (a JWKS fetch, a revocation read) races the
// deadline, so the warm path pays no timer. Past the deadline the authorizer throws and API Gateway answers 500:
// fail closed, never a Lambda timeout. `async` makes every answer a promise, as the Lambda runtime expects.
export const handler = async (event: AuthorizerEvent, context: Context): Promise<AuthorizerResponse> => {
  logger.startInvocation(event, context);
  const decision = authorize.decide(event);
  if (!(decision instanceof Promise)) return decision;
  return withinDeadline(decision, context, { logger, onExpired: () => metrics.denied('deadline_exceeded') });
};
