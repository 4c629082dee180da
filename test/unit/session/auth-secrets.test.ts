import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { UpstreamError } from '../../../shared/errors/gate-error.js';
import type { SecretSetting } from '../../../shared/session/auth-config.js';
import { createAuthSecrets, ssmParameterFetcher } from '../../../shared/session/auth-secrets.js';

const COOKIE_SECRET = 'ssm-cookie-secret-0123456789abcdefghijkl';
const fromSsm = (variable: string, parameterName: string): SecretSetting => ({
  source: 'ssm',
  parameterName,
  variable,
});

describe('the auth secrets', () => {
  const ssm = mockClient(SSMClient);
  afterEach(() => ssm.reset());
  // The mock patches SSMClient itself, and unit files share a worker's modules (isolate: false).
  afterAll(() => ssm.restore());

  it('reads each SSM parameter once per container, decrypted', async () => {
    // Prepare
    ssm.on(GetParameterCommand, { Name: '/gate/client' }).resolves({ Parameter: { Value: 'client-secret' } });
    ssm.on(GetParameterCommand, { Name: '/gate/cookie' }).resolves({ Parameter: { Value: COOKIE_SECRET } });
    const secrets = createAuthSecrets(
      {
        clientSecret: fromSsm('OIDC_CLIENT_SECRET_PARAM', '/gate/client'),
        cookieSecret: fromSsm('COOKIE_SECRET_PARAM', '/gate/cookie'),
      },
      ssmParameterFetcher(),
    );
    // Act
    const [first, second] = await Promise.all([secrets.clientSecret(), secrets.clientSecret()]);
    const sealer = await secrets.cookieSealer();
    await secrets.cookieSealer();
    // Assess
    expect([first, second]).toEqual(['client-secret', 'client-secret']);
    expect(
      sealer.open('flow', sealer.seal('flow', 1, { ttlSeconds: 9, nowSeconds: 0 }), { nowSeconds: 0 }),
    ).toMatchObject({ ok: true });
    expect(ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input)).toEqual([
      { Name: '/gate/client', WithDecryption: true },
      { Name: '/gate/cookie', WithDecryption: true },
    ]);
  });

  it('turns an SSM failure into a 502 that names the variable, and tries again on the next request', async () => {
    // Prepare
    const fetchParameter = vi
      .fn()
      .mockRejectedValueOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
      .mockResolvedValueOnce('client-secret');
    const secrets = createAuthSecrets(
      {
        clientSecret: fromSsm('OIDC_CLIENT_SECRET_PARAM', '/gate/client'),
        cookieSecret: fromSsm('COOKIE_SECRET_PARAM', '/gate/cookie'),
      },
      fetchParameter,
    );
    // Act / Assess
    const failure = await secrets.clientSecret().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as Error).message).toBe(
      'could not read the SSM parameter named by OIDC_CLIENT_SECRET_PARAM (AccessDeniedException)',
    );
    await expect(secrets.clientSecret()).resolves.toBe('client-secret');
  });

  it('refuses a cookie secret from SSM that is too short', async () => {
    const secrets = createAuthSecrets(
      { clientSecret: fromSsm('OIDC_CLIENT_SECRET_PARAM', '/a'), cookieSecret: fromSsm('COOKIE_SECRET_PARAM', '/b') },
      async () => 'short',
    );
    await expect(secrets.cookieSealer()).rejects.toThrow(
      'COOKIE_SECRET_PARAM must hold secrets of at least 32 characters',
    );
  });

  it('never calls SSM for secrets given in env (the local stack)', async () => {
    const fetchParameter = vi.fn();
    const secrets = createAuthSecrets(
      {
        clientSecret: { source: 'env', value: 'local', variable: 'OIDC_CLIENT_SECRET' },
        cookieSecret: { source: 'env', value: COOKIE_SECRET, variable: 'COOKIE_SECRET' },
      },
      fetchParameter,
    );
    await secrets.clientSecret();
    await secrets.cookieSealer();
    expect(fetchParameter).not.toHaveBeenCalled();
  });
});
