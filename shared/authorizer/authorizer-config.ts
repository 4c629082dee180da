import { deepFreeze, type Env, EnvReader } from '../config/env-reader.js';
import { isLoopbackUrl } from '../config/url-policy.js';
import { ConfigError } from '../errors/gate-error.js';
import { csrfAllowedOriginsFromEnv } from '../http/csrf-origins-env.js';
import { sessionCookieFromEnv } from '../http/session-cookie-env.js';
import { LOG_LEVELS, type LogLevel } from '../logging/logger.js';
import { type CompiledRules, compileRules } from '../rules/compile-rules.js';
import { parseRuleDocument } from '../rules/rule-document.js';
import { issuersFromEnv } from '../tokens/issuer-settings.js';
import { jwksSettingsFromEnv } from '../tokens/jwks-settings.js';
import type { TokenVerifierOptions } from '../tokens/verifier.js';

export type HttpApiResponseMode = 'simple' | 'iam';

/** The verifier's settings, plus what the authorizer itself needs. */
export interface AuthorizerConfig extends TokenVerifierOptions {
  /** The name the token service writes: `__Host-cg_session` unless COOKIE_SECURE=false (local http). */
  readonly sessionCookieName: string;
  readonly httpApiResponse: HttpApiResponseMode;
  readonly decisionCacheSize: number;
  readonly rules: CompiledRules;
  /**
   * Origins whose pages may send a state-changing request authenticated by the session cookie. Undefined: only
   * the API's own origin (see shared/authorizer/csrf-guard.ts).
   */
  readonly csrfAllowedOrigins: readonly string[] | undefined;
  readonly logLevel: LogLevel;
}

/** Parsed once at cold start. `bundledRules` is the rule file that esbuild inlined; AUTH_RULES overrides it. */
export function loadAuthorizerConfig(env: Env, bundledRules: unknown): AuthorizerConfig {
  const read = new EnvReader(env);
  const clientIds = read.list('COGNITO_CLIENT_IDS', { required: true });
  const rulesSource = read.optional('AUTH_RULES');
  let ruleDocument: unknown = bundledRules;
  if (rulesSource !== undefined) {
    try {
      ruleDocument = JSON.parse(rulesSource);
    } catch {
      throw new ConfigError('AUTH_RULES must be a JSON rule document');
    }
  }
  const issuers = issuersFromEnv(read);
  const sessionCookie = sessionCookieFromEnv(read);
  if (!sessionCookie.secure && !issuers.every((issuer) => isLoopbackUrl(new URL(issuer.issuer))))
    throw new ConfigError('COOKIE_SECURE may be false only with a loopback COGNITO_ISSUER (local development)');
  const csrfAllowedOrigins = csrfAllowedOriginsFromEnv(read);
  const rules = compileRules(parseRuleDocument(ruleDocument, rulesSource !== undefined ? 'AUTH_RULES' : 'rules.json'));
  const config: AuthorizerConfig = {
    issuers,
    clientIds,
    ...jwksSettingsFromEnv(read),
    sessionCookieName: sessionCookie.name,
    httpApiResponse: read.oneOf('HTTP_API_RESPONSE', ['simple', 'iam'] as const, 'simple'),
    decisionCacheSize: read.integer('DECISION_CACHE_SIZE', 1000, { min: 0, max: 100_000 }),
    rules,
    csrfAllowedOrigins: csrfAllowedOrigins.length > 0 ? csrfAllowedOrigins : undefined,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  return deepFreeze(config);
}
