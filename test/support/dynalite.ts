import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { parseDocument } from 'yaml';

/** DynamoDB in memory (dynalite) on a free loopback port, with an SDK client pointed at it. */
export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

const SERVERLESS_YML = fileURLToPath(new URL('../../serverless.yml', import.meta.url));

/** Any credentials will do: dynalite checks none. */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = localDynamoClient(endpoint);
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Every AWS::DynamoDB::Table in serverless.yml's resources, as CreateTable inputs for dynalite: the tables
 * are declared once, for AWS, and the local copies follow. dynalite has no TTL API, so TTL and encryption
 * settings are left to AWS.
 */
export function declaredTables(
  stage = 'dev',
  yamlText = readFileSync(SERVERLESS_YML, 'utf8'),
): CreateTableCommandInput[] {
  const document = parseDocument(yamlText, { logLevel: 'silent', uniqueKeys: false }).toJS({
    maxAliasCount: -1,
  }) as {
    service: string;
    custom?: Record<string, unknown>;
    resources?: { Resources?: Record<string, { Type?: string; Properties?: any }> };
  };
  const resolve = (text: string) => {
    const resolved = text
      .replace(/\$\{self:custom\.([\w.-]+)\}/g, (_, path: string) =>
        String(
          path
            .split('.')
            .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], document.custom) ?? '',
        ),
      )
      .replace(/\$\{self:service\}/g, document.service)
      .replace(/\$\{sls:stage\}/g, stage);
    if (resolved.includes('${')) throw new Error(`declaredTables cannot resolve "${text}"`);
    return resolved;
  };
  return Object.values(document.resources?.Resources ?? {})
    .filter((resource) => resource.Type === 'AWS::DynamoDB::Table')
    .map(({ Properties: table }) => ({
      TableName: resolve(String(table.TableName)),
      AttributeDefinitions: table.AttributeDefinitions,
      KeySchema: table.KeySchema,
      BillingMode: table.BillingMode ?? 'PAY_PER_REQUEST',
      ...(table.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: table.GlobalSecondaryIndexes } : {}),
    }));
}

export async function createDeclaredTables(client: DynamoDBClient, stage = 'dev'): Promise<string[]> {
  const tables = declaredTables(stage);
  for (const table of tables) await client.send(new CreateTableCommand(table));
  return tables.map((table) => table.TableName!);
}
