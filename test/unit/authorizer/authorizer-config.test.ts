import { describe, expect, it } from 'vitest';
import { loadAuthorizerConfig } from '../../../shared/authorizer/authorizer-config.js';

const RULES = { rules: [{ route: 'GET /echo', scopes: ['s/read'] }] };
const BASE = { COGNITO_USER_POOL_ID: 'eu-west-1_AbC123', COGNITO_CLIENT_IDS: 'client-a, client-b' };

describe('authorizer configuration', () => {
  it('builds Cognito issuers from pool ids and freezes the result', () => {
    // Act
    const config = loadAuthorizerConfig({ ...BASE, COGNITO_USER_POOL_ID: 'eu-west-1_AbC123,us-east-1_Xyz' }, RULES);
    // Assess
    expect(config.issuers.map((issuer) => issuer.issuer)).toEqual([
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
      'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Xyz',
    ]);
    expect(config.clientIds).toEqual(['client-a', 'client-b']);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.clientIds)).toBe(true);
  });

  it.each([
    [{ COGNITO_USER_POOL_ID: 'eu-west-1_AbC123' }, 'COGNITO_CLIENT_IDS is required'],
    [{ COGNITO_CLIENT_IDS: 'a' }, 'COGNITO_USER_POOL_ID is required'],
    [{ ...BASE, COGNITO_CLIENT_IDS: ' , ' }, 'COGNITO_CLIENT_IDS must list at least one value'],
    [{ ...BASE, COGNITO_USER_POOL_ID: 'not-a-pool' }, 'COGNITO_USER_POOL_ID has an id that is not a Cognito pool id'],
    [{ ...BASE, COGNITO_ISSUER: 'https://evil.example.com/pool' }, "COGNITO_ISSUER must be in Cognito's form"],
    [
      { ...BASE, COGNITO_ISSUER: 'http://127.0.0.1:9/p', COGNITO_JWKS_URI: 'http://evil.example.com/jwks.json' },
      'COGNITO_JWKS_URI may use http only',
    ],
    [{ ...BASE, COGNITO_JWKS_URI: 'https://x/jwks.json' }, 'COGNITO_JWKS_URI needs COGNITO_ISSUER'],
    [{ ...BASE, TOKEN_CLOCK_SKEW_SECONDS: '-1' }, 'TOKEN_CLOCK_SKEW_SECONDS must be a whole number'],
    [{ ...BASE, HTTP_API_RESPONSE: 'both' }, 'HTTP_API_RESPONSE must be one of simple, iam'],
    [{ ...BASE, LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of debug, info, warn, error, got "verbose"'],
    [{ ...BASE, AUTH_RULES: '{not json' }, 'AUTH_RULES must be a JSON rule document'],
    [
      { ...BASE, AUTH_RULES: '{"rules":[{"route":"GET /a","scope":["x"]}]}' },
      'AUTH_RULES rules[0]: unknown key "scope"',
    ],
    [{ ...BASE, CSRF_ALLOWED_ORIGINS: '*' }, 'CSRF_ALLOWED_ORIGINS holds "*", which is not an origin'],
    [{ ...BASE, CSRF_ALLOWED_ORIGINS: 'null' }, 'CSRF_ALLOWED_ORIGINS holds "null", which is not an origin'],
    [
      { ...BASE, CSRF_ALLOWED_ORIGINS: 'https://app.example.com/admin' },
      'CSRF_ALLOWED_ORIGINS holds "https://app.example.com/admin", which is not an origin',
    ],
    [
      { ...BASE, CSRF_ALLOWED_ORIGINS: 'http://app.example.com' },
      'CSRF_ALLOWED_ORIGINS holds "http://app.example.com", which is not an origin',
    ],
  ])('fails the cold start with a message that names the variable (%#)', (env, message) => {
    expect(() => loadAuthorizerConfig(env, RULES)).toThrow(message);
  });

  it('reads LOG_LEVEL with the rest, info when unset', () => {
    expect(loadAuthorizerConfig(BASE, RULES).logLevel).toBe('info');
    expect(loadAuthorizerConfig({ ...BASE, LOG_LEVEL: 'warn' }, RULES).logLevel).toBe('warn');
  });

  it('allows a loopback http issuer with its JWKS, for the local stack', () => {
    const config = loadAuthorizerConfig({ ...BASE, COGNITO_ISSUER: 'http://127.0.0.1:9230/local_pool' }, RULES);
    expect(config.issuers).toEqual([
      {
        issuer: 'http://127.0.0.1:9230/local_pool',
        jwksUri: 'http://127.0.0.1:9230/local_pool/.well-known/jwks.json',
        allowHttp: true,
      },
    ]);
  });

  it('reads CSRF_ALLOWED_ORIGINS as exact origins, frozen, and leaves it undefined (the own origin) when unset', () => {
    // Act
    const listed = loadAuthorizerConfig(
      { ...BASE, CSRF_ALLOWED_ORIGINS: 'https://App.Example.com/, http://127.0.0.1:3000' },
      RULES,
    );
    // Assess
    expect(listed.csrfAllowedOrigins).toEqual(['https://app.example.com', 'http://127.0.0.1:3000']);
    expect(Object.isFrozen(listed.csrfAllowedOrigins)).toBe(true);
    expect(loadAuthorizerConfig({ ...BASE, CSRF_ALLOWED_ORIGINS: ' ' }, RULES).csrfAllowedOrigins).toBeUndefined();
  });

  it('lets AUTH_RULES override the bundled rule file', () => {
    const config = loadAuthorizerConfig(
      { ...BASE, AUTH_RULES: '{"rules":[{"route":"GET /other","public":true}]}' },
      RULES,
    );
    expect(config.rules.rules.map((rule) => rule.pattern.route)).toEqual(['GET /other']);
  });

  it('reads the session cookie by the name the token service writes: __Host- unless COOKIE_SECURE=false', () => {
    expect(loadAuthorizerConfig(BASE, RULES).sessionCookieName).toBe('__Host-cg_session');
    expect(loadAuthorizerConfig({ ...BASE, SESSION_COOKIE_NAME: 'app_session' }, RULES).sessionCookieName).toBe(
      '__Host-app_session',
    );
    const local = { ...BASE, COGNITO_ISSUER: 'http://127.0.0.1:9230/local_pool', COOKIE_SECURE: 'false' };
    expect(loadAuthorizerConfig(local, RULES).sessionCookieName).toBe('cg_session');
  });

  it.each([
    [{ ...BASE, COOKIE_SECURE: 'false' }, 'COOKIE_SECURE may be false only with a loopback COGNITO_ISSUER'],
    [{ ...BASE, SESSION_COOKIE_NAME: '__Host-cg_session' }, 'SESSION_COOKIE_NAME must be a bare name'],
    [{ ...BASE, SESSION_COOKIE_NAME: 'a b' }, 'SESSION_COOKIE_NAME is not a valid cookie name'],
  ])('refuses a cookie setting the token service would not match (%#)', (env, message) => {
    expect(() => loadAuthorizerConfig(env, RULES)).toThrow(message);
  });
});
