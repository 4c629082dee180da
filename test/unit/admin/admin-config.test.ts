import { describe, expect, it } from 'vitest';
import { loadAdminConfig } from '../../../shared/admin/admin-config.js';
import { ConfigError } from '../../../shared/errors/gate-error.js';

const REQUIRED = { COGNITO_USER_POOL_ID: 'eu-west-1_AbC123', AWS_REGION: 'eu-west-1' };

describe('loadAdminConfig', () => {
  it('applies the defaults: group admins, scope cognito-gate/admin, 16384-byte bodies', () => {
    // Prepare
    const env = { ...REQUIRED };
    // Act
    const config = loadAdminConfig(env);
    // Assess
    expect(config).toEqual({
      userPoolId: 'eu-west-1_AbC123',
      region: 'eu-west-1',
      adminGroup: 'admins',
      adminScope: 'cognito-gate/admin',
      maxBodyBytes: 16_384,
      logLevel: 'info',
    });
  });

  it('reads every optional setting', () => {
    // Prepare
    const env = {
      ...REQUIRED,
      COGNITO_ENDPOINT: 'http://127.0.0.1:9229',
      ADMIN_GROUP: 'ops-admins',
      ADMIN_SCOPE: 'gate/admin',
      ADMIN_MAX_BODY_BYTES: '4096',
      LOG_LEVEL: 'debug',
    };
    // Act
    const config = loadAdminConfig(env);
    // Assess
    expect(config).toMatchObject({
      endpoint: 'http://127.0.0.1:9229',
      adminGroup: 'ops-admins',
      adminScope: 'gate/admin',
      maxBodyBytes: 4096,
      logLevel: 'debug',
    });
  });

  it("calls Cognito in the pool's region, even when the function runs in another", () => {
    // Act
    const config = loadAdminConfig({ COGNITO_USER_POOL_ID: 'us-east-2_Pool1', AWS_REGION: 'eu-west-1' });
    // Assess
    expect(config.region).toBe('us-east-2');
  });

  it("falls back to AWS_REGION for a pool id that names no region (cognito-local's)", () => {
    expect(
      loadAdminConfig({
        COGNITO_USER_POOL_ID: 'local_4Ab',
        AWS_REGION: 'us-east-1',
        COGNITO_ENDPOINT: 'http://127.0.0.1:9229',
      }).region,
    ).toBe('us-east-1');
  });

  it('accepts an https endpoint anywhere', () => {
    expect(
      loadAdminConfig({ ...REQUIRED, COGNITO_ENDPOINT: 'https://cognito-idp.eu-west-1.amazonaws.com' }).endpoint,
    ).toBe('https://cognito-idp.eu-west-1.amazonaws.com');
  });

  it('returns a frozen object', () => {
    // Act
    const config = loadAdminConfig(REQUIRED);
    // Assess
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['COGNITO_USER_POOL_ID', { AWS_REGION: 'eu-west-1' }],
    ['COGNITO_USER_POOL_ID', { ...REQUIRED, COGNITO_USER_POOL_ID: 'not a pool id' }],
    ['AWS_REGION', { COGNITO_USER_POOL_ID: 'eu-west-1_AbC123' }],
    ['AWS_REGION', { ...REQUIRED, AWS_REGION: 'Europe' }],
    ['COGNITO_ENDPOINT', { ...REQUIRED, COGNITO_ENDPOINT: 'localhost:9229' }],
    ['COGNITO_ENDPOINT', { ...REQUIRED, COGNITO_ENDPOINT: 'ftp://127.0.0.1' }],
    ['COGNITO_ENDPOINT', { ...REQUIRED, COGNITO_ENDPOINT: 'http://cognito.example.com' }],
    ['ADMIN_GROUP', { ...REQUIRED, ADMIN_GROUP: 'admins,ops' }],
    ['ADMIN_GROUP', { ...REQUIRED, ADMIN_GROUP: 'two words' }],
    ['ADMIN_SCOPE', { ...REQUIRED, ADMIN_SCOPE: 'a b' }],
    ['ADMIN_MAX_BODY_BYTES', { ...REQUIRED, ADMIN_MAX_BODY_BYTES: 'big' }],
    ['ADMIN_MAX_BODY_BYTES', { ...REQUIRED, ADMIN_MAX_BODY_BYTES: '10' }],
    ['ADMIN_SCOPE', { ...REQUIRED, ADMIN_SCOPE: `s/${'x'.repeat(255)}` }],
    ['LOG_LEVEL', { ...REQUIRED, LOG_LEVEL: 'DEBUG' }],
  ])('refuses a missing or malformed %s, naming it', (variable, env) => {
    // Act
    const load = () => loadAdminConfig(env);
    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(variable);
  });
});
