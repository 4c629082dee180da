import { describe, expect, it, vi } from 'vitest';
import { UpstreamError } from '../../../shared/errors/gate-error.js';
import { TokenEndpointRejection } from '../../../shared/errors/login-errors.js';
import type { HttpSend } from '../../../shared/oidc/oidc-http.js';
import {
  basicAuthorization,
  type ClientCredentials,
  createTokenEndpointClient,
} from '../../../shared/oidc/token-endpoint.js';
import { loadEvent } from '../../support/fixtures.js';

/** The Cognito Developer Guide's token endpoint samples, requests, successes and errors. */
const docs = loadEvent('cognito-token-endpoint.aws-docs');
const ENDPOINT = 'https://mydomain.auth.us-east-1.amazoncognito.com/oauth2/token';
const BASIC: ClientCredentials = {
  clientId: docs.request_rules.basic_auth_example.client_id,
  clientSecret: docs.request_rules.basic_auth_example.client_secret,
  method: 'client_secret_basic',
};

function replying(status: number, body: unknown) {
  const send = vi.fn<HttpSend>(async () => ({ status, body }));
  return { send, client: createTokenEndpointClient({ timeoutMs: 2000, send }) };
}

const sentForm = (send: ReturnType<typeof replying>['send']) =>
  Object.fromEntries(new URLSearchParams(send.mock.calls[0]![1].body));
const sentHeaders = (send: ReturnType<typeof replying>['send']) => send.mock.calls[0]![1].headers;

describe('the token endpoint client', () => {
  it("builds the Basic header of Cognito's documented example", () => {
    expect(basicAuthorization(BASIC.clientId, BASIC.clientSecret)).toBe(
      docs.request_rules.basic_auth_example.header.replace('Authorization: ', ''),
    );
  });

  it('form-urlencodes id and secret before base64, as RFC 6749 §2.3.1 says', () => {
    expect(Buffer.from(basicAuthorization('a:b', 'c d+').slice(6), 'base64').toString()).toBe('a%3Ab:c+d%2B');
  });

  it('exchanges a code with the PKCE verifier and redirect URI, authenticating with client_secret_basic', async () => {
    // Prepare
    const { send, client } = replying(
      200,
      docs.success_examples.find((example: { name: string }) => example.name === 'authorization_code_with_pkce').body,
    );
    // Act
    const tokens = await client.exchangeCode({
      tokenEndpoint: ENDPOINT,
      client: BASIC,
      code: 'AUTHORIZATION_CODE',
      verifier: 'CODE_VERIFIER',
      redirectUri: 'https://app.example.com/auth/callback',
    });
    // Assess
    expect(tokens).toEqual({
      accessToken: 'eyJra1example',
      idToken: 'eyJra2example',
      refreshToken: 'eyJj3example',
      expiresIn: 3600,
    });
    expect(send.mock.calls[0]![0]).toBe(ENDPOINT);
    expect(sentHeaders(send)).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
      authorization: expect.stringMatching(/^Basic /),
    });
    expect(sentForm(send)).toEqual({
      grant_type: 'authorization_code',
      client_id: BASIC.clientId,
      code: 'AUTHORIZATION_CODE',
      code_verifier: 'CODE_VERIFIER',
      redirect_uri: 'https://app.example.com/auth/callback',
    });
  });

  it('puts the secret in the body, and no Authorization header, with client_secret_post', async () => {
    // Prepare
    const { send, client } = replying(
      200,
      docs.success_examples.find((example: { name: string }) => example.name === 'refresh_token').body,
    );
    // Act
    const tokens = await client.refresh({
      tokenEndpoint: ENDPOINT,
      client: { ...BASIC, method: 'client_secret_post' },
      refreshToken: 'eyJj3example',
    });
    // Assess
    expect(tokens.refreshToken).toBeUndefined();
    expect(sentHeaders(send).authorization).toBeUndefined();
    expect(sentForm(send)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'eyJj3example',
      client_id: BASIC.clientId,
      client_secret: BASIC.clientSecret,
    });
  });

  const documentedErrors: Array<[string, { error: string }]> = docs.error_response_as_documented.bodies.map(
    (body: { error: string }) => [body.error, body],
  );
  it.each(documentedErrors)('turns a documented %s answer into a rejection carrying that code', async (code, body) => {
    const { client } = replying(400, body);
    await expect(
      client.exchangeCode({
        tokenEndpoint: ENDPOINT,
        client: BASIC,
        code: 'c',
        verifier: 'v',
        redirectUri: 'https://a/cb',
      }),
    ).rejects.toMatchObject({
      oauthError: code,
      reason: 'token_endpoint_refused',
    });
  });

  it('accepts invalid_client answered with 401, which RFC 6749 allows', async () => {
    const { client } = replying(401, { error: 'invalid_client' });
    await expect(client.refresh({ tokenEndpoint: ENDPOINT, client: BASIC, refreshToken: 'r' })).rejects.toBeInstanceOf(
      TokenEndpointRejection,
    );
  });

  it('keeps only a well-formed error code from a refusal', async () => {
    const { client } = replying(400, { error: '<script>alert(1)</script>\u0000' });
    await expect(client.refresh({ tokenEndpoint: ENDPOINT, client: BASIC, refreshToken: 'r' })).rejects.toMatchObject({
      oauthError: 'unknown_error',
    });
  });

  it.each([
    ['a 5xx', 503, { error: 'server_error' }],
    ['a redirect', 302, undefined],
    ['a 200 without access_token', 200, { id_token: 'x' }],
    ['a non-Bearer token type', 200, { access_token: 'a', token_type: 'mac' }],
  ])("treats %s as the IdP being unavailable, not as the user's fault", async (_name, status, body) => {
    const { client } = replying(status, body);
    await expect(
      client.exchangeCode({
        tokenEndpoint: ENDPOINT,
        client: BASIC,
        code: 'c',
        verifier: 'v',
        redirectUri: 'https://a/cb',
      }),
    ).rejects.toBeInstanceOf(UpstreamError);
  });

  it('revokes a refresh token with the token and the client id in the body', async () => {
    // Prepare
    const { send, client } = replying(200, undefined);
    // Act
    await client.revoke({
      revocationEndpoint: 'https://mydomain.auth.us-east-1.amazoncognito.com/oauth2/revoke',
      client: BASIC,
      token: 'eyJj3example',
    });
    // Assess
    expect(sentForm(send)).toEqual({ token: 'eyJj3example', client_id: BASIC.clientId });
    expect(sentHeaders(send).authorization).toMatch(/^Basic /);
  });

  it("asks for the client_credentials grant with the scope, and reads Cognito's documented answer", async () => {
    // Prepare
    const { send, client } = replying(
      200,
      docs.success_examples.find((example: { name: string }) => example.name === 'client_credentials').body,
    );
    // Act
    const tokens = await client.clientCredentials({
      tokenEndpoint: ENDPOINT,
      client: BASIC,
      scope: 'orders/read orders/write',
    });
    // Assess
    expect(tokens).toEqual({ accessToken: 'eyJra1example', expiresIn: 3600 });
    expect(sentHeaders(send).authorization).toBe(basicAuthorization(BASIC.clientId, BASIC.clientSecret));
    expect(sentForm(send)).toEqual({
      grant_type: 'client_credentials',
      scope: 'orders/read orders/write',
      client_id: BASIC.clientId,
    });
  });

  it('leaves scope out of the client_credentials request when none is asked for, and keeps a granted scope', async () => {
    const { send, client } = replying(200, { access_token: 'a', token_type: 'Bearer', expires_in: 60, scope: 'x/y' });
    const tokens = await client.clientCredentials({ tokenEndpoint: ENDPOINT, client: BASIC });
    expect(sentForm(send)).not.toHaveProperty('scope');
    expect(tokens.scope).toBe('x/y');
  });

  it('keeps the Retry-After header of a throttling answer on the rejection', async () => {
    const send = vi.fn<HttpSend>(async () => ({ status: 429, body: { error: 'too_many_requests' }, retryAfter: '7' }));
    const client = createTokenEndpointClient({ timeoutMs: 2000, send });
    await expect(client.clientCredentials({ tokenEndpoint: ENDPOINT, client: BASIC })).rejects.toMatchObject({
      httpStatus: 429,
      oauthError: 'too_many_requests',
      retryAfter: '7',
    });
  });
});
