import { createServer, type Server, type Socket } from 'node:net';
import { BatchWriteItemCommand, type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createRevocationReader,
  createRevocationWriter,
  entryFor,
  REVOCATION_PARTITION,
  type RevocationStoreOptions,
  toItem,
} from '../../../shared/revocation/revocation-store.js';
import {
  createLocalDynamoDbClient,
  LOCAL_DYNAMODB_CREDENTIALS,
  type LocalDynamoDb,
  startLocalDynamoDb,
  tablesOfServerlessYml,
} from '../../stack/dynamodb.js';

const DAY_SECONDS = 86_400;

// The writer's SDK client takes its credentials from the environment, as a Lambda function does; dynalite accepts any.
beforeAll(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
});
afterAll(() => {
  vi.unstubAllEnvs();
});
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** The revocation store against dynalite, with the table created from serverless.yml. */
describe('the revocation store, against dynalite', () => {
  let db: LocalDynamoDb;
  let raw: DynamoDBClient;
  let options: RevocationStoreOptions;
  let clock: number;
  const writer = () => createRevocationWriter(options, { now: () => clock });
  const reader = () => createRevocationReader(options, LOCAL_DYNAMODB_CREDENTIALS);

  beforeEach(async () => {
    db = await startLocalDynamoDb();
    raw = createLocalDynamoDbClient(db.endpoint);
    options = {
      tableName: db.tables.RevocationTable!,
      region: 'us-east-1',
      endpoint: db.endpoint,
      tokenLifetimeSeconds: DAY_SECONDS,
      timeoutMs: 2000,
    };
    clock = T0;
  });
  afterEach(async () => {
    raw.destroy();
    await db.stop();
  });

  const allItems = async () =>
    (
      await raw.send(
        new QueryCommand({
          TableName: options.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: REVOCATION_PARTITION } },
        }),
      )
    ).Items ?? [];

  it('writes a session entry that expires one token lifetime later, in the attribute serverless.yml names for TTL', async () => {
    // Prepare
    const { RevocationTable } = await tablesOfServerlessYml();
    const { readFile } = await import('node:fs/promises');
    const ttlAttribute = /TimeToLiveSpecification:\s*\{\s*AttributeName:\s*(\w+),\s*Enabled:\s*true\s*\}/.exec(
      await readFile(new URL('../../../serverless.yml', import.meta.url), 'utf8'),
    )?.[1];
    // Act
    await writer().revokeSession('origin-1', 'logout');
    // Assess
    const [item] = await allItems();
    expect(RevocationTable?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(ttlAttribute).toBe('expiresAt');
    expect(item).toMatchObject({
      pk: { S: 'revocations' },
      sk: { S: expect.stringMatching(new RegExp(`^${String(T0).padStart(13, '0')}#[0-9a-f]{12}$`)) },
      kind: { S: 'session' },
      subject: { S: 'origin-1' },
      revokedAt: { N: String(T0) },
      expiresAt: { N: String(T0 / 1000 + DAY_SECONDS) },
      cause: { S: 'logout' },
    });
  });

  it('reads back what was written, kind by kind', async () => {
    // Prepare
    const writing = writer();
    await writing.revokeSession('origin-1', 'logout');
    clock += 1000;
    await writing.revokeUser('sub-disabled', 'disable');
    // Act
    const read = await reader().readSince(T0 - 1, clock);
    // Assess
    expect(read).toEqual({
      entries: [
        { kind: 'session', subject: 'origin-1', revokedAt: T0, expiresAt: T0 / 1000 + DAY_SECONDS },
        { kind: 'user', subject: 'sub-disabled', revokedAt: T0 + 1000, expiresAt: (T0 + 1000) / 1000 + DAY_SECONDS },
      ],
      malformed: 0,
    });
  });

  it('voids every token of a deleted user: its entry covers tokens issued up to a lifetime after the delete', async () => {
    // Act
    await writer().revokeUser('sub-deleted', 'delete');
    // Assess
    const { entries } = await reader().readSince(T0, T0);
    expect(entries).toEqual([
      { kind: 'user', subject: 'sub-deleted', revokedAt: T0 + DAY_SECONDS * 1000, expiresAt: T0 / 1000 + DAY_SECONDS },
    ]);
  });

  it('returns only the entries written since the given time: a refresh reads only what changed', async () => {
    // Prepare
    const writing = writer();
    await writing.revokeSession('old', 'logout');
    clock = T0 + 5000;
    await writing.revokeSession('exactly-at-since', 'logout');
    clock = T0 + 9000;
    await writing.revokeSession('new', 'logout');
    // Act
    const { entries } = await reader().readSince(T0 + 5000, T0 + 9000);
    // Assess
    expect(entries.map((entry) => entry.subject)).toEqual(['exactly-at-since', 'new']);
  });

  it('ignores entries that have expired but that DynamoDB has not deleted yet', async () => {
    // Prepare
    await writer().revokeSession('expired', 'logout');
    clock = T0 + 60_000;
    await writer().revokeSession('live', 'logout');
    // Act: read one second after the first entry's expiry
    const { entries } = await reader().readSince(0, T0 + DAY_SECONDS * 1000 + 1000);
    // Assess
    expect((await allItems()).length).toBe(2);
    expect(entries.map((entry) => entry.subject)).toEqual(['live']);
  });

  it('skips and counts items that are not revocation entries', async () => {
    // Prepare
    await writer().revokeSession('good', 'logout');
    await raw.send(
      new PutItemCommand({
        TableName: options.tableName,
        Item: {
          ...toItem(entryFor('user', 'x', 'disable', { now: T0, tokenLifetimeSeconds: DAY_SECONDS }), 'disable', T0),
          kind: { S: 'group' },
        },
      }),
    );
    // Act
    const read = await reader().readSince(0, T0);
    // Assess
    expect(read.entries.map((entry) => entry.subject)).toEqual(['good']);
    expect(read.malformed).toBe(1);
  });

  it("rejects a read of a table that does not exist with DynamoDB's error type, so the list keeps its last copy", async () => {
    // Prepare
    const store = createRevocationReader({ ...options, tableName: 'no-such-table' }, LOCAL_DYNAMODB_CREDENTIALS);
    // Act
    const outcome = await store.readSince(0, T0).then(
      () => 'answered',
      (error: Error) => `${error.name}: ${error.message}`,
    );
    // Assess
    expect(outcome).toMatch(/^ResourceNotFoundException: DynamoDB answered 400 ResourceNotFoundException: /);
    store.destroy();
  });

  it('pages through a read larger than one DynamoDB page (1 MB)', async () => {
    // Prepare: 300 entries of about 3.6 kB each
    const entries = Array.from({ length: 300 }, (_, i) =>
      entryFor('session', `${String(i).padStart(4, '0')}-${'s'.repeat(3600)}`, 'logout', {
        now: T0,
        tokenLifetimeSeconds: DAY_SECONDS,
      }),
    );
    for (let i = 0; i < entries.length; i += 25) {
      await raw.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [options.tableName]: entries
              .slice(i, i + 25)
              .map((entry) => ({ PutRequest: { Item: toItem(entry, 'logout', T0) } })),
          },
        }),
      );
    }
    const firstPage = await raw.send(
      new QueryCommand({
        TableName: options.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: REVOCATION_PARTITION } },
      }),
    );
    // Act
    const read = await reader().readSince(0, T0);
    // Assess
    expect(firstPage.LastEvaluatedKey).toBeDefined(); // the data does span two pages
    expect(read.entries).toHaveLength(300);
    expect(new Set(read.entries.map((entry) => entry.subject)).size).toBe(300);
  });
});

describe('the revocation store against a DynamoDB endpoint that never answers', () => {
  let silent: Server;
  let port: number;
  const sockets = new Set<Socket>();
  beforeEach(async () => {
    silent = createServer((socket) => sockets.add(socket)); // accepts the connection, never says a word
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('gives up a read with an AbortError once timeoutMs has passed, instead of waiting for ever', async () => {
    // Prepare
    const store = createRevocationReader(
      {
        tableName: 'revocations',
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        tokenLifetimeSeconds: DAY_SECONDS,
        timeoutMs: 200,
      },
      LOCAL_DYNAMODB_CREDENTIALS,
    );
    // Act
    const outcome = await store.readSince(0, Date.now()).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    // Assess
    expect(outcome).toBe('AbortError');
    store.destroy();
  });
});
