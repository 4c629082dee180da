import { deepFreeze, type Env, EnvReader } from '../config/env-reader.js';
import { isLoopbackUrl } from '../config/url-policy.js';
import { ConfigError } from '../errors/gate-error.js';
import { LOG_LEVELS, type LogLevel } from '../logging/logger.js';

/** The caching client-credentials token endpoint's settings, parsed once at cold start and frozen. */
export interface M2mConfig {
  /** Cognito's token endpoint: `https://<COGNITO_DOMAIN>/oauth2/token`, or COGNITO_TOKEN_ENDPOINT. */
  readonly tokenEndpoint: string;
  readonly tableName: string;
  /** Only for a local DynamoDB stand-in (loopback); deployed, the SDK uses the region's endpoint. */
  readonly dynamodbEndpoint?: string;
  readonly region: string;
  /** Share of a token's lifetime during which it is reused: TOKEN_REUSE_PERCENT / 100. */
  readonly reuseFraction: number;
  /** 0 turns the container's tier off (every request then reads the table). */
  readonly memoryEntries: number;
  readonly upstreamTimeoutMs: number;
  readonly tableTimeoutMs: number;
  readonly defaultRetryAfterSeconds: number;
  readonly logLevel: LogLevel;
}

const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

function loopbackOrHttps(name: string, value: string, { httpsAllowed }: { httpsAllowed: boolean }): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${value}"`);
  }
  if (url.username || url.password || url.search || url.hash)
    throw new ConfigError(`${name} must not carry user info, a query or a fragment`);
  if (isLoopbackUrl(url) && (url.protocol === 'http:' || url.protocol === 'https:')) return url;
  if (httpsAllowed && url.protocol === 'https:') return url;
  throw new ConfigError(
    `${name} must be ${httpsAllowed ? 'https, or http on loopback' : 'a loopback URL'}: "${value}"`,
  );
}

function tokenEndpointFrom(read: EnvReader): string {
  const domain = read.optional('COGNITO_DOMAIN');
  const endpoint = read.optional('COGNITO_TOKEN_ENDPOINT');
  if (domain !== undefined && endpoint !== undefined)
    throw new ConfigError('set COGNITO_DOMAIN or COGNITO_TOKEN_ENDPOINT, not both');
  if (endpoint !== undefined) return loopbackOrHttps('COGNITO_TOKEN_ENDPOINT', endpoint, { httpsAllowed: true }).href;
  if (domain === undefined)
    throw new ConfigError(
      'COGNITO_DOMAIN is required: the user pool domain, like my-app.auth.eu-west-1.amazoncognito.com or auth.example.com',
    );
  const host = domain.replace(/^https:\/\//, '').replace(/\/$/, '');
  if (!DOMAIN.test(host)) throw new ConfigError(`COGNITO_DOMAIN must be a host name, got "${domain}"`);
  return `https://${host}/oauth2/token`;
}

export function loadM2mConfig(env: Env): M2mConfig {
  const read = new EnvReader(env);
  const tableName = read.required('TOKEN_CACHE_TABLE');
  if (!TABLE_NAME.test(tableName)) throw new ConfigError(`TOKEN_CACHE_TABLE is not a table name: "${tableName}"`);
  const dynamodbEndpoint = read.optional('DYNAMODB_ENDPOINT');
  const config: M2mConfig = {
    tokenEndpoint: tokenEndpointFrom(read),
    tableName,
    ...(dynamodbEndpoint !== undefined
      ? { dynamodbEndpoint: loopbackOrHttps('DYNAMODB_ENDPOINT', dynamodbEndpoint, { httpsAllowed: false }).origin }
      : {}),
    region: read.required('AWS_REGION'),
    reuseFraction: read.integer('TOKEN_REUSE_PERCENT', 75, { min: 10, max: 90 }) / 100,
    memoryEntries: read.integer('TOKEN_CACHE_MEMORY_ENTRIES', 1000, { min: 0, max: 100_000 }),
    upstreamTimeoutMs: read.integer('COGNITO_TOKEN_TIMEOUT_MS', 3000, { min: 100, max: 20_000 }),
    tableTimeoutMs: read.integer('TOKEN_CACHE_TABLE_TIMEOUT_MS', 300, { min: 20, max: 5000 }),
    defaultRetryAfterSeconds: read.integer('TOKEN_RETRY_AFTER_SECONDS', 1, { min: 1, max: 300 }),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  return deepFreeze(config);
}
