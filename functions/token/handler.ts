import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLogger } from '../../shared/logging/logger.js';
import { loadM2mConfig } from '../../shared/m2m/m2m-config.js';
import { MemoryTier, TokenCache } from '../../shared/m2m/token-cache.js';
import { createTokenIssuer } from '../../shared/m2m/token-issuer.js';
import { createDynamoTokenTable } from '../../shared/m2m/token-table.js';
import { createTokenEndpointClient } from '../../shared/oidc/token-endpoint.js';
import { createTokenHandler } from './create-handler.js';

// Cold start: config (throws naming the variable); the memory tier, the in-flight calls and the DynamoDB
// client live as long as the container.
const config = loadM2mConfig(process.env);
const logger = createLogger('token', { level: config.logLevel });
const dynamodb = new DynamoDBClient({
  region: config.region,
  maxAttempts: 2,
  ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
});

export const handler = createTokenHandler({
  logger,
  issuer: createTokenIssuer({
    cache: new TokenCache(
      new MemoryTier(config.memoryEntries),
      createDynamoTokenTable({ client: dynamodb, tableName: config.tableName, timeoutMs: config.tableTimeoutMs }),
      logger,
    ),
    upstream: createTokenEndpointClient({ timeoutMs: config.upstreamTimeoutMs }),
    tokenEndpoint: config.tokenEndpoint,
    reuseFraction: config.reuseFraction,
    defaultRetryAfterSeconds: config.defaultRetryAfterSeconds,
    logger,
  }),
});
