import { ConfigError } from '../errors/gate-error.js';
import { isCookieName } from '../http/cookies.js';
import { type CompiledRules, compileRules } from '../rules/compile-rules.js';
import { parseRuleDocument } from '../rules/rule-document.js';
import type { TokenVerifierOptions } from '../tokens/verifier.js';
import { deepFreeze, type Env, EnvReader } from './env-reader.js';
import { issuersFromEnv } from './issuer-settings.js';
import { jwksSettingsFromEnv } from './jwks-settings.js';

export type HttpApiResponseMode = 'simple' | 'iam';

/** The verifier's settings, plus what the authorizer itself needs. */
export interface AuthorizerConfig extends TokenVerifierOptions {
  readonly sessionCookieName: string;
  readonly httpApiResponse: HttpApiResponseMode;
  readonly decisionCacheSize: number;
  readonly rules: CompiledRules;
}

export const DEFAULT_SESSION_COOKIE_NAME = 'cg_session';

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
  const rules = compileRules(parseRuleDocument(ruleDocument, rulesSource !== undefined ? 'AUTH_RULES' : 'rules.json'));
  const config: AuthorizerConfig = {
    issuers: issuersFromEnv(read),
    clientIds,
    ...jwksSettingsFromEnv(read),
    sessionCookieName: read.optional('SESSION_COOKIE_NAME') ?? DEFAULT_SESSION_COOKIE_NAME,
    httpApiResponse: read.oneOf('HTTP_API_RESPONSE', ['simple', 'iam'] as const, 'simple'),
    decisionCacheSize: read.integer('DECISION_CACHE_SIZE', 1000, { min: 0, max: 100_000 }),
    rules,
  };
  if (!isCookieName(config.sessionCookieName)) {
    throw new ConfigError(`SESSION_COOKIE_NAME is not a valid cookie name: "${config.sessionCookieName}"`);
  }
  return deepFreeze(config);
}
