import { randomBytes } from 'node:crypto';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbQuery, type SigningCredentials } from './dynamodb-query.js';

/**
 * The revocation table: its item format, and the reads and writes the functions make.
 *
 * Every item sits in ONE partition (`pk` = "revocations"), sorted by `sk` = the write time in milliseconds, zero-
 * padded, then a random suffix. A reader asks for `sk >= <a time>` and so gets only what was written since its
 * last read: one Query, one read unit while nothing changed. Revocations are rare (a logout, an admin action), so
 * one partition is plenty; DynamoDB serves up to 1,000 writes and 3,000 strongly consistent reads per second
 * from one partition, which would mean ~1,000 logouts per second, or ~15,000 warm authorizer containers each
 * reading every 5 s. Beyond that, write to N partitions ("revocations#0".."#N-1") and have readers query each.
 */
export const REVOCATION_PARTITION = 'revocations';

/** A session: the tokens of one sign-in (their `origin_jti`). A user: the tokens of a `sub` issued until a time. */
export type RevocationKind = 'session' | 'user';
/** Why the entry was written; kept for the people reading the table. */
export type RevocationCause = 'logout' | 'refresh_revoked' | 'disable' | 'delete' | 'sign_out';

export interface RevocationEntry {
  readonly kind: RevocationKind;
  /** The `origin_jti` of a session, or the `sub` of a user. */
  readonly subject: string;
  /** Milliseconds since the epoch. For a user: its tokens with `iat` up to this instant are void. */
  readonly revokedAt: number;
  /** Seconds since the epoch (DynamoDB's TTL attribute): past it, no token that the entry covers is still valid. */
  readonly expiresAt: number;
}

export interface RevocationRead {
  readonly entries: RevocationEntry[];
  /** Items that are not revocation entries (written by hand, or by a newer version); they are skipped. */
  readonly malformed: number;
}

export interface RevocationReader {
  /** Entries written at or after `sinceMs` (writer's clock) that have not expired at `nowMs`. */
  readSince(sinceMs: number, nowMs: number): Promise<RevocationRead>;
}

export interface RevocationWriter {
  /** Voids every token of one sign-in. */
  revokeSession(originJti: string, cause: RevocationCause): Promise<void>;
  /** Voids the user's tokens issued until now; for `delete`, every token the user may still hold. */
  revokeUser(sub: string, cause: RevocationCause): Promise<void>;
}

export interface RevocationStoreOptions {
  readonly tableName: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly tokenLifetimeSeconds: number;
  readonly timeoutMs: number;
}

// 13 digits hold every millisecond until the year 2286, so string order is time order.
const TIME_DIGITS = 13;
// A reader pages through at most this many 1 MB pages (about 60,000 entries) in one refresh.
const MAX_PAGES = 64;

/** The sort key of an item written at `writtenAt`: time first, so a range condition selects by write time. */
export function sortKeyAt(writtenAt: number, suffix = randomBytes(6).toString('hex')): string {
  return `${String(Math.max(0, Math.floor(writtenAt))).padStart(TIME_DIGITS, '0')}#${suffix}`;
}

/** The entry as a DynamoDB item: the one place that knows the attribute names. */
export function toItem(
  entry: RevocationEntry,
  cause: RevocationCause,
  writtenAt: number,
): Record<string, AttributeValue> {
  return {
    pk: { S: REVOCATION_PARTITION },
    sk: { S: sortKeyAt(writtenAt) },
    kind: { S: entry.kind },
    subject: { S: entry.subject },
    revokedAt: { N: String(entry.revokedAt) },
    expiresAt: { N: String(entry.expiresAt) },
    cause: { S: cause },
  };
}

/** The item as an entry, or undefined when it is not one. */
export function fromItem(item: Record<string, AttributeValue>): RevocationEntry | undefined {
  const kind = item.kind?.S;
  const subject = item.subject?.S;
  const revokedAt = Number(item.revokedAt?.N);
  const expiresAt = Number(item.expiresAt?.N);
  if ((kind !== 'session' && kind !== 'user') || !subject || !Number.isFinite(revokedAt) || !Number.isFinite(expiresAt))
    return undefined;
  return { kind, subject, revokedAt, expiresAt };
}

/**
 * Entries as written by the functions: a session or a disabled/signed-out user is void from now on; a deleted
 * user's `sub` never comes back, so all of its tokens are void, including one issued during the delete itself.
 * Every entry matters for one token lifetime after it is written, and expires then.
 */
export function entryFor(
  kind: RevocationKind,
  subject: string,
  cause: RevocationCause,
  { now, tokenLifetimeSeconds }: { now: number; tokenLifetimeSeconds: number },
): RevocationEntry {
  const lifetimeMs = tokenLifetimeSeconds * 1000;
  return {
    kind,
    subject,
    revokedAt: kind === 'user' && cause === 'delete' ? now + lifetimeMs : now,
    expiresAt: Math.ceil((now + lifetimeMs) / 1000),
  };
}

type DynamoDbModule = typeof import('@aws-sdk/client-dynamodb');
type Connect = () => Promise<{ module: DynamoDbModule; client: DynamoDBClient }>;

/** The writers' SDK client, imported on first use, so a function with revocation off never loads it. */
function connection(options: RevocationStoreOptions): { connect: Connect; destroy(): void } {
  let sdk: ReturnType<Connect> | undefined;
  const connect: Connect = () =>
    (sdk ??= import('@aws-sdk/client-dynamodb').then((module) => ({
      module,
      client: new module.DynamoDBClient({
        region: options.region,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        maxAttempts: 2,
      }),
    })));
  return { connect, destroy: () => void sdk?.then(({ client }) => client.destroy()) };
}

/**
 * The authorizer's side: Query only (its IAM role allows nothing else), as signed HTTPS requests rather than through
 * the SDK, whose load is most of a cold start (dynamodb-query.ts). Each read gives up after `timeoutMs`.
 */
export function createRevocationReader(
  options: RevocationStoreOptions,
  credentials: SigningCredentials,
): RevocationReader & { destroy(): void } {
  const dynamoDb = createDynamoDbQuery({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    credentials,
  });
  return {
    destroy: dynamoDb.destroy,
    async readSince(sinceMs, nowMs) {
      const signal = AbortSignal.timeout(options.timeoutMs);
      const entries: RevocationEntry[] = [];
      let malformed = 0;
      let startKey: Record<string, AttributeValue> | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const out = await dynamoDb.query(
          {
            TableName: options.tableName,
            KeyConditionExpression: '#pk = :pk AND #sk >= :since',
            // Expired items are skipped here and again below: DynamoDB's TTL deletes them late.
            FilterExpression: '#expiresAt > :now',
            ProjectionExpression: '#kind, #subject, #revokedAt, #expiresAt',
            ExpressionAttributeNames: {
              '#pk': 'pk',
              '#sk': 'sk',
              '#kind': 'kind',
              '#subject': 'subject',
              '#revokedAt': 'revokedAt',
              '#expiresAt': 'expiresAt',
            },
            ExpressionAttributeValues: {
              ':pk': { S: REVOCATION_PARTITION },
              ':since': { S: sortKeyAt(sinceMs, '') },
              ':now': { N: String(Math.floor(nowMs / 1000)) },
            },
            // A write acknowledged before this read starts is in it.
            ConsistentRead: true,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          },
          signal,
        );
        for (const item of out.Items ?? []) {
          const entry = fromItem(item);
          if (entry === undefined) malformed++;
          else if (entry.expiresAt * 1000 > nowMs) entries.push(entry);
        }
        startKey = out.LastEvaluatedKey;
        if (!startKey) return { entries, malformed };
      }
      throw new Error(`the revocation table holds more than ${MAX_PAGES} pages of entries`);
    },
  };
}

/** The token service's and the admin API's side: PutItem only. Each write gives up after `timeoutMs`. */
export function createRevocationWriter(
  options: RevocationStoreOptions,
  { now = Date.now }: { now?: () => number } = {},
): RevocationWriter & { destroy(): void } {
  const { connect, destroy } = connection(options);
  const write = async (kind: RevocationKind, subject: string, cause: RevocationCause) => {
    const writtenAt = now();
    const entry = entryFor(kind, subject, cause, { now: writtenAt, ...options });
    const { module, client } = await connect();
    await client.send(
      new module.PutItemCommand({ TableName: options.tableName, Item: toItem(entry, cause, writtenAt) }),
      {
        abortSignal: AbortSignal.timeout(options.timeoutMs),
      },
    );
  };
  return {
    destroy,
    revokeSession: (originJti, cause) => write('session', originJti, cause),
    revokeUser: (sub, cause) => write('user', sub, cause),
  };
}
