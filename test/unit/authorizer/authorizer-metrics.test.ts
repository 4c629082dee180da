import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../shared/authorizer/authorize.js';
import { loadAuthorizerConfig } from '../../../shared/authorizer/authorizer-config.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { EmfDecisionMetrics } from '../../../shared/metrics/decision-metrics.js';
import { createTokenVerifier } from '../../../shared/tokens/verifier.js';
import { loadEvent } from '../../support/fixtures.js';
import { JwksServer } from '../../support/jwks-server.js';
import { accessClaims, generateTestKey, jwksOf, nowSeconds, signJwt, type TestKey } from '../../support/signing.js';

const CLIENT = 'client-a';
const RULES = { rules: [{ route: 'GET /echo', scopes: ['cognito-gate/read'] }] };

function restEvent(path: string, token?: string): Record<string, any> {
  const event = loadEvent('offline-rest-request-authorizer');
  event.methodArn = `arn:aws:execute-api:eu-west-1:123456789012:api123/prod/GET${path}`;
  event.headers = token ? { Authorization: `Bearer ${token}` } : {};
  event.multiValueHeaders = token ? { Authorization: [`Bearer ${token}`] } : {};
  return event;
}

/** The production wiring (functions/authorizer/handler.ts) against a JWKS endpoint on loopback. */
function authorizerFor(server: JwksServer) {
  const lines: string[] = [];
  const metrics = new EmfDecisionMetrics({
    functionName: 'cognito-gate-prod-authorizer',
    flushEvery: 1000,
    flushIntervalMs: 60_000,
    write: (line) => lines.push(line),
  });
  const config = loadAuthorizerConfig(
    {
      COGNITO_USER_POOL_ID: 'local_pool',
      COGNITO_ISSUER: server.issuer,
      COGNITO_CLIENT_IDS: CLIENT,
      AUTH_RULES: JSON.stringify(RULES),
      JWKS_TIMEOUT_MS: '200',
    },
    undefined,
  );
  const verifier = createTokenVerifier(config, { onJwksFetch: (ok) => metrics.jwksFetched(ok) });
  const authorize = createAuthorizer(config, verifier, createLogger('test', { write: () => undefined }), metrics);
  const written = () => {
    metrics.flush();
    return lines.map((line) => JSON.parse(line) as Record<string, any>);
  };
  return { authorize, written };
}

describe('the authorizer counts its decisions as EMF metrics', () => {
  const server = new JwksServer();
  let key: TestKey;
  const token = (overrides: Record<string, unknown> = {}) =>
    signJwt(key, accessClaims({ issuer: server.issuer, clientId: CLIENT }, overrides));

  beforeAll(async () => {
    await server.start();
    key = generateTestKey();
    server.serve(jwksOf(key));
  });
  afterAll(() => server.stop());

  it('counts allowed requests, denials by reason and the one JWKS fetch', async () => {
    // Prepare
    server.mode = 'ok';
    const { authorize, written } = authorizerFor(server);
    const reader = token({ scope: 'cognito-gate/read' });
    // Act
    await authorize(restEvent('/echo', reader));
    await authorize(restEvent('/echo', reader)); // from the decision cache: counted all the same
    await authorize(restEvent('/echo', token({ scope: 'other/scope' }))); // a Deny policy
    await expect(authorize(restEvent('/echo'))).rejects.toThrow('Unauthorized');
    await expect(authorize(restEvent('/echo', token({ exp: nowSeconds() - 60 })))).rejects.toThrow('Unauthorized');
    // Assess
    const [totals, ...denials] = written();
    expect(totals).toMatchObject({ Allowed: 2, JwksFetches: 1, JwksFetchFailures: 0 });
    expect(Object.fromEntries(denials.map(({ Reason, Denied }) => [Reason, Denied]))).toEqual({
      insufficient_scope: 1,
      token_missing: 1,
      token_expired: 1,
    });
  });

  it('counts a failed JWKS fetch, and the request it failed as denied with jwks_unavailable', async () => {
    // Prepare
    server.mode = 'down';
    const { authorize, written } = authorizerFor(server);
    // Act
    await expect(authorize(restEvent('/echo', token({ scope: 'cognito-gate/read' })))).rejects.toThrow();
    // Assess
    const [totals, unavailable] = written();
    expect(totals).toMatchObject({ Allowed: 0, JwksFetches: 1, JwksFetchFailures: 1 });
    expect(unavailable).toMatchObject({ Reason: 'jwks_unavailable', Denied: 1 });
  });
});
