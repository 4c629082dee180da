import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Offline, startOffline } from '../stack/offline.js';
import { JwksServer } from '../support/jwks-server.js';
import { accessClaims, generateTestKey, jwksOf, nowSeconds, signJwt, type TestKey } from '../support/signing.js';

const CLIENT = 'e2e-client';

/** Opens a WebSocket and sends one message; the first answer, or the status that refused the handshake. */
function connectAndAsk(url: string): Promise<{ status: number; answer?: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`no answer from ${url.replace(/access_token=[^&]+/, 'access_token=…')}`));
    }, 20_000);
    const settle = (result: { status: number; answer?: Record<string, unknown> }) => {
      clearTimeout(timer);
      socket.terminate();
      resolve(result);
    };
    socket.on('unexpected-response', (_request, response) => settle({ status: response.statusCode ?? 0 }));
    socket.on('open', () => socket.send(JSON.stringify({ action: 'whoami' })));
    socket.on('message', (data) => settle({ status: 101, answer: JSON.parse(String(data)) }));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * The service under serverless-offline with an issuer of the test's own (a JWKS server and a key made here), no
 * local stack: one serverless-offline for every group below (each start bundles every function).
 */
describe('the authorizer under serverless-offline, with tokens from a key of its own', () => {
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
      env: {
        COGNITO_USER_POOL_ID: 'local_e2e',
        COGNITO_CLIENT_IDS: CLIENT,
        COGNITO_ISSUER: issuer.issuer,
        // The default sources and a custom header; no COOKIE_SECURE: the deployed default (__Host-cg_session).
        TOKEN_SOURCES: 'bearer,header:x-gate-token,cookie,query:access_token',
        // No DynamoDB here: revocation off, or the authorizer would look for its table in AWS.
        REVOCATION: 'off',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await offline?.stop();
    await issuer.stop();
  });

  const token = (overrides: Record<string, unknown> = {}) =>
    signJwt(key, accessClaims({ issuer: issuer.issuer, clientId: CLIENT }, overrides));

  describe('in front of echo', () => {
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

    describe('CSRF: a cookie POST on the HTTP API', () => {
      const post = (headers: Record<string, string>) =>
        fetch(`${offline.baseUrl}/echo`, { method: 'POST', headers: { 'content-length': '0', ...headers } });

      it('answers 403 to a form POST from a sibling subdomain that carries the session cookie', async () => {
        // Act: every header Chrome sends for <form method="post"> on https://evil.example.com, the cookie included
        const response = await post({
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
          'accept-language': 'en-US,en;q=0.9',
          'cache-control': 'max-age=0',
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `__Host-cg_session=${token({ scope: 'cognito-gate/write' })}`,
          origin: 'https://evil.example.com',
          referer: 'https://evil.example.com/',
          'sec-fetch-dest': 'document',
          'sec-fetch-mode': 'navigate',
          'sec-fetch-site': 'same-site',
          'sec-fetch-user': '?1',
          'upgrade-insecure-requests': '1',
          'user-agent':
            'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        });
        // Assess
        expect(response.status).toBe(403);
      });

      it('answers 403 to a cookie POST with no Origin at all', async () => {
        const response = await post({
          accept: '*/*',
          cookie: `__Host-cg_session=${token({ scope: 'cognito-gate/write' })}`,
        });
        expect(response.status).toBe(403);
      });

      it("answers 200 to a cookie POST from the API's own origin, http on loopback under serverless-offline", async () => {
        const response = await post({
          accept: '*/*',
          cookie: `__Host-cg_session=${token({ scope: 'cognito-gate/write' })}`,
          origin: new URL(offline.baseUrl).origin,
        });
        expect(response.status).toBe(200);
      });

      it('answers 200 to a bearer POST whatever its Origin', async () => {
        const response = await post({
          accept: '*/*',
          authorization: `Bearer ${token({ scope: 'cognito-gate/write' })}`,
          origin: 'https://evil.example.com',
        });
        expect(response.status).toBe(200);
      });
    });

    it('serves the public route without a token on the HTTP API', async () => {
      expect((await call(`${offline.baseUrl}/health`)).status).toBe(200);
    });
  });

  describe('token sources and the WebSocket API', () => {
    describe('a custom header on the HTTP API (no identity source: every request reaches the authorizer)', () => {
      it('accepts the token in the configured header, X-Gate-Token', async () => {
        const response = await fetch(`${offline.baseUrl}/echo`, { headers: { 'x-gate-token': token() } });
        expect(response.status).toBe(200);
        expect(((await response.json()) as { identity: Record<string, unknown> }).identity).toMatchObject({
          username: 'alice',
          clientId: CLIENT,
        });
      });

      it('refuses the same token in a header that TOKEN_SOURCES does not name', async () => {
        const response = await fetch(`${offline.baseUrl}/echo`, { headers: { 'x-api-token': token() } });
        expect(response.status).toBe(401);
      });

      it('refuses the token in the query string of an HTTP route (query sources serve $connect only)', async () => {
        const response = await fetch(`${offline.baseUrl}/echo?access_token=${token()}`);
        expect(response.status).toBe(401);
      });
    });

    it("refuses a custom header on a REST route whose identity source is Authorization: API Gateway's own 401", async () => {
      // The REST sample caches on method.request.header.Authorization; a request without it never reaches the
      // authorizer. A custom header source on REST needs identitySource: method.request.header.<name> (README).
      const response = await fetch(`${offline.restBaseUrl}/echo`, { headers: { 'x-gate-token': token() } });
      expect(response.status).toBe(401);
    });

    describe('the WebSocket API', () => {
      it('connects with ?access_token= and answers a message with the identity', async () => {
        // Act
        const { status, answer } = await connectAndAsk(`${offline.webSocketUrl}?access_token=${token()}`);
        // Assess
        expect(status).toBe(101);
        expect(answer?.identity).toMatchObject({
          username: 'alice',
          clientId: CLIENT,
          tokenUse: 'access',
          scopes: ['cognito-gate/read'],
        });
      });

      it('refuses the handshake without a token', async () => {
        // serverless-offline answers 500 where API Gateway answers 401: it treats any thrown error as a failure.
        const { status } = await connectAndAsk(offline.webSocketUrl);
        expect(status).toBeGreaterThanOrEqual(400);
      });

      it('refuses the handshake when the token lacks the scope that the $connect rule requires', async () => {
        const { status } = await connectAndAsk(`${offline.webSocketUrl}?access_token=${token({ scope: 'other' })}`);
        expect(status).toBe(403);
      });
    });
  });
});
