import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAdminHandler } from '../../functions/admin/create-handler.js';
import { loadAdminConfig } from '../../shared/admin/admin-config.js';
import {
  createRevocationReader,
  createRevocationWriter,
  type RevocationStoreOptions,
} from '../../shared/revocation/revocation-store.js';
import { type CognitoStandIn, startCognitoStandIn } from '../stack/cognito-stand-in.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../stack/dynamodb.js';
import { findFreePort } from '../stack/ports.js';
import {
  type AdminRequest,
  captureLogger,
  lambdaContext,
  parseBody,
  v2Request,
} from '../unit/admin/support/admin-events.js';

/**
 * Disable, delete and sign-out write a user entry to the revocation table: the admin handler called with real
 * HTTP API v2 events, against its own Cognito stand-in (cognito-local behind the proxy that adds global sign-out)
 * and dynalite. Global sign-outs are read back from the stand-in's account state.
 */
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const LIFETIME_SECONDS = 3600;

let cognitoStandIn: CognitoStandIn;
let db: LocalDynamoDb;
let stateDir: string;
let cognito: CognitoIdentityProviderClient;
let poolId: string;
let storeOptions: RevocationStoreOptions;
let capture: ReturnType<typeof captureLogger>;

function cognitoClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: REGION, endpoint, credentials: CREDENTIALS, maxAttempts: 1 });
}

/** The admin function, writing its revocation entries to `dynamoDbEndpoint`. */
function adminFunction(dynamoDbEndpoint = db.endpoint) {
  const config = loadAdminConfig({
    COGNITO_USER_POOL_ID: poolId,
    AWS_REGION: REGION,
    COGNITO_ENDPOINT: cognitoStandIn.endpoint,
  });
  const handler = createAdminHandler({
    config,
    client: cognitoClient(cognitoStandIn.endpoint),
    logger: capture.logger,
    revocations: createRevocationWriter({ ...storeOptions, endpoint: dynamoDbEndpoint }),
  });
  return (request: AdminRequest) => handler(v2Request(request), lambdaContext());
}

async function createUser(username: string): Promise<string> {
  const created = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      MessageAction: 'SUPPRESS',
    }),
  );
  return created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value ?? '';
}

/** When the stand-in last signed the user out everywhere (AdminUserGlobalSignOut), if it did. */
const signedOut = (username: string) => cognitoStandIn.accountState.signedOutAt(poolId, username);

const userEntries = async () =>
  (await createRevocationReader(storeOptions, CREDENTIALS).readSince(0, Date.now())).entries.filter(
    (entry) => entry.kind === 'user',
  );

beforeAll(async () => {
  // The store takes its credentials from the environment, as in Lambda; dynalite accepts any.
  vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
  stateDir = await mkdtemp(join(tmpdir(), 'cognito-gate-admin-revocation-'));
  [cognitoStandIn, db] = await Promise.all([startCognitoStandIn({ stateDir, port: 0 }), startLocalDynamoDb()]);
  cognito = cognitoClient(cognitoStandIn.endpoint);
  poolId = (await cognito.send(new CreateUserPoolCommand({ PoolName: 'admin-revocation-test' }))).UserPool?.Id ?? '';
  storeOptions = {
    tableName: db.tables.RevocationTable!,
    region: REGION,
    endpoint: db.endpoint,
    tokenLifetimeSeconds: LIFETIME_SECONDS,
    timeoutMs: 2000,
  };
});

afterAll(async () => {
  await Promise.all([cognitoStandIn?.stop(), db?.stop()]);
  vi.unstubAllEnvs();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('the admin API with revocation on', () => {
  beforeEach(() => {
    capture = captureLogger();
  });

  it('disables a user, signs it out everywhere, and voids its tokens at the authorizer', async () => {
    // Prepare
    const sub = await createUser('dora');
    const before = Date.now();
    // Act
    const result = await adminFunction()({ method: 'POST', path: '/admin/users/dora/disable' });
    // Assess
    expect(result.statusCode).toBe(204);
    expect((await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dora' }))).Enabled).toBe(false);
    expect(signedOut('dora')).toBeGreaterThanOrEqual(before);
    const entry = (await userEntries()).find((candidate) => candidate.subject === sub);
    expect(entry?.revokedAt).toBeGreaterThanOrEqual(before);
    expect(entry?.revokedAt).toBeLessThanOrEqual(Date.now());
    expect(capture.audit().at(-1)).toMatchObject({
      action: 'user.disable',
      outcome: 'success',
      detail: { signOut: 'done', revocation: 'recorded' },
    });
  });

  it('signs a user out everywhere with POST /admin/users/{username}/sign-out, leaving it enabled', async () => {
    // Prepare
    const sub = await createUser('sami');
    // Act
    const result = await adminFunction()({ method: 'POST', path: '/admin/users/sami/sign-out' });
    // Assess
    expect(result.statusCode).toBe(204);
    expect(signedOut('sami')).toBeDefined();
    expect((await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'sami' }))).Enabled).toBe(true);
    expect((await userEntries()).map((entry) => entry.subject)).toContain(sub);
    expect(capture.audit().at(-1)).toMatchObject({ action: 'user.sign_out', detail: { revocation: 'recorded' } });
  });

  it('deletes a user and voids every token it may still hold, even one issued during the delete', async () => {
    // Prepare
    const sub = await createUser('dave');
    const before = Date.now();
    // Act
    const result = await adminFunction()({ method: 'DELETE', path: '/admin/users/dave' });
    // Assess
    expect(result.statusCode).toBe(204);
    const entry = (await userEntries()).find((candidate) => candidate.subject === sub);
    expect(entry?.revokedAt).toBeGreaterThanOrEqual(before + LIFETIME_SECONDS * 1000);
  });

  it('answers 404 to the sign-out of an unknown user and writes nothing', async () => {
    // Prepare
    const count = (await userEntries()).length;
    // Act
    const result = await adminFunction()({ method: 'POST', path: '/admin/users/nobody-here/sign-out' });
    // Assess
    expect(result.statusCode).toBe(404);
    expect(signedOut('nobody-here')).toBeUndefined();
    expect(await userEntries()).toHaveLength(count);
  });

  it('answers 502 when the table cannot be written, saying the call may be repeated; a failed delete keeps the user', async () => {
    // Prepare: nothing listens where the table should be
    await createUser('ursula');
    const admin = adminFunction(`http://127.0.0.1:${await findFreePort()}`);
    // Act
    const disable = await admin({ method: 'POST', path: '/admin/users/ursula/disable' });
    const remove = await admin({ method: 'DELETE', path: '/admin/users/ursula' });
    // Assess
    expect([disable.statusCode, remove.statusCode]).toEqual([502, 502]);
    expect(parseBody(disable).error).toMatchObject({
      code: 'upstream_unavailable',
      message: "The authorizer's revocation list could not be written; the call is safe to repeat",
    });
    expect((await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ursula' }))).Username).toBe(
      'ursula',
    );
    expect(capture.audit().map((record) => record.detail?.revocation)).toEqual(['failed', 'failed']);
  });
});
