import { describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../../shared/session/auth-config.js';

const AWS = {
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123',
  OIDC_CLIENT_ID: 'web-client',
  OIDC_CLIENT_SECRET_PARAM: '/cognito-gate/prod/client-secret',
  COOKIE_SECRET_PARAM: '/cognito-gate/prod/cookie-secret',
  OIDC_REDIRECT_URI: 'https://app.example.com/auth/callback',
};
const LOCAL = {
  COGNITO_USER_POOL_ID: 'us-east-1_local',
  COGNITO_ISSUER: 'http://127.0.0.1:9230/us-east-1_local',
  OIDC_CLIENT_ID: 'web-client',
  OIDC_CLIENT_SECRET: 'local-secret',
  COOKIE_SECRET: 'local-only-cookie-secret-0123456789abcdef',
  OIDC_REDIRECT_URI: 'http://127.0.0.1:3000/auth/callback',
};

describe('auth function configuration', () => {
  it('has secure defaults for a deployed function, and is frozen', () => {
    // Act
    const config = loadAuthConfig(AWS);
    // Assess
    expect(config).toMatchObject({
      issuer: { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123', allowHttp: false },
      local: false,
      discoveryUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/openid-configuration',
      endpointOverrides: {},
      clientSecret: { source: 'ssm', parameterName: '/cognito-gate/prod/client-secret' },
      clientAuth: 'client_secret_basic',
      scopes: ['openid', 'email', 'profile'],
      cookieSecret: { source: 'ssm', parameterName: '/cognito-gate/prod/cookie-secret' },
      cookies: {
        sessionName: '__Host-cg_session',
        bindName: '__Host-cg_bind',
        refreshName: '__Secure-cg_refresh',
        flowNamePrefix: '__Secure-cg_flow_',
        retired: [
          { name: 'cg_id', path: '/auth' },
          { name: 'cg_flow', path: '/auth/callback' },
          { name: 'cg_session', path: '/' },
          { name: 'cg_refresh', path: '/auth' },
        ],
        authBasePath: '/auth',
        secure: true,
        host: 'app.example.com',
      },
      publicBaseUrl: 'https://app.example.com',
      allowedOrigins: ['https://app.example.com'],
      postLoginPaths: ['/'],
      defaultReturnPath: '/',
      postLogoutPaths: ['/'],
      flowTtlSeconds: 600,
      refreshMaxAgeSeconds: 2_592_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.cookies)).toBe(true);
  });

  it('allows plain-env secrets, http and bare cookie names only for a loopback issuer, the local stack', () => {
    const config = loadAuthConfig({ ...LOCAL, COOKIE_SECURE: 'false' });
    expect(config).toMatchObject({
      local: true,
      clientSecret: { source: 'env', value: 'local-secret' },
      cookies: {
        sessionName: 'cg_session',
        bindName: 'cg_bind',
        refreshName: 'cg_refresh',
        flowNamePrefix: 'cg_flow_',
        retired: [
          { name: 'cg_id', path: '/auth' },
          { name: 'cg_flow', path: '/auth/callback' },
        ],
        secure: false,
        host: '127.0.0.1',
      },
      allowedOrigins: ['http://127.0.0.1:3000'],
    });
  });

  it('lets the API and the site be different origins, both allowed by default', () => {
    const config = loadAuthConfig({ ...AWS, PUBLIC_BASE_URL: 'https://www.example.com' });
    expect(config.allowedOrigins).toEqual(['https://app.example.com', 'https://www.example.com']);
  });

  it('takes endpoint overrides, scopes, paths and origins from env', () => {
    // Act
    const config = loadAuthConfig({
      ...AWS,
      OIDC_TOKEN_ENDPOINT: 'https://auth.example.com/oauth2/token',
      OIDC_SCOPES: 'openid,cognito-gate/read',
      POST_LOGIN_PATHS: '/app, /reports',
      DEFAULT_RETURN_PATH: '/app/home',
      POST_LOGOUT_PATHS: '/signed-out',
      CSRF_ALLOWED_ORIGINS: 'https://app.example.com,https://admin.example.com',
      OIDC_CLIENT_AUTH: 'client_secret_post',
      SESSION_COOKIE_NAME: 'session',
      COOKIE_NAME_PREFIX: 'gate',
    });
    // Assess
    expect(config).toMatchObject({
      endpointOverrides: { token: 'https://auth.example.com/oauth2/token' },
      scopes: ['openid', 'cognito-gate/read'],
      postLoginPaths: ['/app', '/reports'],
      defaultReturnPath: '/app/home',
      postLogoutPaths: ['/signed-out'],
      allowedOrigins: ['https://app.example.com', 'https://admin.example.com'],
      clientAuth: 'client_secret_post',
      cookies: { sessionName: '__Host-session', bindName: '__Host-gate_bind', refreshName: '__Secure-gate_refresh' },
    });
  });

  it.each([
    [{ ...AWS, OIDC_CLIENT_ID: undefined }, 'OIDC_CLIENT_ID is required'],
    [{ ...AWS, LOG_LEVEL: 'trace' }, 'LOG_LEVEL must be one of debug, info, warn, error'],
    [{ ...AWS, OIDC_REDIRECT_URI: undefined }, 'OIDC_REDIRECT_URI is required'],
    [{ ...AWS, OIDC_CLIENT_SECRET_PARAM: undefined }, 'OIDC_CLIENT_SECRET_PARAM is required'],
    [{ ...AWS, COOKIE_SECRET_PARAM: undefined }, 'COOKIE_SECRET_PARAM is required'],
    [
      { ...AWS, OIDC_CLIENT_SECRET_PARAM: undefined, OIDC_CLIENT_SECRET: 'plain' },
      'OIDC_CLIENT_SECRET may be set in plain text only for a loopback COGNITO_ISSUER',
    ],
    [
      { ...AWS, COOKIE_SECRET_PARAM: undefined, COOKIE_SECRET: 'x'.repeat(40) },
      'COOKIE_SECRET may be set in plain text only for a loopback COGNITO_ISSUER',
    ],
    [{ ...AWS, OIDC_CLIENT_SECRET: 'plain' }, 'set OIDC_CLIENT_SECRET_PARAM or OIDC_CLIENT_SECRET, not both'],
    [{ ...LOCAL, COOKIE_SECRET: 'too-short' }, 'COOKIE_SECRET must hold secrets of at least 32 characters'],
    [{ ...AWS, OIDC_REDIRECT_URI: 'http://app.example.com/auth/callback' }, 'OIDC_REDIRECT_URI must use https'],
    [{ ...AWS, OIDC_REDIRECT_URI: '/auth/callback' }, 'OIDC_REDIRECT_URI must be an absolute URL'],
    [{ ...AWS, COOKIE_SECURE: 'false' }, 'COOKIE_SECURE may be false only when OIDC_REDIRECT_URI is http on loopback'],
    [{ ...AWS, COOKIE_SECURE: 'no' }, 'COOKIE_SECURE must be "true" or "false"'],
    [{ ...AWS, OIDC_SCOPES: 'email profile' }, 'OIDC_SCOPES must include openid'],
    [{ ...AWS, OIDC_CLIENT_AUTH: 'none' }, 'OIDC_CLIENT_AUTH must be one of client_secret_basic, client_secret_post'],
    [{ ...AWS, OIDC_TOKEN_ENDPOINT: 'http://auth.example.com/oauth2/token' }, 'OIDC_TOKEN_ENDPOINT must use https'],
    [{ ...AWS, POST_LOGIN_PATHS: '//evil.example.com' }, 'POST_LOGIN_PATHS holds "//evil.example.com"'],
    [
      { ...AWS, POST_LOGIN_PATHS: '/app', DEFAULT_RETURN_PATH: '/admin' },
      'DEFAULT_RETURN_PATH must be under one of POST_LOGIN_PATHS',
    ],
    [{ ...AWS, POST_LOGOUT_PATHS: 'https://evil.example.com/' }, 'POST_LOGOUT_PATHS holds'],
    [
      { ...AWS, CSRF_ALLOWED_ORIGINS: 'https://app.example.com/path' },
      'CSRF_ALLOWED_ORIGINS holds "https://app.example.com/path", which is not an origin',
    ],
    [{ ...AWS, ALLOWED_ORIGINS: 'https://app.example.com' }, 'ALLOWED_ORIGINS is now CSRF_ALLOWED_ORIGINS'],
    [{ ...AWS, PUBLIC_BASE_URL: 'https://app.example.com/app' }, 'PUBLIC_BASE_URL must be an origin'],
    [{ ...AWS, SESSION_COOKIE_NAME: 'bad name' }, 'SESSION_COOKIE_NAME is not a valid cookie name'],
    [{ ...AWS, SESSION_COOKIE_NAME: 'cg_id' }, 'SESSION_COOKIE_NAME must differ'],
    [
      { ...AWS, COGNITO_USER_POOL_ID: 'eu-west-1_A,eu-west-1_B' },
      'COGNITO_USER_POOL_ID must name exactly one user pool',
    ],
    [{ ...AWS, LOGIN_FLOW_TTL_SECONDS: '5' }, 'LOGIN_FLOW_TTL_SECONDS must be between 60 and 3600'],
    [{ ...AWS, SESSION_COOKIE_NAME: 'cg_bind' }, 'SESSION_COOKIE_NAME must differ'],
    [{ ...AWS, SESSION_COOKIE_NAME: 'cg_flow_x' }, 'SESSION_COOKIE_NAME must differ'],
    [{ ...AWS, SESSION_COOKIE_NAME: '__Host-session' }, 'SESSION_COOKIE_NAME must be a bare name'],
    [{ ...AWS, SESSION_COOKIE_NAME: '__secure-session' }, 'SESSION_COOKIE_NAME must be a bare name'],
    [{ ...AWS, COOKIE_NAME_PREFIX: '__Host-cg' }, 'COOKIE_NAME_PREFIX must be bare'],
    [{ ...AWS, COOKIE_NAME_PREFIX: 'c g' }, 'COOKIE_NAME_PREFIX makes invalid cookie names'],
  ])('fails the cold start with a message that names the variable (%#)', (env, message) => {
    expect(() => loadAuthConfig(env)).toThrow(message);
  });
});
