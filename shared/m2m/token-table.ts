import { DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { CacheKeys } from './cache-key.js';
import { openToken, sealToken } from './sealed-token.js';
import type { TokenTable } from './token-cache.js';

/**
 * The shared tier on DynamoDB. An item is `{ id, sealed, expiresAt }`: the id and the seal key both derive
 * from the client secret, so the table alone holds nothing usable. `expiresAt` (epoch seconds) is the
 * table's TTL attribute; readers never trust it, the authenticated times inside `sealed` decide.
 */
export function createDynamoTokenTable({
  client,
  tableName,
  timeoutMs,
}: {
  client: DynamoDBClient;
  tableName: string;
  /** Each call's deadline: a slow table must cost a request little more than going to Cognito would. */
  timeoutMs: number;
}): TokenTable {
  const deadline = () => ({ abortSignal: AbortSignal.timeout(timeoutMs) });
  const key = (keys: CacheKeys) => ({ id: { S: keys.id } });
  return {
    async get(keys) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key(keys), ProjectionExpression: 'sealed' }),
        deadline(),
      );
      const sealed = Item?.sealed?.B;
      return sealed ? openToken(sealed, keys.sealKey, keys.id) : undefined;
    },
    async put(keys, token) {
      const expiresAt = { N: String(Math.ceil(token.expiresAt / 1000)) };
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { ...key(keys), sealed: { B: sealToken(token, keys.sealKey, keys.id) }, expiresAt },
            // Two containers that fetched at once: the token that lives longer stays.
            ConditionExpression: 'attribute_not_exists(id) OR expiresAt < :expiresAt',
            ExpressionAttributeValues: { ':expiresAt': expiresAt },
          }),
          deadline(),
        );
      } catch (error) {
        if ((error as Error | undefined)?.name !== 'ConditionalCheckFailedException') throw error;
      }
    },
    async delete(keys) {
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: key(keys) }), deadline());
    },
  };
}
