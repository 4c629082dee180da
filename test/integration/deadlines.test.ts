import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAdminHandler } from '../../functions/admin/create-handler.js';
import { createAuthHandler } from '../../functions/auth/create-handler.js';
import { DEADLINE_MARGIN_MS } from '../../shared/lambda/deadline.js';
import { createLogger } from '../../shared/logging/logger.js';
import { createEndpointSource } from '../../shared/oidc/discovery.js';
import { createTokenEndpointClient } from '../../shared/oidc/token-endpoint.js';
import { loadAuthConfig } from '../../shared/session/auth-config.js';
import { createAuthSecrets } from '../../shared/session/auth-secrets.js';
import { createTokenVerifier } from '../../shared/tokens/verifier.js';
import { loadEvent } from '../support/fixtures.js';
import { JwksServer } from '../support/jwks-server.js';
import { accessClaims, generateTestKey, signJwt } from '../support/signing.js';
import { lambdaContext, testConfig, v2Request } from '../unit/admin/support/admin-events.js';

/**
 * Each function's own deadline, against a dependency that accepts the connection and never answers (a real
 * socket on loopback): the answer is a 503 with a logged reason, well before the Lambda timeout would end it.
 */
const BUDGET_MS = DEADLINE_MARGIN_MS + 400; // what Lambda says is left: the deadline falls 400 ms from now

/** A Lambda context whose clock says BUDGET_MS are left. */
function contextWithBudget(awsRequestId: string) {
  const end = Date.now() + BUDGET_MS;
  return { ...lambdaContext(awsRequestId), getRemainingTimeInMillis: () => end - Date.now() };
}

function capture() {
  const lines: string[] = [];
  const logger = createLogger('test', { write: (line) => lines.push(line) });
  return { logger, logged: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('a function whose dependency never answers', () => {
  const silent = new JwksServer();
  beforeAll(async () => {
    await silent.start('/us-east-1_silent');
    silent.mode = 'slow';
  });
  afterAll(() => silent.stop());
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('answers a cold /auth/login with 503 deadline_exceeded while discovery still waits', async () => {
    // Prepare: discovery's own timeout (3 s) is far beyond the budget
    const { logger, logged } = capture();
    const config = loadAuthConfig({
      COGNITO_USER_POOL_ID: 'us-east-1_silent',
      COGNITO_ISSUER: silent.issuer,
      OIDC_CLIENT_ID: 'web-client',
      OIDC_CLIENT_SECRET: 'local-client-secret',
      OIDC_REDIRECT_URI: 'https://app.example.com/auth/callback',
      COOKIE_SECRET: 'local-cookie-secret-0123456789abcdef',
      OIDC_HTTP_TIMEOUT_MS: '3000',
    });
    const handler = createAuthHandler({
      config,
      logger,
      verifier: createTokenVerifier({ ...config, issuers: [config.issuer], clientIds: [config.clientId] }),
      endpoints: createEndpointSource({
        discoveryUrl: config.discoveryUrl,
        overrides: config.endpointOverrides,
        policy: { issuer: config.issuer.issuer, allowLoopbackHttp: true },
        timeoutMs: config.httpTimeoutMs,
      }),
      tokenClient: createTokenEndpointClient({ timeoutMs: config.httpTimeoutMs }),
      secrets: createAuthSecrets(config),
    });
    const event = loadEvent('no-authorizer.aws-lambda-go');
    Object.assign(event, { rawPath: '/auth/login', rawQueryString: '', routeKey: 'GET /auth/login' });
    Object.assign(event.requestContext.http, { method: 'GET', path: '/auth/login' });
    event.headers = { accept: 'application/json' };
    const started = Date.now();
    // Act
    const result = (await handler(event as never, contextWithBudget('auth-1') as never)) as {
      statusCode: number;
      body: string;
    };
    // Assess
    expect(Date.now() - started).toBeLessThan(BUDGET_MS);
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body).error.code).toBe('deadline_exceeded');
    expect(logged()).toEqual([
      expect.objectContaining({ message: 'deadline exceeded', reason: 'deadline_exceeded', requestId: 'auth-1' }),
    ]);
  });

  it('answers an admin call with 503 deadline_exceeded while Cognito still waits', async () => {
    // Prepare
    const { logger, logged } = capture();
    const client = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: silent.issuer,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const handler = createAdminHandler({ config: testConfig({ COGNITO_ENDPOINT: silent.issuer }), client, logger });
    // Act
    const result = (await handler(
      v2Request({ method: 'GET', path: '/admin/groups' }) as never,
      contextWithBudget('admin-1') as never,
    )) as { statusCode: number; body: string };
    // Assess
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body).error.code).toBe('deadline_exceeded');
    expect(logged()).toContainEqual(
      expect.objectContaining({ message: 'deadline exceeded', reason: 'deadline_exceeded', requestId: 'admin-1' }),
    );
  });

  it('fails the authorizer closed before its timeout while the JWKS fetch still waits', async () => {
    // Prepare: the production handler module, configured as Lambda would, with a JWKS deadline beyond the budget
    const key = generateTestKey();
    vi.stubEnv('COGNITO_USER_POOL_ID', 'us-east-1_silent');
    vi.stubEnv('COGNITO_ISSUER', silent.issuer);
    vi.stubEnv('COGNITO_CLIENT_IDS', 'web-client');
    vi.stubEnv('JWKS_TIMEOUT_MS', '10000');
    vi.stubEnv('AUTH_RULES', JSON.stringify({ rules: [{ route: 'GET /echo', scopes: ['cognito-gate/read'] }] }));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { handler } = await import('../../functions/authorizer/handler.js');
    const event = loadEvent('offline-rest-request-authorizer');
    event.methodArn = 'arn:aws:execute-api:us-east-1:123456789012:api123/prod/GET/echo';
    const token = signJwt(key, accessClaims({ issuer: silent.issuer, clientId: 'web-client' }));
    event.headers = { Authorization: `Bearer ${token}` };
    event.multiValueHeaders = { Authorization: [`Bearer ${token}`] };
    const started = Date.now();
    // Act
    const answer = handler(event as never, contextWithBudget('authorizer-1') as never);
    // Assess
    // The module was loaded afresh, with its own copy of the error classes: compare by name and reason.
    await expect(answer).rejects.toMatchObject({ name: 'DeadlineExceededError', reason: 'deadline_exceeded' });
    expect(Date.now() - started).toBeLessThan(BUDGET_MS);
    const lines = write.mock.calls.map(([chunk]) => String(chunk));
    write.mockRestore();
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ message: 'deadline exceeded', reason: 'deadline_exceeded', requestId: 'authorizer-1' }),
    );
  });
});
