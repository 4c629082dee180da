import { AWS_REGION_NAME, COGNITO_NAME, poolRegion, SCOPE_TOKEN, USER_POOL_ID } from '../config/cognito-patterns.js';
import { deepFreeze, type Env, EnvReader } from '../config/env-reader.js';
import { isSecureOrLoopback } from '../config/url-policy.js';
import { ConfigError } from '../errors/gate-error.js';
import { LOG_LEVELS, type LogLevel } from '../logging/logger.js';

/** Configuration of the admin function, read once at cold start. */
export interface AdminConfig {
  userPoolId: string;
  region: string;
  /** Only for cognito-local in tests and dev; unset in AWS. */
  endpoint?: string;
  /** Members of this group may call the admin API (user tokens). */
  adminGroup: string;
  /** Machine-to-machine clients need this scope (client_credentials tokens). */
  adminScope: string;
  maxBodyBytes: number;
  logLevel: LogLevel;
}

export const ADMIN_CONFIG_DEFAULTS = {
  adminGroup: 'admins',
  adminScope: 'cognito-gate/admin',
  maxBodyBytes: 16_384,
} as const;

const MAX_SCOPE_LENGTH = 256;

export function loadAdminConfig(env: Env): Readonly<AdminConfig> {
  const read = new EnvReader(env);

  const userPoolId = read.required('COGNITO_USER_POOL_ID');
  if (!USER_POOL_ID.test(userPoolId)) {
    throw new ConfigError(`COGNITO_USER_POOL_ID must look like "<region>_<id>", got "${userPoolId}"`);
  }

  const lambdaRegion = read.required('AWS_REGION');
  if (!AWS_REGION_NAME.test(lambdaRegion))
    throw new ConfigError(`AWS_REGION must be an AWS region name, got "${lambdaRegion}"`);
  // Cognito must be called in the pool's region, which may differ from the function's.
  const region = poolRegion(userPoolId) ?? lambdaRegion;

  const endpoint = read.optional('COGNITO_ENDPOINT');
  if (endpoint !== undefined) assertEndpointUrl('COGNITO_ENDPOINT', endpoint);

  const adminGroup = read.optional('ADMIN_GROUP') ?? ADMIN_CONFIG_DEFAULTS.adminGroup;
  // Cognito's group-name pattern, minus the comma: the authorizer passes groups to us comma-separated.
  if (!COGNITO_NAME.test(adminGroup) || adminGroup.includes(',')) {
    throw new ConfigError(`ADMIN_GROUP must be a Cognito group name without commas, got "${adminGroup}"`);
  }

  const adminScope = read.optional('ADMIN_SCOPE') ?? ADMIN_CONFIG_DEFAULTS.adminScope;
  if (!SCOPE_TOKEN.test(adminScope) || adminScope.length > MAX_SCOPE_LENGTH)
    throw new ConfigError(`ADMIN_SCOPE must be one OAuth scope without spaces, got "${adminScope}"`);

  const maxBodyBytes = read.integer('ADMIN_MAX_BODY_BYTES', ADMIN_CONFIG_DEFAULTS.maxBodyBytes, {
    min: 1024,
    max: 1_048_576,
  });

  return deepFreeze({
    userPoolId,
    region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    adminGroup,
    adminScope,
    maxBodyBytes,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  });
}

/** https anywhere; plain http only on loopback (cognito-local), never for a deployed function's passwords. */
function assertEndpointUrl(name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${value}"`);
  }
  if (!isSecureOrLoopback(url)) {
    throw new ConfigError(`${name} must be an https URL, or http on loopback, got "${value}"`);
  }
}
