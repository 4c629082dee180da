import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { loadAdminConfig } from '../../shared/admin/admin-config.js';
import { createLogger } from '../../shared/logging/logger.js';
import { loadRevocationConfig } from '../../shared/revocation/revocation-config.js';
import { createRevocationWriter } from '../../shared/revocation/revocation-store.js';
import { createAdminHandler } from './create-handler.js';

// Cold start: config (throws naming the variable), logger and Cognito client live as long as the container.
const config = loadAdminConfig(process.env);
const revocation = loadRevocationConfig(process.env);
const logger = createLogger('admin', { level: config.logLevel });
const client = new CognitoIdentityProviderClient({
  region: config.region,
  ...(config.endpoint ? { endpoint: config.endpoint } : {}),
});

export const handler = createAdminHandler({
  config,
  client,
  logger,
  ...(revocation.enabled ? { revocations: createRevocationWriter(revocation) } : {}),
});
