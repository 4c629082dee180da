import { describe, expect, it } from 'vitest';
import { loadM2mConfig } from '../../../shared/m2m/m2m-config.js';

const BASE = {
  COGNITO_DOMAIN: 'my-app.auth.eu-west-1.amazoncognito.com',
  TOKEN_CACHE_TABLE: 'cognito-gate-prod-m2m-tokens',
  AWS_REGION: 'eu-west-1',
};

describe('the token endpoint configuration', () => {
  it('builds the upstream token URL from the pool domain, with the documented defaults', () => {
    const config = loadM2mConfig(BASE);
    expect(config).toEqual({
      tokenEndpoint: 'https://my-app.auth.eu-west-1.amazoncognito.com/oauth2/token',
      tableName: 'cognito-gate-prod-m2m-tokens',
      region: 'eu-west-1',
      reuseFraction: 0.75,
      memoryEntries: 1000,
      upstreamTimeoutMs: 3000,
      tableTimeoutMs: 300,
      defaultRetryAfterSeconds: 1,
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('accepts a custom domain, and a local token endpoint and DynamoDB on loopback', () => {
    expect(loadM2mConfig({ ...BASE, COGNITO_DOMAIN: 'https://auth.example.com/' }).tokenEndpoint).toBe(
      'https://auth.example.com/oauth2/token',
    );
    const local = loadM2mConfig({
      ...BASE,
      COGNITO_DOMAIN: '',
      COGNITO_TOKEN_ENDPOINT: 'http://127.0.0.1:9230/oauth2/token',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
    });
    expect(local.tokenEndpoint).toBe('http://127.0.0.1:9230/oauth2/token');
    expect(local.dynamodbEndpoint).toBe('http://127.0.0.1:8000');
  });

  it.each([
    ['COGNITO_DOMAIN is required', { COGNITO_DOMAIN: '' }],
    ['COGNITO_DOMAIN must be a host name', { COGNITO_DOMAIN: 'auth.example.com/oauth2' }],
    ['set COGNITO_DOMAIN or COGNITO_TOKEN_ENDPOINT, not both', { COGNITO_TOKEN_ENDPOINT: 'https://a.example/t' }],
    [
      'COGNITO_TOKEN_ENDPOINT must be https, or http on loopback',
      { COGNITO_DOMAIN: '', COGNITO_TOKEN_ENDPOINT: 'http://auth.example.com/oauth2/token' },
    ],
    ['DYNAMODB_ENDPOINT must be a loopback URL', { DYNAMODB_ENDPOINT: 'https://dynamodb.eu-west-1.amazonaws.com' }],
    ['TOKEN_CACHE_TABLE is required', { TOKEN_CACHE_TABLE: '' }],
    ['TOKEN_CACHE_TABLE is not a table name', { TOKEN_CACHE_TABLE: 'a b' }],
    ['AWS_REGION is required', { AWS_REGION: '' }],
    ['TOKEN_REUSE_PERCENT must be between 10 and 90', { TOKEN_REUSE_PERCENT: '100' }],
    ['TOKEN_CACHE_MEMORY_ENTRIES must be a whole number', { TOKEN_CACHE_MEMORY_ENTRIES: '-1' }],
  ])('stops the cold start: "%s"', (message, overrides) => {
    expect(() => loadM2mConfig({ ...BASE, ...overrides })).toThrow(message);
  });
});
