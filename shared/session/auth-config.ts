import { SCOPE_TOKEN } from '../config/cognito-patterns.js';
import { deepFreeze, type Env, EnvReader } from '../config/env-reader.js';
import { isLoopbackUrl, isSecureOrLoopback } from '../config/url-policy.js';
import { ConfigError } from '../errors/gate-error.js';
import { hasHostPrefix, hasSecurePrefix, hostCookieName, secureCookieName } from '../http/cookie-names.js';
import { isCookieName } from '../http/cookies.js';
import { csrfAllowedOriginsFromEnv } from '../http/csrf-origins-env.js';
import { sessionCookieFromEnv } from '../http/session-cookie-env.js';
import { LOG_LEVELS, type LogLevel } from '../logging/logger.js';
import type { EndpointOverrides } from '../oidc/discovery.js';
import type { ClientAuthMethod } from '../oidc/token-endpoint.js';
import { type IssuerSettings, issuersFromEnv } from '../tokens/issuer-settings.js';
import { type JwksSettings, jwksSettingsFromEnv } from '../tokens/jwks-settings.js';
import { checkReturnPath, isUnderPrefix } from './return-path.js';
import { MIN_SECRET_LENGTH } from './seal.js';

/** Where a secret comes from: an SSM parameter (production), or the environment (loopback issuer only). */
export type SecretSetting =
  | { readonly source: 'ssm'; readonly parameterName: string; readonly variable: string }
  | { readonly source: 'env'; readonly value: string; readonly variable: string };

/** A cookie that an earlier version wrote: cleared where it was written whenever a request still carries it. */
export interface RetiredCookie {
  readonly name: string;
  readonly path: string;
}

/** The names and scopes of the token service's cookies (see shared/session/session-cookies.ts for the design). */
export interface CookieSettings {
  /** The access token, read by the authorizer on every API route: `__Host-`, Path=/. */
  readonly sessionName: string;
  /** A random value per browser that the flow and refresh cookies are bound to: `__Host-`, Path=/. */
  readonly bindName: string;
  /** The sealed refresh token and the claims /auth/me shows: `__Secure-`, Path=<auth base>. */
  readonly refreshName: string;
  /** One sealed login flow per pending login, `<flowNamePrefix><id>`: `__Secure-`, Path=<auth base>. */
  readonly flowNamePrefix: string;
  readonly retired: readonly RetiredCookie[];
  /** `/auth` when the redirect URI is `/auth/callback`. */
  readonly authBasePath: string;
  readonly secure: boolean;
  /** The host the cookies belong to (the redirect URI's): copies planted for its parent domains are cleared. */
  readonly host: string;
}

export interface AuthConfig extends JwksSettings {
  readonly issuer: IssuerSettings;
  /** The issuer is on loopback (the local stack): plain-env secrets and http endpoints are allowed. */
  readonly local: boolean;
  readonly discoveryUrl: string;
  readonly endpointOverrides: EndpointOverrides;
  readonly clientId: string;
  readonly clientSecret: SecretSetting;
  readonly clientAuth: ClientAuthMethod;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly cookieSecret: SecretSetting;
  readonly cookies: CookieSettings;
  /** The site's origin: logout URIs are built on it. */
  readonly publicBaseUrl: string;
  /** CSRF_ALLOWED_ORIGINS: the origins whose pages may refresh or sign out (see shared/http/request-origin.ts). */
  readonly allowedOrigins: readonly string[];
  readonly postLoginPaths: readonly string[];
  readonly defaultReturnPath: string;
  readonly postLogoutPaths: readonly [string, ...string[]];
  readonly flowTtlSeconds: number;
  readonly refreshMaxAgeSeconds: number;
  readonly httpTimeoutMs: number;
  readonly logLevel: LogLevel;
}

const SSM_NAME = /^[a-zA-Z0-9_.\-/]{1,2048}$/;

function absoluteUrl(name: string, value: string, { allowLoopbackHttp }: { allowLoopbackHttp: boolean }): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${value}"`);
  }
  if (url.username || url.password) throw new ConfigError(`${name} must not carry user info`);
  if (url.hash) throw new ConfigError(`${name} must not have a fragment`);
  if (isSecureOrLoopback(url, { allowLoopbackHttp })) return url;
  throw new ConfigError(`${name} must use https${allowLoopbackHttp ? ' (http only on loopback)' : ''}, got "${value}"`);
}

function secretSetting(read: EnvReader, base: string, local: boolean): SecretSetting {
  const parameterVariable = `${base}_PARAM`;
  const parameterName = read.optional(parameterVariable);
  const plain = read.optional(base);
  if (parameterName !== undefined && plain !== undefined)
    throw new ConfigError(`set ${parameterVariable} or ${base}, not both`);
  if (parameterName !== undefined) {
    if (!SSM_NAME.test(parameterName))
      throw new ConfigError(`${parameterVariable} is not an SSM parameter name: "${parameterName}"`);
    return { source: 'ssm', parameterName, variable: parameterVariable };
  }
  if (plain === undefined)
    throw new ConfigError(`${parameterVariable} is required (the name of an SSM SecureString parameter)`);
  if (!local)
    throw new ConfigError(
      `${base} may be set in plain text only for a loopback COGNITO_ISSUER; use ${parameterVariable}`,
    );
  return { source: 'env', value: plain, variable: base };
}

function pathList(read: EnvReader, name: string, fallback: string): string[] {
  const paths = read.list(name, { required: false });
  const list = paths.length > 0 ? paths : [fallback];
  return list.map((path) => safePath(name, path));
}

function safePath(name: string, path: string): string {
  const checked = checkReturnPath(path);
  if (!checked.ok) throw new ConfigError(`${name} holds "${path}", which is not a safe relative path (${checked.why})`);
  return checked.path;
}

/** Parsed once at cold start and frozen; every problem names its variable. */
export function loadAuthConfig(env: Env): AuthConfig {
  const read = new EnvReader(env);
  const issuers = issuersFromEnv(read);
  const [issuer] = issuers;
  if (!issuer || issuers.length !== 1)
    throw new ConfigError('COGNITO_USER_POOL_ID must name exactly one user pool for the token service');
  const local = isLoopbackUrl(new URL(issuer.issuer));

  const endpoint = (name: string) => {
    const value = read.optional(name);
    return value === undefined ? undefined : absoluteUrl(name, value, { allowLoopbackHttp: local }).href;
  };
  const endpointOverrides: EndpointOverrides = {
    ...optionalEntry('authorization', endpoint('OIDC_AUTHORIZATION_ENDPOINT')),
    ...optionalEntry('token', endpoint('OIDC_TOKEN_ENDPOINT')),
    ...optionalEntry('revocation', endpoint('OIDC_REVOCATION_ENDPOINT')),
    ...optionalEntry('logout', endpoint('OIDC_LOGOUT_ENDPOINT')),
  };

  const clientId = read.required('OIDC_CLIENT_ID');
  if (!/^[\w+=,.@-]{1,128}$/.test(clientId)) throw new ConfigError(`OIDC_CLIENT_ID is not a client id: "${clientId}"`);

  const redirect = absoluteUrl('OIDC_REDIRECT_URI', read.required('OIDC_REDIRECT_URI'), { allowLoopbackHttp: true });
  if (redirect.search) throw new ConfigError('OIDC_REDIRECT_URI must not have a query string');
  const callbackPath = redirect.pathname;
  const authBasePath = callbackPath.slice(0, callbackPath.lastIndexOf('/')) || '/';

  const scopes = (read.optional('OIDC_SCOPES') ?? 'openid email profile').split(/[\s,]+/).filter(Boolean);
  for (const scope of scopes)
    if (!SCOPE_TOKEN.test(scope)) throw new ConfigError(`OIDC_SCOPES holds an invalid scope "${scope}"`);
  if (!scopes.includes('openid')) throw new ConfigError('OIDC_SCOPES must include openid: the login needs an ID token');

  const sessionCookie = sessionCookieFromEnv(read);
  const { secure } = sessionCookie;
  if (!secure && !(redirect.protocol === 'http:' && isLoopbackUrl(redirect))) {
    throw new ConfigError(
      'COOKIE_SECURE may be false only when OIDC_REDIRECT_URI is http on loopback (local development)',
    );
  }
  const prefix = read.optional('COOKIE_NAME_PREFIX') ?? 'cg';
  if (!isCookieName(`${prefix}_refresh`))
    throw new ConfigError(`COOKIE_NAME_PREFIX makes invalid cookie names: "${prefix}"`);
  if (hasHostPrefix(prefix) || hasSecurePrefix(prefix))
    throw new ConfigError(
      'COOKIE_NAME_PREFIX must be bare: __Host- and __Secure- are added when COOKIE_SECURE is true',
    );
  const cookies: CookieSettings = {
    sessionName: sessionCookie.name,
    bindName: hostCookieName(`${prefix}_bind`, { secure }),
    refreshName: secureCookieName(`${prefix}_refresh`, { secure }),
    flowNamePrefix: secureCookieName(`${prefix}_flow_`, { secure }),
    retired: [
      { name: `${prefix}_id`, path: authBasePath },
      { name: `${prefix}_flow`, path: callbackPath },
      ...(secure
        ? [
            { name: sessionCookie.base, path: '/' },
            { name: `${prefix}_refresh`, path: authBasePath },
          ]
        : []),
    ],
    authBasePath,
    secure,
    host: redirect.hostname,
  };
  const names = [sessionCookie.base, `${prefix}_bind`, `${prefix}_refresh`, `${prefix}_id`, `${prefix}_flow`];
  if (new Set(names).size !== names.length || sessionCookie.base.startsWith(`${prefix}_flow_`))
    throw new ConfigError('SESSION_COOKIE_NAME must differ from the names COOKIE_NAME_PREFIX makes');

  const publicBase = absoluteUrl('PUBLIC_BASE_URL', read.optional('PUBLIC_BASE_URL') ?? redirect.origin, {
    allowLoopbackHttp: true,
  });
  if (publicBase.pathname !== '/' || publicBase.search)
    throw new ConfigError('PUBLIC_BASE_URL must be an origin, like https://app.example.com');
  if (read.optional('ALLOWED_ORIGINS') !== undefined)
    throw new ConfigError('ALLOWED_ORIGINS is now CSRF_ALLOWED_ORIGINS, the variable the authorizer reads too');
  const allowedOrigins = csrfAllowedOriginsFromEnv(read);

  const postLoginPaths = pathList(read, 'POST_LOGIN_PATHS', '/');
  const defaultReturnPath = safePath('DEFAULT_RETURN_PATH', read.optional('DEFAULT_RETURN_PATH') ?? postLoginPaths[0]!);
  if (!postLoginPaths.some((prefix) => isUnderPrefix(defaultReturnPath, prefix))) {
    throw new ConfigError('DEFAULT_RETURN_PATH must be under one of POST_LOGIN_PATHS');
  }
  const [firstLogoutPath, ...otherLogoutPaths] = pathList(read, 'POST_LOGOUT_PATHS', '/');

  const config: AuthConfig = {
    issuer,
    local,
    discoveryUrl: `${issuer.issuer}/.well-known/openid-configuration`,
    endpointOverrides,
    clientId,
    clientSecret: secretSetting(read, 'OIDC_CLIENT_SECRET', local),
    clientAuth: read.oneOf(
      'OIDC_CLIENT_AUTH',
      ['client_secret_basic', 'client_secret_post'] as const,
      'client_secret_basic',
    ),
    redirectUri: redirect.href,
    scopes,
    cookieSecret: secretSetting(read, 'COOKIE_SECRET', local),
    cookies,
    publicBaseUrl: publicBase.origin,
    // By default this API's own origin (the callback's) and the site's, which differ when the API has its own host.
    allowedOrigins: allowedOrigins.length > 0 ? allowedOrigins : [...new Set([redirect.origin, publicBase.origin])],
    postLoginPaths,
    defaultReturnPath,
    postLogoutPaths: [firstLogoutPath!, ...otherLogoutPaths],
    flowTtlSeconds: read.integer('LOGIN_FLOW_TTL_SECONDS', 600, { min: 60, max: 3600 }),
    refreshMaxAgeSeconds: read.integer('REFRESH_COOKIE_MAX_AGE_SECONDS', 30 * 24 * 3600, {
      min: 3600,
      max: 3650 * 24 * 3600,
    }),
    httpTimeoutMs: read.integer('OIDC_HTTP_TIMEOUT_MS', 3000, { min: 100, max: 20_000 }),
    ...jwksSettingsFromEnv(read),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  if (config.cookieSecret.source === 'env') checkCookieSecret(config.cookieSecret.value, 'COOKIE_SECRET');
  return deepFreeze(config);
}

/** Several secrets may be given, separated by spaces or commas: the first seals, all open (rotation). */
export function splitCookieSecrets(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

export function checkCookieSecret(value: string, variable: string): string[] {
  const secrets = splitCookieSecrets(value);
  if (secrets.length === 0 || secrets.some((secret) => secret.length < MIN_SECRET_LENGTH)) {
    throw new ConfigError(`${variable} must hold secrets of at least ${MIN_SECRET_LENGTH} characters each`);
  }
  return secrets;
}

function optionalEntry<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
