import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { parse } from 'yaml';
import { LOOPBACK_HOST } from './ports.js';
import { LOCAL_REGION } from './seed.js';

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`: the `DYNAMODB_ENDPOINT` of every function. */
  endpoint: string;
  /** An SDK client for it, closed by stop(). */
  client: DynamoDBClient;
  /** Table name by the resource's logical id in serverless.yml, e.g. `{ RevocationTable: 'cognito-gate-dev-revocations' }`. */
  tables: Record<string, string>;
  stop(): Promise<void>;
}

/** serverless-offline runs `--stage dev`; the table names must come out as the functions resolve them. */
export const LOCAL_STAGE = 'dev';
export const LOCAL_DYNAMODB_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const SERVERLESS_YML = fileURLToPath(new URL('../../serverless.yml', import.meta.url));

/** The parts of a table's properties that make its schema; TTL, streams, PITR and tags are AWS's concern. */
const SCHEMA_PROPERTIES = [
  'TableName',
  'AttributeDefinitions',
  'KeySchema',
  'BillingMode',
  'ProvisionedThroughput',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
] as const;

type ServerlessDocument = Record<string, unknown>;

/**
 * Resolves the few Serverless variables a table may use: `${self:<path>}` and `${sls:stage}`. Anything else
 * fails with the variable's text, so a table that needs more is noticed here and not by a missing table later.
 */
function resolveVariables(value: string, document: ServerlessDocument, depth = 0): string {
  if (depth > 10) throw new Error(`serverless.yml: variables nest too deeply in "${value}"`);
  return value.replace(/\$\{([^{}]+)\}/g, (whole, expression: string) => {
    const trimmed = expression.trim();
    if (trimmed === 'sls:stage') return LOCAL_STAGE;
    if (trimmed.startsWith('self:')) {
      let node: unknown = document;
      for (const key of trimmed.slice(5).split('.')) node = (node as Record<string, unknown> | undefined)?.[key];
      if (typeof node !== 'string') throw new Error(`serverless.yml: ${whole} does not name a string`);
      return resolveVariables(node, document, depth + 1);
    }
    throw new Error(`test/stack/dynamodb.ts resolves only \${self:...} and \${sls:stage} in a table, not ${whole}`);
  });
}

function resolveDeep(value: unknown, document: ServerlessDocument): unknown {
  if (typeof value === 'string') return resolveVariables(value, document);
  if (Array.isArray(value)) return value.map((item) => resolveDeep(item, document));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, resolveDeep(child, document)]));
  }
  return value;
}

/** Every AWS::DynamoDB::Table of serverless.yml, as CreateTable input: the local schema is the deployed one. */
export async function tablesOfServerlessYml(file = SERVERLESS_YML): Promise<Record<string, CreateTableCommandInput>> {
  // CloudFormation's short-form tags (!GetAtt, !Sub) read as plain values: only the table schemas are used here.
  const document = parse(await readFile(file, 'utf8'), { logLevel: 'silent', merge: true }) as ServerlessDocument;
  const resources = ((document.resources as ServerlessDocument | undefined)?.Resources ?? {}) as Record<
    string,
    { Type?: unknown; Properties?: Record<string, unknown> }
  >;
  const tables: Record<string, CreateTableCommandInput> = {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::DynamoDB::Table') continue;
    const properties = resource.Properties ?? {};
    const schema: Record<string, unknown> = {};
    for (const name of SCHEMA_PROPERTIES) {
      if (properties[name] !== undefined) schema[name] = resolveDeep(properties[name], document);
    }
    if (typeof schema.TableName !== 'string') throw new Error(`serverless.yml: table ${logicalId} has no TableName`);
    tables[logicalId] = schema as unknown as CreateTableCommandInput;
  }
  return tables;
}

/** A DynamoDB client for the local endpoint (any credentials do). */
export function createLocalDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_DYNAMODB_CREDENTIALS });
}

/**
 * dynalite (DynamoDB in JavaScript) in memory on a free loopback port, with every table of serverless.yml
 * created and ACTIVE. State lives as long as the process: a restart starts with empty tables.
 */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const tables = await tablesOfServerlessYml();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => resolve());
  });
  const endpoint = `http://${LOOPBACK_HOST}:${(server.address() as AddressInfo).port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
  const client = createLocalDynamoDbClient(endpoint);
  const stopAll = async () => {
    client.destroy();
    await stop();
  };
  try {
    for (const input of Object.values(tables)) await client.send(new CreateTableCommand(input));
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    endpoint,
    client,
    tables: Object.fromEntries(Object.entries(tables).map(([logicalId, input]) => [logicalId, input.TableName!])),
    stop: stopAll,
  };
}
