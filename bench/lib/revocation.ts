import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BatchWriteItemCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  entryFor,
  type RevocationCause,
  type RevocationEntry,
  type RevocationKind,
  toItem,
} from '../../shared/revocation/revocation-store.js';
import {
  createLocalDynamoDbClient,
  LOCAL_DYNAMODB_CREDENTIALS,
  tablesOfServerlessYml,
} from '../../test/stack/dynamodb.js';

export interface BenchRevocationTable {
  /** The authorizer's settings for this table: REVOCATION_TABLE, DYNAMODB_ENDPOINT, region and credentials. */
  readonly env: Record<string, string>;
  /** One revoked sign-in and one revoked user from the middle of the table, for the correctness checks. */
  readonly revokedOriginJti: string;
  readonly revokedSub: string;
  /** Users' entries void tokens issued until this instant (ms). */
  readonly revokedAt: number;
  stop(): Promise<void>;
}

const LIFETIME_SECONDS = 86_400;
const subject = (kind: RevocationKind, i: number) => `bench-${kind}-${String(i).padStart(6, '0')}`;

/** `count` entries written at `writtenAt`, half sign-ins (logout) and half users (disable). */
export function benchEntries(count: number, writtenAt: number): { entry: RevocationEntry; cause: RevocationCause }[] {
  return Array.from({ length: count }, (_, i) => {
    const kind: RevocationKind = i % 2 === 0 ? 'session' : 'user';
    const cause = kind === 'session' ? 'logout' : 'disable';
    return {
      entry: entryFor(kind, subject(kind, i), cause, { now: writtenAt, tokenLifetimeSeconds: LIFETIME_SECONDS }),
      cause,
    };
  });
}

/**
 * dynalite (in a process of its own) with the revocation table of serverless.yml, holding `count` live entries, half sessions and half users,
 * written an hour ago: a cold container loads them all, and the refreshes during the run (every 5 s) find the
 * last 30 s empty, as in a steady state.
 */
export async function startRevocationTable(count: number): Promise<BenchRevocationTable> {
  const db = await startDynaliteProcess();
  const schema = (await tablesOfServerlessYml()).RevocationTable!;
  const tableName = schema.TableName!;
  const writtenAt = Date.now() - 3_600_000;
  const client = createLocalDynamoDbClient(db.endpoint);
  await client.send(new CreateTableCommand(schema));
  try {
    const items = benchEntries(count, writtenAt).map(({ entry, cause }) => toItem(entry, cause, writtenAt));
    for (let i = 0; i < items.length; i += 25) {
      await client.send(
        new BatchWriteItemCommand({
          RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    }
  } finally {
    client.destroy();
  }
  const middle = Math.floor(count / 2) - (Math.floor(count / 2) % 2);
  return {
    env: {
      REVOCATION_TABLE: tableName,
      DYNAMODB_ENDPOINT: db.endpoint,
      REVOCATION_TOKEN_LIFETIME_SECONDS: String(LIFETIME_SECONDS),
      // dynalite pages through 1.5 MB far slower than DynamoDB does: the first read gets the longest deadline.
      REVOCATION_TIMEOUT_MS: '10000',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: LOCAL_DYNAMODB_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_DYNAMODB_CREDENTIALS.secretAccessKey,
    },
    revokedOriginJti: subject('session', middle),
    revokedSub: subject('user', middle + 1),
    revokedAt: writtenAt,
    stop: db.stop,
  };
}

/** dynalite in a child process (bench/lib/dynalite-process.mjs): the server's work stays out of the timings. */
async function startDynaliteProcess(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./dynalite-process.mjs', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = /DYNALITE_PORT (\d+)/.exec(output);
      if (found) resolve(found[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench: dynalite exited (${code}) before it listened`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
