import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Offline, startOffline } from '../stack/offline.js';
import { JwksServer } from '../support/jwks-server.js';
import { accessClaims, generateTestKey, jwksOf, nowSeconds, signJwt, type TestKey } from '../support/signing.js';

const CLIENT = 'e2e-client';

describe('the authorizer in front of echo under serverless-offline', () => {
  const issuer = new JwksServer();
  let offline: Offline;
  let key: TestKey;

  beforeAll(async () => {
    await issuer.start('/local_e2e');
    key = generateTestKey();
    issuer.serve(jwksOf(key));
    offline = await startOffline({
      httpPort: 0,
      lambdaPort: 0,
      esbuildDir: '.esbuild-e2e-authorizer',
      logFile: join(mkdtempSync(join(tmpdir(), 'cg-offline-')), 'offline.log'),
      env: { COGNITO_USER_POOL_ID: 'local_e2e', COGNITO_CLIENT_IDS: CLIENT, COGNITO_ISSUER: issuer.issuer },
    });
  }, 120_000);
  afterAll(async () => {
    await offline?.stop();
    await issuer.stop();
  });

  const token = (overrides: Record<string, unknown> = {}) =>
    signJwt(key, accessClaims({ issuer: issuer.issuer, clientId: CLIENT }, overrides));
  const call = (url: string, init: { method?: string; token?: string; cookie?: string } = {}) =>
    fetch(url, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
      },
    });

  describe.each([
    ['REST API', () => offline.restBaseUrl],
    ['HTTP API', () => offline.baseUrl],
  ])('on the %s', (_api, base) => {
    it('answers 401 without a token', async () => {
      expect((await call(`${base()}/echo`)).status).toBe(401);
    });

    it('answers 401 to a bad token', async () => {
      expect((await call(`${base()}/echo`, { token: token({ exp: nowSeconds() - 60 }) })).status).toBe(401);
      expect(
        (
          await call(`${base()}/echo`, {
            token: signJwt(generateTestKey(), accessClaims({ issuer: issuer.issuer, clientId: CLIENT })),
          })
        ).status,
      ).toBe(401);
    });

    it('answers 403 to a token with the wrong scope', async () => {
      expect(
        (await call(`${base()}/echo`, { method: 'POST', token: token({ scope: 'cognito-gate/read' }) })).status,
      ).toBe(403);
    });

    it('answers 200 to the right scope, and the backend receives the identity', async () => {
      // Act
      const response = await call(`${base()}/echo/42`, {
        token: token({ scope: 'cognito-gate/read', 'cognito:groups': ['users'] }),
      });
      // Assess
      expect(response.status).toBe(200);
      const body = (await response.json()) as { method: string; identity: Record<string, unknown> };
      expect(body.method).toBe('GET');
      expect(body.identity).toMatchObject({
        username: 'alice',
        clientId: CLIENT,
        tokenUse: 'access',
        scopes: ['cognito-gate/read'],
        groups: ['users'],
      });
    });

    it('lets a write scope POST', async () => {
      expect(
        (await call(`${base()}/echo`, { method: 'POST', token: token({ scope: 'cognito-gate/write' }) })).status,
      ).toBe(200);
    });

    it('keeps the group-only route for admins', async () => {
      expect(
        (await call(`${base()}/echo/admin/reports`, { token: token({ 'cognito:groups': ['users'] }) })).status,
      ).toBe(403);
      expect(
        (await call(`${base()}/echo/admin/reports`, { token: token({ 'cognito:groups': ['admins'] }) })).status,
      ).toBe(200);
    });
  });

  it('accepts the session cookie on the HTTP API', async () => {
    // No COOKIE_SECURE in this env: the deployed default, so the authorizer reads __Host-cg_session.
    const response = await call(`${offline.baseUrl}/echo`, { cookie: `__Host-cg_session=${token()}` });
    expect(response.status).toBe(200);
  });

  it("refuses with 401 a session cookie sent twice: a tossed copy first, the user's second", async () => {
    const planted = token({ sub: 'mallory', username: 'mallory' });
    const response = await call(`${offline.baseUrl}/echo`, {
      cookie: `__Host-cg_session=${planted}; __Host-cg_session=${token()}`,
    });
    expect(response.status).toBe(401);
  });

  it('serves the public route without a token on the HTTP API', async () => {
    expect((await call(`${offline.baseUrl}/health`)).status).toBe(200);
  });
});
