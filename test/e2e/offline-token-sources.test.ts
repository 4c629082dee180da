import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Offline, startOffline } from '../stack/offline.js';
import { JwksServer } from '../support/jwks-server.js';
import { accessClaims, generateTestKey, jwksOf, signJwt, type TestKey } from '../support/signing.js';

const CLIENT = 'e2e-sources-client';

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

describe('token sources and the WebSocket API under serverless-offline', () => {
  const issuer = new JwksServer();
  let offline: Offline;
  let key: TestKey;

  beforeAll(async () => {
    await issuer.start('/local_sources');
    key = generateTestKey();
    issuer.serve(jwksOf(key));
    offline = await startOffline({
      httpPort: 0,
      lambdaPort: 0,
      esbuildDir: '.esbuild-e2e-sources',
      logFile: join(mkdtempSync(join(tmpdir(), 'cg-offline-')), 'offline.log'),
      env: {
        COGNITO_USER_POOL_ID: 'local_sources',
        COGNITO_CLIENT_IDS: CLIENT,
        COGNITO_ISSUER: issuer.issuer,
        TOKEN_SOURCES: 'bearer,header:x-gate-token,cookie,query:access_token',
        // No DynamoDB here: with revocation on, the authorizer would fail closed looking for its table in AWS.
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
