/**
 * The M2M token endpoint in `npm run bench`: how many calls Cognito gets per client and token across
 * containers (simulated time), and what a memory hit, a shared-table hit and a miss cost (real time).
 * dynalite stands in for DynamoDB and a loopback HTTP server for Cognito's token endpoint: the table and
 * miss rows are this code's cost against local stand-ins, not DynamoDB's or Cognito's latency.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTokenHandler } from '../../functions/token/create-handler.js';
import { createLogger } from '../../shared/logging/logger.js';
import { MemoryTier, TokenCache, type TokenTable } from '../../shared/m2m/token-cache.js';
import { createTokenIssuer } from '../../shared/m2m/token-issuer.js';
import { createDynamoTokenTable } from '../../shared/m2m/token-table.js';
import { createTokenEndpointClient } from '../../shared/oidc/token-endpoint.js';
import { startLocalDynamoDb } from '../../test/stack/dynamodb.js';
import { basicTokenEvent } from '../../test/support/token-events.js';
import { measureInterleaved, type Sample } from './measure.js';

const LIFETIME_SECONDS = 3600;
const REUSE_FRACTION = 0.75;
const CONTAINERS = 4;
const CLIENTS = 3;
const SIMULATED_HOURS = 3;
/** Each container serves one request per client this often (simulated). */
const REQUEST_EVERY_SECONDS = 15;

export interface CallCount {
  /** Cognito calls per client over the simulated span. */
  readonly perClient: number[];
  readonly requests: number;
}

export interface TokenEndpointResults {
  readonly containers: number;
  readonly clients: number;
  readonly simulatedHours: number;
  readonly lifetimeSeconds: number;
  readonly reuseWindows: number;
  readonly requestEverySeconds: number;
  /** Both tiers, as deployed. */
  readonly shared: CallCount;
  /** Memory only (each container on its own): what the table saves. */
  readonly memoryOnly: CallCount;
  readonly latency: Sample[];
}

/** Cognito's token endpoint on loopback: a fresh token per call, Cognito's answer shape, calls counted. */
async function startFakeCognito(): Promise<{ url: string; calls: Map<string, number>; server: Server }> {
  const calls = new Map<string, number>();
  const server = createServer((req, res) => {
    const basic = /^Basic (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const clientId = Buffer.from(basic, 'base64').toString().split(':')[0] ?? '';
    calls.set(clientId, (calls.get(clientId) ?? 0) + 1);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      res.end(
        JSON.stringify({
          access_token: `eyJraWQiOiJiZW5jaCJ9.${randomBytes(600).toString('base64url')}.${randomBytes(256).toString('base64url')}`,
          expires_in: LIFETIME_SECONDS,
          token_type: 'Bearer',
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`, calls, server };
}

const silent = createLogger('token', { write: () => undefined });

function containerHandler({
  table,
  tokenEndpoint,
  memoryEntries,
  now,
}: {
  table: TokenTable;
  tokenEndpoint: string;
  memoryEntries: number;
  now: () => number;
}) {
  const handler = createTokenHandler({
    logger: silent,
    now,
    issuer: createTokenIssuer({
      cache: new TokenCache(new MemoryTier(memoryEntries), table, silent),
      upstream: createTokenEndpointClient({ timeoutMs: 5000 }),
      tokenEndpoint,
      reuseFraction: REUSE_FRACTION,
      defaultRetryAfterSeconds: 1,
      logger: silent,
      now,
    }),
  });
  return (event: unknown) => handler(event as never, {} as never) as Promise<{ statusCode: number }>;
}

const client = (index: number) => ({
  clientId: `bench-m2m-client-${index}`,
  clientSecret: `bench-secret-${index}-0123456789abcdefghijklmnopqrstuvwxyz`,
  scope: `orders/${index % 2 === 0 ? 'read' : 'write'}`,
});

/** SIMULATED_HOURS of traffic: every container, every client, every REQUEST_EVERY_SECONDS; staggered starts. */
async function simulate(table: TokenTable, tokenEndpoint: string, calls: Map<string, number>): Promise<CallCount> {
  calls.clear();
  let clock = Date.parse('2026-12-01T08:00:00Z');
  const start = clock;
  const containers = Array.from({ length: CONTAINERS }, () =>
    containerHandler({ table, tokenEndpoint, memoryEntries: 1000, now: () => clock }),
  );
  const events = Array.from({ length: CLIENTS }, (_, i) => basicTokenEvent(client(i)));
  let requests = 0;
  for (; clock < start + SIMULATED_HOURS * 3600_000; clock += REQUEST_EVERY_SECONDS * 1000) {
    for (const [c, handler] of containers.entries()) {
      // Containers start one minute apart, as a scale-out does.
      if (clock < start + c * 60_000) continue;
      for (const event of events) {
        const { statusCode } = await handler(event);
        if (statusCode !== 200) throw new Error(`token endpoint answered ${statusCode} in the simulation`);
        requests++;
      }
    }
  }
  return { perClient: events.map((_, i) => calls.get(client(i).clientId) ?? 0), requests };
}

/** A table tier that holds nothing: each container caches on its own. */
const noTable: TokenTable = { get: async () => undefined, put: async () => undefined, delete: async () => undefined };

export async function benchTokenEndpoint({ rounds }: { rounds: number }): Promise<TokenEndpointResults> {
  const dynamo = await startLocalDynamoDb();
  const cognito = await startFakeCognito();
  try {
    const tableName = dynamo.tables.TokenCacheTable!;
    const table = (db: DynamoDBClient) => createDynamoTokenTable({ client: db, tableName, timeoutMs: 2000 });
    const shared = await simulate(table(dynamo.client), cognito.url, cognito.calls);
    const memoryOnly = await simulate(noTable, cognito.url, cognito.calls);

    // Real time from here: one container with memory, one with the memory tier off (every request reads the table).
    const now = Date.now;
    const withMemory = containerHandler({
      table: table(dynamo.client),
      tokenEndpoint: cognito.url,
      memoryEntries: 1000,
      now,
    });
    const tableOnly = containerHandler({
      table: table(dynamo.client),
      tokenEndpoint: cognito.url,
      memoryEntries: 0,
      now,
    });
    const repeated = basicTokenEvent(client(0));
    if ((await withMemory(repeated)).statusCode !== 200 || (await tableOnly(repeated)).statusCode !== 200)
      throw new Error('the token endpoint refused the bench request');
    const before = cognito.calls.get(client(0).clientId) ?? 0;
    const latency = await measureInterleaved(
      [
        { id: 'memory', batch: 500, async: () => withMemory(repeated) },
        { id: 'table', batch: 20, async: () => tableOnly(repeated) },
        // A new scope each time: table read, a call to the loopback endpoint, table write.
        { id: 'miss', batch: 10, async: (i) => withMemory(basicTokenEvent({ ...client(0), scope: `bench/${i}` })) },
      ],
      { rounds, warmupBatches: 3 },
    );
    const missCalls = (cognito.calls.get(client(0).clientId) ?? 0) - before;
    const missOps = latency.find((sample) => sample.id === 'miss')!.ops;
    // Every miss op must have called the endpoint, and no hit may have (warm-up batches are misses too).
    if (missCalls !== missOps + 3 * 10) throw new Error(`expected ${missOps + 30} upstream calls, saw ${missCalls}`);
    return {
      containers: CONTAINERS,
      clients: CLIENTS,
      simulatedHours: SIMULATED_HOURS,
      lifetimeSeconds: LIFETIME_SECONDS,
      reuseWindows: Math.ceil((SIMULATED_HOURS * 3600) / (LIFETIME_SECONDS * REUSE_FRACTION)),
      requestEverySeconds: REQUEST_EVERY_SECONDS,
      shared,
      memoryOnly,
      latency,
    };
  } finally {
    await new Promise<void>((resolve) => cognito.server.close(() => resolve()));
    cognito.server.closeAllConnections();
    await dynamo.stop();
  }
}
