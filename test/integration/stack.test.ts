import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startCognitoStandIn } from '../stack/cognito-stand-in.js';
import { startHostedUi } from '../stack/hosted-ui.js';
import { PortInUseError } from '../stack/ports.js';
import { ALICE_PASSWORD, createLocalCognitoClient, seedStack } from '../stack/seed.js';
import { type IdentityStack, startIdentityStack } from '../stack/stack.js';
import {
  buildAuthorizeUrl,
  CookieJar,
  createPkce,
  driveLogin,
  exchangeCode,
  fetchWithCookies,
  getM2mToken,
  LoginRejectedError,
  loginWithPassword,
  postToken,
  randomToken,
  refreshTokens,
  revokeToken,
} from '../stack/token-client.js';

const CALLBACK_URL = 'http://localhost:3000/auth/callback';
const LOGOUT_URL = 'http://localhost:3000/signed-out';
const USER_SCOPE = 'openid email profile cognito-gate/read';
const NEW_USER_PASSWORD = 'Passw0rd!local';

describe('the local identity stack (cognito-local behind a Cognito-shaped hosted UI)', () => {
  let stateDir: string;
  let stack: IdentityStack;
  let admin: CognitoIdentityProviderClient;

  /** A user made through the admin API, as an operator would, with a permanent password. */
  const createUser = async (username: string, groups: string[] = []): Promise<void> => {
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.seed.userPoolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        TemporaryPassword: `${NEW_USER_PASSWORD}-temporary`,
        UserAttributes: [
          { Name: 'email', Value: `${username}@example.com` },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await admin.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: stack.seed.userPoolId,
        Username: username,
        Password: NEW_USER_PASSWORD,
        Permanent: true,
      }),
    );
    for (const group of groups) {
      await admin.send(
        new AdminAddUserToGroupCommand({ UserPoolId: stack.seed.userPoolId, Username: username, GroupName: group }),
      );
    }
  };

  const verifyAgainstJwks = async (token: string) => {
    const jwks = createRemoteJWKSet(new URL(stack.jwksUri));
    return jwtVerify(token, jwks, { issuer: stack.issuer, algorithms: ['RS256'] });
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'cognito-gate-stack-'));
    stack = await startIdentityStack({
      stateDir,
      cognitoPort: 0,
      hostedUiPort: 0,
      callbackUrls: [CALLBACK_URL],
      logoutUrls: [LOGOUT_URL],
    });
    admin = createLocalCognitoClient(stack.cognitoEndpoint);
  });

  afterAll(async () => {
    admin?.destroy();
    await stack?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('publishes the Cognito endpoint paths in the discovery document under the pool URL', async () => {
    // Act
    const response = await fetch(`${stack.issuer}/.well-known/openid-configuration`);
    const discovery = (await response.json()) as Record<string, unknown>;

    // Assess
    expect(response.status).toBe(200);
    expect(discovery).toMatchObject({
      issuer: stack.issuer,
      authorization_endpoint: `${stack.hostedUiBaseUrl}/oauth2/authorize`,
      token_endpoint: `${stack.hostedUiBaseUrl}/oauth2/token`,
      userinfo_endpoint: `${stack.hostedUiBaseUrl}/oauth2/userInfo`,
      revocation_endpoint: `${stack.hostedUiBaseUrl}/oauth2/revoke`,
      end_session_endpoint: `${stack.hostedUiBaseUrl}/logout`,
      jwks_uri: `${stack.issuer}/.well-known/jwks.json`,
      code_challenge_methods_supported: ['S256'],
    });
    expect(stack.jwksUri).toBe(`${stack.issuer}/.well-known/jwks.json`);
  });

  it('issues an M2M client_credentials access token that verifies against the JWKS and carries Cognito claims', async () => {
    // Act
    const token = await getM2mToken(stack, 'cognito-gate/read');
    const { payload, protectedHeader } = await verifyAgainstJwks(token);

    // Assess
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({
      iss: stack.issuer,
      token_use: 'access',
      client_id: stack.seed.m2mClient.clientId,
      sub: stack.seed.m2mClient.clientId,
      scope: 'cognito-gate/read',
    });
    expect(payload).not.toHaveProperty('username');
    expect(payload).not.toHaveProperty('cognito:groups');
  });

  it('accepts client_secret_post as well as client_secret_basic at the token endpoint', async () => {
    // Act
    const { status, body } = await postToken(
      stack,
      stack.seed.m2mClient,
      { grant_type: 'client_credentials', scope: 'cognito-gate/write cognito-gate/admin' },
      'post',
    );

    // Assess
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token ?? '').scope).toBe('cognito-gate/write cognito-gate/admin');
  });

  it('refuses client_credentials with a wrong client secret as invalid_client', async () => {
    // Prepare
    const wrongSecret = { ...stack.seed.m2mClient, clientSecret: `${stack.seed.m2mClient.clientSecret}x` };

    // Act
    const { status, body } = await postToken(stack, wrongSecret, {
      grant_type: 'client_credentials',
      scope: 'cognito-gate/read',
    });

    // Assess
    expect([400, 401]).toContain(status);
    expect(body.error).toBe('invalid_client');
    expect(body.access_token).toBeUndefined();
  });

  it('refuses a scope the app client may not use with invalid_scope', async () => {
    // Act
    const { status, body } = await postToken(stack, stack.seed.m2mClient, {
      grant_type: 'client_credentials',
      scope: 'cognito-gate/delete',
    });

    // Assess
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_scope');
  });

  it('signs alice in through the login form and issues tokens with her username, groups and the nonce sent', async () => {
    // Act
    const tokens = await loginWithPassword(stack, { username: 'alice', password: ALICE_PASSWORD, scope: USER_SCOPE });
    const access = await verifyAgainstJwks(tokens.accessToken);
    const id = await verifyAgainstJwks(tokens.idToken);

    // Assess
    expect(access.payload).toMatchObject({
      token_use: 'access',
      client_id: stack.seed.webClient.clientId,
      username: 'alice',
      'cognito:groups': ['admins', 'users'],
    });
    expect(String(access.payload.scope).split(' ').sort()).toEqual(USER_SCOPE.split(' ').sort());
    expect(id.payload).toMatchObject({
      token_use: 'id',
      aud: stack.seed.webClient.clientId,
      nonce: tokens.nonce,
      email: 'alice@example.com',
      email_verified: true,
      'cognito:username': 'alice',
      'cognito:groups': ['admins', 'users'],
    });
    expect(id.payload.auth_time).toEqual(expect.any(Number));
    expect(id.payload.sub).toBe(access.payload.sub);
    // Like Cognito, ID and access tokens are signed with different keys.
    expect(id.protectedHeader.kid).not.toBe(access.protectedHeader.kid);
  });

  it('refuses an authorize request without PKCE by redirecting with invalid_request', async () => {
    // Prepare
    const authorizeUrl = buildAuthorizeUrl(stack, { scope: USER_SCOPE, state: randomToken(), nonce: randomToken() });

    // Act
    const { callbackUrl } = await driveLogin({ authorizeUrl, username: 'alice', password: ALICE_PASSWORD });

    // Assess
    const callback = new URL(callbackUrl);
    expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK_URL);
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('accepts an authorization code once and answers invalid_grant to a second exchange', async () => {
    // Prepare
    const { codeVerifier, codeChallenge } = createPkce();
    const state = randomToken();
    const authorizeUrl = buildAuthorizeUrl(stack, { scope: USER_SCOPE, state, nonce: randomToken(), codeChallenge });
    const { callbackUrl } = await driveLogin({ authorizeUrl, username: 'alice', password: ALICE_PASSWORD });
    const callback = new URL(callbackUrl);
    const code = callback.searchParams.get('code') ?? '';
    expect(callback.searchParams.get('state')).toBe(state);

    // Act
    const first = await exchangeCode(stack, { code, codeVerifier });
    const second = await exchangeCode(stack, { code, codeVerifier });

    // Assess
    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
  });

  it('reads group membership at issue time, so a removal through the admin API shows in the next token', async () => {
    // Prepare
    await createUser('erin', ['admins', 'users']);
    const before = await loginWithPassword(stack, { username: 'erin', password: NEW_USER_PASSWORD });

    // Act
    await admin.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: stack.seed.userPoolId, Username: 'erin', GroupName: 'admins' }),
    );
    const after = await loginWithPassword(stack, { username: 'erin', password: NEW_USER_PASSWORD });

    // Assess
    expect(decodeJwt(before.accessToken)['cognito:groups']).toEqual(['admins', 'users']);
    expect(decodeJwt(after.accessToken)['cognito:groups']).toEqual(['users']);
    expect(decodeJwt(after.idToken)['cognito:groups']).toEqual(['users']);
  });

  it('lets a user created through the admin API sign in with the permanent password set there', async () => {
    // Prepare
    await createUser('frank');

    // Act
    const tokens = await loginWithPassword(stack, { username: 'frank', password: NEW_USER_PASSWORD });

    // Assess
    const access = decodeJwt(tokens.accessToken);
    expect(access.username).toBe('frank');
    // Without groups Cognito leaves the claim out rather than sending an empty list.
    expect(access).not.toHaveProperty('cognito:groups');
    expect(decodeJwt(tokens.idToken).email).toBe('frank@example.com');
  });

  it('shows the sign-in error and issues nothing for a wrong password', async () => {
    // Act
    const attempt = loginWithPassword(stack, { username: 'alice', password: `${ALICE_PASSWORD}-wrong` });

    // Assess
    await expect(attempt).rejects.toThrow(LoginRejectedError);
    await expect(attempt).rejects.toThrow('Incorrect username or password.');
  });

  it('refuses to sign in a user disabled in cognito-local', async () => {
    // Prepare
    await createUser('dave');
    await admin.send(new AdminDisableUserCommand({ UserPoolId: stack.seed.userPoolId, Username: 'dave' }));

    // Act
    const attempt = loginWithPassword(stack, { username: 'dave', password: NEW_USER_PASSWORD });

    // Assess
    await expect(attempt).rejects.toThrow('User is disabled.');
  });

  it('refreshes with a refresh token until it is revoked, then answers invalid_grant', async () => {
    // Prepare
    const tokens = await loginWithPassword(stack, { username: 'alice', password: ALICE_PASSWORD });
    const refreshed = await refreshTokens(stack, tokens.refreshToken);

    // Act
    const revokeStatus = await revokeToken(stack, tokens.refreshToken);
    const afterRevoke = await refreshTokens(stack, tokens.refreshToken);

    // Assess
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.access_token ?? '').username).toBe('alice');
    // Cognito hands out a refresh token only with the authorization code.
    expect(refreshed.body.refresh_token).toBeUndefined();
    expect(revokeStatus).toBe(200);
    expect(afterRevoke.status).toBe(400);
    expect(afterRevoke.body.error).toBe('invalid_grant');
  });

  it('answers /oauth2/userInfo for a user access token with the attributes of its scopes', async () => {
    // Prepare
    const tokens = await loginWithPassword(stack, { username: 'bob', password: 'Passw0rd!bob1' });

    // Act
    const response = await fetch(`${stack.hostedUiBaseUrl}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      sub: decodeJwt(tokens.accessToken).sub,
      email: 'bob@example.com',
      email_verified: 'true',
      username: 'bob',
    });
  });

  it("answers Cognito's /logout with 400 for an unlisted logout_uri and a 302 that ends the session for a listed one", async () => {
    // Prepare
    const jar = new CookieJar();
    await loginWithPassword(stack, { username: 'alice', password: ALICE_PASSWORD, cookieJar: jar });
    const logoutUrl = (logoutUri: string) =>
      `${stack.hostedUiBaseUrl}/logout?${new URLSearchParams({ client_id: stack.seed.webClient.clientId, logout_uri: logoutUri })}`;
    const authorizeAgain = () =>
      fetchWithCookies(
        jar,
        buildAuthorizeUrl(stack, {
          scope: USER_SCOPE,
          state: randomToken(),
          codeChallenge: createPkce().codeChallenge,
        }),
      );
    const whileSignedIn = await authorizeAgain();

    // Act
    const unlisted = await fetchWithCookies(jar, logoutUrl('http://localhost:3000/elsewhere'));
    const listed = await fetchWithCookies(jar, logoutUrl(LOGOUT_URL));
    const afterLogout = await authorizeAgain();

    // Assess
    expect(new URL(whileSignedIn.headers.get('location') ?? '', stack.hostedUiBaseUrl).href).toMatch(
      new RegExp(`^${CALLBACK_URL}\\?code=`),
    );
    expect(unlisted.status).toBe(400);
    expect(listed.status).toBe(302);
    expect(listed.headers.get('location')).toBe(LOGOUT_URL);
    expect(jar.names(stack.hostedUiBaseUrl)).not.toContain('_session');
    expect(afterLogout.headers.get('location')).toMatch(/^\/interaction\//);
  });

  it('keeps the pool and client ids and secrets when the seed runs again', async () => {
    // Act
    const again = await seedStack({
      cognitoEndpoint: stack.cognitoEndpoint,
      callbackUrls: [CALLBACK_URL],
      logoutUrls: [LOGOUT_URL],
    });

    // Assess
    expect(again.userPoolId).toBe(stack.seed.userPoolId);
    expect(again.webClient).toEqual(stack.seed.webClient);
    expect(again.m2mClient).toEqual(stack.seed.m2mClient);
    expect(again.users.map((user) => user.sub)).toEqual(stack.seed.users.map((user) => user.sub));
  });

  it('names the port when the Cognito stand-in or the hosted UI cannot bind it', async () => {
    // Prepare
    const hostedUiPort = Number(new URL(stack.hostedUiBaseUrl).port);
    const cognitoPort = Number(new URL(stack.cognitoEndpoint).port);

    // Act
    const cognitoAttempt = startCognitoStandIn({ stateDir: join(stateDir, 'second'), port: hostedUiPort });
    const hostedUiAttempt = startHostedUi({
      port: cognitoPort,
      userPoolId: stack.seed.userPoolId,
      cognitoEndpoint: stack.cognitoEndpoint,
      webClient: {
        clientId: stack.seed.webClient.clientId,
        clientSecret: stack.seed.webClient.clientSecret,
        redirectUris: [CALLBACK_URL],
        postLogoutRedirectUris: [LOGOUT_URL],
      },
      m2mClient: stack.seed.m2mClient,
    });

    // Assess
    await expect(cognitoAttempt).rejects.toThrow(PortInUseError);
    await expect(cognitoAttempt).rejects.toThrow(`port ${hostedUiPort}`);
    await expect(hostedUiAttempt).rejects.toThrow(PortInUseError);
    await expect(hostedUiAttempt).rejects.toThrow(`port ${cognitoPort}`);
  });

  it('signs ID tokens and access tokens with keys published in the JWKS', async () => {
    // Act
    const response = await fetch(stack.jwksUri);
    const { keys } = (await response.json()) as { keys: { kid: string; alg: string; d?: string }[] };
    const token = await getM2mToken(stack, 'cognito-gate/read');

    // Assess
    expect(keys.map((key) => key.alg)).toEqual(['RS256', 'RS256']);
    expect(keys.some((key) => key.d !== undefined)).toBe(false);
    expect(keys.map((key) => key.kid)).toContain(decodeProtectedHeader(token).kid);
  });
});
