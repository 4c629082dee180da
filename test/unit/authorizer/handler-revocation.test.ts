import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../shared/errors/gate-error.js';
import { createRevocationWriter } from '../../../shared/revocation/revocation-store.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../stack/dynamodb.js';
import { findFreePort } from '../../stack/ports.js';
import { loadEvent } from '../../support/fixtures.js';
import { JwksServer } from '../../support/jwks-server.js';
import { accessClaims, generateTestKey, jwksOf, signJwt, type TestKey } from '../../support/signing.js';

const CLIENT = 'client-a';
type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * functions/authorizer/handler.ts as Lambda loads it: a fresh module per test is a new container, its settings from
 * the environment, its revocation list read from dynalite.
 */
describe('the authorizer handler, from a cold start, with revocation on', () => {
  const jwks = new JwksServer();
  let key: TestKey;
  let db: LocalDynamoDb;
  let stdout: string[];

  beforeAll(async () => {
    await jwks.start();
    key = generateTestKey();
    jwks.serve(jwksOf(key));
    db = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await db.stop();
    await jwks.stop();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  /** A new container: env set, module loaded afresh, stdout (its log) captured. */
  async function coldContainer(dynamoDbEndpoint: string, unset: readonly string[] = []): Promise<Handler> {
    const env: Record<string, string | undefined> = {
      COGNITO_USER_POOL_ID: 'local_pool',
      COGNITO_ISSUER: jwks.issuer,
      COGNITO_CLIENT_IDS: CLIENT,
      AUTH_RULES: JSON.stringify({ rules: [{ route: 'GET /echo', scopes: ['cognito-gate/read'] }] }),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      REVOCATION_TABLE: db.tables.RevocationTable!,
      DYNAMODB_ENDPOINT: dynamoDbEndpoint,
      REVOCATION_TIMEOUT_MS: '500',
    };
    for (const name of unset) env[name] = undefined;
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
    vi.resetModules();
    return ((await import('../../../functions/authorizer/handler.js')) as { handler: Handler }).handler;
  }

  const event = (token: string) => {
    const base = loadEvent('authorizer-http-v2.powertools-ts');
    base.routeArn = 'arn:aws:execute-api:eu-west-1:123456789012:api123/$default/GET/echo';
    base.headers = { authorization: `Bearer ${token}` };
    return base;
  };
  const token = (originJti: string) =>
    signJwt(key, accessClaims({ issuer: jwks.issuer, clientId: CLIENT }, { origin_jti: originJti }));

  it('refuses a revoked token on the very first request of a new container', async () => {
    // Prepare: the session was logged out before this container existed
    const writer = createRevocationWriter({
      tableName: db.tables.RevocationTable!,
      region: 'us-east-1',
      endpoint: db.endpoint,
      tokenLifetimeSeconds: 86_400,
      timeoutMs: 2000,
    });
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    await writer.revokeSession('origin-logged-out', 'logout');
    writer.destroy();
    const handler = await coldContainer(db.endpoint);
    // Act
    const first = handler(event(token('origin-logged-out')), {});
    // Assess
    await expect(first).rejects.toThrow('Unauthorized');
    expect(stdout.join('')).toContain('"reason":"token_revoked"');
    await expect(handler(event(token('origin-live')), {})).resolves.toMatchObject({ isAuthorized: true });
  });

  it('fails closed on its first request when the table cannot be read (REVOCATION_STALE=deny)', async () => {
    // Prepare: nothing listens on this port
    const handler = await coldContainer(`http://127.0.0.1:${await findFreePort()}`);
    // Act
    const first = handler(event(token('origin-live')), {});
    // Assess
    await expect(first).rejects.toMatchObject({ reason: 'revocation_unavailable' });
    expect(stdout.join('')).toContain('revocation list not refreshed; keeping the last good copy');
  });

  it('does not start without the role credentials it signs its reads with, and says which one is missing', async () => {
    // Act
    const cold = coldContainer(db.endpoint, ['AWS_SECRET_ACCESS_KEY']);
    // Assess
    await expect(cold).rejects.toThrow(
      new ConfigError('AWS_SECRET_ACCESS_KEY is required to read the revocation table (Lambda sets it from the role)'),
    );
  });
});
