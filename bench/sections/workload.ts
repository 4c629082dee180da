import { JwksServer } from '../../test/support/jwks-server.js';
import { generateTestKey, jwksOf, type TestKey } from '../../test/support/signing.js';
import {
  benchToken,
  CLIENT_ID,
  fiftyRouteRules,
  POOL_PATH,
  restEvent,
  SHIPPED_ROUTE,
  SHIPPED_SCOPE,
  tamper,
} from '../lib/fixtures.js';
import { DECISION_CACHE_SIZE, TOKEN_COUNT } from '../settings.js';

/** What every section decides on: a JWKS endpoint, the signing key, the tokens and events, the authorizer's env. */
export interface Workload {
  readonly server: JwksServer;
  readonly key: TestKey;
  readonly issuer: string;
  /** TOKEN_COUNT tokens with distinct jti, used in rotation. */
  readonly tokens: readonly string[];
  readonly events: readonly Record<string, any>[];
  /** For the bundle as `sls package` ships it: a route of rules.json and a token with its scope. */
  readonly shippedEvent: Record<string, any>;
  readonly tampered: string;
  /** The authorizer's environment, AUTH_RULES holding the 50-route file. */
  readonly authorizerEnv: Record<string, string>;
  /** The same without AUTH_RULES: the repository's rules.json, bundled in, applies. */
  readonly shippedEnv: Record<string, string>;
}

export async function prepareWorkload(): Promise<Workload> {
  const server = await new JwksServer().start(POOL_PATH);
  const key = generateTestKey('bench-key-1');
  server.serve(jwksOf(generateTestKey('bench-key-0'), key)); // two keys, as Cognito publishes
  const issuer = server.issuer;
  const tokens = Array.from({ length: TOKEN_COUNT }, (_, i) => benchToken(key, issuer, `bench-jti-${i}`));
  const authorizerEnv: Record<string, string> = {
    COGNITO_USER_POOL_ID: POOL_PATH.slice(1),
    COGNITO_CLIENT_IDS: CLIENT_ID,
    COGNITO_ISSUER: issuer,
    SESSION_COOKIE_NAME: 'cg_session',
    HTTP_API_RESPONSE: 'simple',
    LOG_LEVEL: 'info',
    DECISION_CACHE_SIZE: String(DECISION_CACHE_SIZE),
    // The metrics' timer would print its counts in the middle of the report; every 1000 decisions still flush.
    METRICS_FLUSH_SECONDS: '3600',
    AUTH_RULES: JSON.stringify(fiftyRouteRules()),
  };
  const { AUTH_RULES: _fiftyRoutes, ...shippedEnv } = authorizerEnv;
  return {
    server,
    key,
    issuer,
    tokens,
    events: tokens.map((token) => restEvent(token)),
    shippedEvent: restEvent(benchToken(key, issuer, 'bench-jti-shipped', SHIPPED_SCOPE), SHIPPED_ROUTE),
    tampered: tamper(tokens[0]!),
    authorizerEnv,
    shippedEnv,
  };
}
