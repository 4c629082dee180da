import { createLogger } from '../../shared/logging/logger.js';
import { createEndpointSource } from '../../shared/oidc/discovery.js';
import { createTokenEndpointClient } from '../../shared/oidc/token-endpoint.js';
import { loadRevocationConfig } from '../../shared/revocation/revocation-config.js';
import { createRevocationWriter } from '../../shared/revocation/revocation-store.js';
import { createSessionRevoker } from '../../shared/revocation/session-revoker.js';
import { loadAuthConfig } from '../../shared/session/auth-config.js';
import { createAuthSecrets } from '../../shared/session/auth-secrets.js';
import { createTokenVerifier } from '../../shared/tokens/verifier.js';
import { createAuthHandler } from './create-handler.js';

// Cold start: config (throws naming the variable), the JWKS cache, the discovery cache and the secrets
// cache live as long as the container. Nothing is fetched here: discovery and SSM on first use.
const config = loadAuthConfig(process.env);
const revocation = loadRevocationConfig(process.env);
const logger = createLogger('auth', { level: config.logLevel });
const verifier = createTokenVerifier({ ...config, issuers: [config.issuer], clientIds: [config.clientId] });

export const handler = createAuthHandler({
  config,
  logger,
  verifier,
  ...(revocation.enabled
    ? { sessionRevoker: createSessionRevoker({ writer: createRevocationWriter(revocation), verifier, logger }) }
    : {}),
  endpoints: createEndpointSource({
    discoveryUrl: config.discoveryUrl,
    overrides: config.endpointOverrides,
    policy: { issuer: config.issuer.issuer, allowLoopbackHttp: config.local },
    timeoutMs: config.httpTimeoutMs,
  }),
  tokenClient: createTokenEndpointClient({ timeoutMs: config.httpTimeoutMs }),
  secrets: createAuthSecrets(config),
});
