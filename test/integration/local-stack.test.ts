import { AdminDeleteUserCommand, AdminRemoveUserFromGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { createLocalCognitoClient, ensureDemoUser } from '../stack/seed.js';
import { getM2mToken, loginWithPassword, type TokenClientTarget } from '../stack/token-client.js';

const stack = inject('stack');
const target: TokenClientTarget = {
  hostedUiBaseUrl: stack.hostedUiBaseUrl,
  seed: { webClient: stack.webClient, m2mClient: stack.m2mClient },
};

const get = (path: string, token: string, method = 'GET') =>
  fetch(`${stack.apiBaseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } });

describe('the product against the local stack', () => {
  it('lets an M2M token with the read scope call GET /echo, and reports its client as the identity', async () => {
    // Prepare
    const token = await getM2mToken(target, 'cognito-gate/read');
    // Act
    const response = await get('/echo', token);
    // Assess
    expect(response.status).toBe(200);
    expect(((await response.json()) as { identity: Record<string, unknown> }).identity).toMatchObject({
      clientId: stack.m2mClient.clientId,
      tokenUse: 'access',
      scopes: ['cognito-gate/read'],
    });
  });

  it('lets an M2M token connect to the WebSocket API with ?access_token= and echoes its identity', async () => {
    // Prepare
    const token = await getM2mToken(target, 'cognito-gate/read');
    // Act: connect, send one message, take the answer
    const answer = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const socket = new WebSocket(`${stack.webSocketUrl}?access_token=${token}`);
      socket.on('open', () => socket.send(JSON.stringify({ action: 'whoami' })));
      socket.on('message', (data) => {
        socket.close();
        resolve(JSON.parse(String(data)));
      });
      socket.on('unexpected-response', (_request, response) => reject(new Error(`refused: ${response.statusCode}`)));
      socket.on('error', reject);
    });
    // Assess
    expect(answer.identity).toMatchObject({ clientId: stack.m2mClient.clientId, scopes: ['cognito-gate/read'] });
  });

  it('answers 403 to the same M2M token on a route that needs the write scope', async () => {
    const token = await getM2mToken(target, 'cognito-gate/read');
    expect((await get('/echo', token, 'POST')).status).toBe(403);
    expect(
      (await fetch(`${stack.restBaseUrl}/echo`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(403);
  });

  it('lets a user token from the authorization-code flow call a user route on both APIs', async () => {
    // Prepare
    const { accessToken } = await loginWithPassword(target, {
      username: 'bob',
      password: stack.users.find((u) => u.username === 'bob')!.password,
    });
    // Act
    const viaHttpApi = await get('/echo/1', accessToken);
    const viaRest = await fetch(`${stack.restBaseUrl}/echo/1`, { headers: { authorization: `Bearer ${accessToken}` } });
    // Assess
    expect(viaHttpApi.status).toBe(200);
    expect(viaRest.status).toBe(200);
    expect(((await viaHttpApi.json()) as { identity: Record<string, unknown> }).identity).toMatchObject({
      username: 'bob',
      groups: ['users'],
    });
  });

  it('takes an admins-only route away from a user removed from admins, at the next login', async () => {
    // Prepare: an admin of its own, so that files running alongside keep alice in admins
    const cognito = createLocalCognitoClient(stack.cognitoEndpoint);
    const UserPoolId = stack.userPoolId;
    const Username = `demoted-${Date.now().toString(36)}`;
    const password = 'Demoted-Passw0rd!';
    try {
      await ensureDemoUser(cognito, UserPoolId, {
        username: Username,
        password,
        email: `${Username}@example.com`,
        groups: ['admins'],
      });
      const before = await loginWithPassword(target, { username: Username, password });
      expect((await get('/echo/admin/report', before.accessToken)).status).toBe(200);
      // Act
      await cognito.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username, GroupName: 'admins' }));
      const after = await loginWithPassword(target, { username: Username, password });
      // Assess
      expect((await get('/echo/admin/report', after.accessToken)).status).toBe(403);
    } finally {
      await cognito.send(new AdminDeleteUserCommand({ UserPoolId, Username }));
    }
  });

  it('answers 401 to a request without a token', async () => {
    expect((await fetch(`${stack.apiBaseUrl}/echo`)).status).toBe(401);
  });
});
