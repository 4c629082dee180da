import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors/gate-error.js';
import { loadRevocationConfig } from '../../../shared/revocation/revocation-config.js';

const ON = { REVOCATION_TABLE: 'cognito-gate-prod-revocations', AWS_REGION: 'eu-west-1' };

describe('loadRevocationConfig', () => {
  it('is on with a table name, with the defaults: refresh 5 s, stale 60 s then deny, tokens up to a day', () => {
    // Act
    const config = loadRevocationConfig(ON);
    // Assess
    expect(config).toEqual({
      enabled: true,
      tableName: 'cognito-gate-prod-revocations',
      region: 'eu-west-1',
      refreshMs: 5000,
      staleMs: 60_000,
      stalePolicy: 'deny',
      tokenLifetimeSeconds: 86_400,
      timeoutMs: 2000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every optional setting', () => {
    // Prepare
    const env = {
      ...ON,
      REVOCATION: 'on',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      REVOCATION_REFRESH_SECONDS: '2',
      REVOCATION_STALE_SECONDS: '30',
      REVOCATION_STALE: 'allow',
      REVOCATION_TOKEN_LIFETIME_SECONDS: '3600',
      REVOCATION_TIMEOUT_MS: '500',
    };
    // Act
    const config = loadRevocationConfig(env);
    // Assess
    expect(config).toEqual({
      enabled: true,
      tableName: 'cognito-gate-prod-revocations',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:8000',
      refreshMs: 2000,
      staleMs: 30_000,
      stalePolicy: 'allow',
      tokenLifetimeSeconds: 3600,
      timeoutMs: 500,
    });
  });

  it('is off when no table is named', () => {
    expect(loadRevocationConfig({ AWS_REGION: 'eu-west-1' })).toEqual({ enabled: false });
  });

  it('is off with REVOCATION=off even when a table is named, and then reads nothing else', () => {
    expect(loadRevocationConfig({ ...ON, REVOCATION: 'off', REVOCATION_STALE: 'maybe' })).toEqual({ enabled: false });
  });

  it.each([
    [{ ...ON, REVOCATION: 'yes' }, 'REVOCATION must be one of on, off, got "yes"'],
    [{ REVOCATION: 'on', AWS_REGION: 'eu-west-1' }, 'REVOCATION_TABLE is required when REVOCATION=on'],
    [{ ...ON, REVOCATION_TABLE: 'a b' }, 'REVOCATION_TABLE is not a DynamoDB table name: "a b"'],
    [{ REVOCATION_TABLE: 'revocations' }, 'AWS_REGION is required'],
    [{ ...ON, AWS_REGION: 'Ireland' }, 'AWS_REGION must be an AWS region name, got "Ireland"'],
    [{ ...ON, DYNAMODB_ENDPOINT: 'http://dynamo.example.com' }, 'DYNAMODB_ENDPOINT must be an https URL'],
    [{ ...ON, DYNAMODB_ENDPOINT: 'not a url' }, 'DYNAMODB_ENDPOINT must be an http(s) URL, got "not a url"'],
    [{ ...ON, REVOCATION_REFRESH_SECONDS: '0' }, 'REVOCATION_REFRESH_SECONDS must be between 1 and 300, got 0'],
    [{ ...ON, REVOCATION_REFRESH_SECONDS: '2.5' }, 'REVOCATION_REFRESH_SECONDS must be a whole number, got "2.5"'],
    [
      { ...ON, REVOCATION_REFRESH_SECONDS: '30', REVOCATION_STALE_SECONDS: '10' },
      'REVOCATION_STALE_SECONDS (10) must be at least REVOCATION_REFRESH_SECONDS (30)',
    ],
    [{ ...ON, REVOCATION_STALE: 'open' }, 'REVOCATION_STALE must be one of deny, allow, got "open"'],
    [
      { ...ON, REVOCATION_TOKEN_LIFETIME_SECONDS: '172800' },
      'REVOCATION_TOKEN_LIFETIME_SECONDS must be between 300 and 86400, got 172800',
    ],
    [{ ...ON, REVOCATION_TIMEOUT_MS: '20' }, 'REVOCATION_TIMEOUT_MS must be between 100 and 10000, got 20'],
  ])('fails fast, naming the variable: %j', (env, message) => {
    expect(() => loadRevocationConfig(env)).toThrow(ConfigError);
    expect(() => loadRevocationConfig(env)).toThrow(message);
  });
});
