import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveCacheKeys } from '../../shared/m2m/cache-key.js';
import type { CachedToken } from '../../shared/m2m/sealed-token.js';
import { createDynamoTokenTable } from '../../shared/m2m/token-table.js';
import { createLocalDynamoDbClient, type LocalDynamoDb, startLocalDynamoDb } from '../stack/dynamodb.js';

const CLIENT = '1example23456789';
const SECRET = 'abcdef01234567890ghijklmnopqrstuvwxyz0123456789abc';
const SCOPE = 'orders/read';
const T0 = Date.parse('2026-12-01T10:00:00Z');
const token = (accessToken: string, expiresAt = T0 + 3600_000): CachedToken => ({
  accessToken,
  tokenType: 'Bearer',
  freshUntil: T0 + (expiresAt - T0) * 0.75,
  expiresAt,
});
const ACCESS_TOKEN = 'eyJraWQiOiJrMSJ9.eyJjbGllbnRfaWQiOiIxZXhhbXBsZTIzNDU2Nzg5In0.c2lnbmF0dXJlLWJ5dGVz';

describe('the shared token table on DynamoDB (dynalite, created from serverless.yml)', () => {
  let dynamo: LocalDynamoDb;
  let tableName: string;
  const table = (timeoutMs = 2000) => createDynamoTokenTable({ client: dynamo.client, tableName, timeoutMs });
  const keys = deriveCacheKeys(CLIENT, SECRET, [SCOPE]);

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
    tableName = dynamo.tables.TokenCacheTable!;
  });
  afterAll(() => dynamo.stop());

  it('is declared in serverless.yml as the stage’s m2m-tokens table', () => {
    expect(tableName).toBe('cognito-gate-dev-m2m-tokens');
  });

  it('gives a token stored by one container to another', async () => {
    await table().put(keys, token(ACCESS_TOKEN));
    expect(await table().get(keys)).toEqual(token(ACCESS_TOKEN));
  });

  it('holds nothing usable without the secret: no token, secret, client id or scope in any attribute', async () => {
    // Prepare
    await table().put(keys, token(ACCESS_TOKEN));
    // Act
    const { Items = [] } = await dynamo.client.send(new ScanCommand({ TableName: tableName }));
    // Assess
    expect(Items.length).toBeGreaterThan(0);
    for (const item of Items) {
      expect(Object.keys(item).sort()).toEqual(['expiresAt', 'id', 'sealed']);
      const everything = [item.id!.S, Buffer.from(item.sealed!.B!).toString('latin1'), item.expiresAt!.N].join('|');
      for (const secret of [SECRET, CLIENT, SCOPE, 'Bearer', ...ACCESS_TOKEN.split('.')])
        expect(everything).not.toContain(secret);
    }
  });

  it('writes the expiry in epoch seconds, for DynamoDB’s TTL', async () => {
    await table().put(keys, token(ACCESS_TOKEN, T0 + 3600_000));
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: tableName, Key: { id: { S: keys.id } } }),
    );
    expect(Item?.expiresAt?.N).toBe(String((T0 + 3600_000) / 1000));
  });

  it('has nothing for a wrong secret', async () => {
    await table().put(keys, token(ACCESS_TOKEN));
    expect(await table().get(deriveCacheKeys(CLIENT, `${SECRET}0`, [SCOPE]))).toBeUndefined();
  });

  it('does not open an item copied under another entry’s id', async () => {
    // Prepare: someone with write access to the table copies a sealed token to another client's entry
    await table().put(keys, token(ACCESS_TOKEN));
    const other = deriveCacheKeys('2example23456789', SECRET, [SCOPE]);
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: tableName, Key: { id: { S: keys.id } } }),
    );
    await dynamo.client.send(new PutItemCommand({ TableName: tableName, Item: { ...Item!, id: { S: other.id } } }));
    // Act, Assess
    expect(await table().get(other)).toBeUndefined();
  });

  it('keeps the longer-lived token when two containers store at once', async () => {
    const entry = deriveCacheKeys(CLIENT, SECRET, ['orders/write']);
    await table().put(entry, token('later', T0 + 3600_000));
    await table().put(entry, token('earlier', T0 + 1800_000));
    expect((await table().get(entry))?.accessToken).toBe('later');
  });

  it('deletes an entry', async () => {
    const entry = deriveCacheKeys(CLIENT, SECRET, ['orders/admin']);
    await table().put(entry, token(ACCESS_TOKEN));
    await table().delete(entry);
    expect(await table().get(entry)).toBeUndefined();
  });

  it('gives up on a table that does not answer, instead of holding the request', async () => {
    // Prepare: an endpoint that accepts connections and never replies
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const client = createLocalDynamoDbClient(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    const hanging = createDynamoTokenTable({ client, tableName, timeoutMs: 100 });
    try {
      // Act, Assess
      await expect(hanging.get(keys)).rejects.toMatchObject({ name: expect.stringMatching(/Abort|Timeout/) });
    } finally {
      client.destroy();
      silent.closeAllConnections();
      silent.close();
    }
  });
});
