import { describe, expect, inject, it } from 'vitest';

/**
 * POST /oauth2/token through serverless-offline, as `npm run dev` runs it: the token function with dynalite
 * and the hosted-UI stand-in behind it. The stand-in signs every token it issues with a new `jti`, so two
 * identical access tokens mean one call to it.
 */
const stack = inject('stack');
const { clientId, clientSecret } = stack.m2mClient;
const tokenUrl = `${stack.apiBaseUrl}/oauth2/token`;

/** What `curl -u id:secret -d grant_type=client_credentials -d scope=...` sends. */
const requestToken = (scope: string, secret = clientSecret) =>
  fetch(tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
  });
const json = async (response: Response) => (await response.json()) as Record<string, unknown>;
const jti = (token: unknown) =>
  (JSON.parse(Buffer.from(String(token).split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;

describe('POST /oauth2/token under serverless-offline', () => {
  it('answers two requests with the same client and scope with one token of the stand-in', async () => {
    // Act
    const first = await requestToken('cognito-gate/read');
    const second = await requestToken('cognito-gate/read');
    // Assess
    expect([first.status, second.status]).toEqual([200, 200]);
    const [a, b] = [await json(first), await json(second)];
    expect(a).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
    expect(b.access_token).toBe(a.access_token);
    expect(jti(b.access_token)).toBe(jti(a.access_token));
    expect(second.headers.get('cache-control')).toBe('no-store');
  });

  it('answers a wrong secret with 401 invalid_client right after a hit', async () => {
    await requestToken('cognito-gate/read');
    const wrong = await requestToken('cognito-gate/read', `${clientSecret}x`);
    expect(wrong.status).toBe(401);
    expect(await json(wrong)).toEqual({ error: 'invalid_client' });
  });

  it('gives a different scope a separate token', async () => {
    const read = await json(await requestToken('cognito-gate/read'));
    const write = await json(await requestToken('cognito-gate/write'));
    expect(write.access_token).not.toBe(read.access_token);
  });

  it('gives a token that the API behind the authorizer accepts', async () => {
    const { access_token } = await json(await requestToken('cognito-gate/read'));
    const echo = await fetch(`${stack.apiBaseUrl}/echo`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(echo.status).toBe(200);
    expect(((await echo.json()) as { identity: { clientId: string } }).identity.clientId).toBe(clientId);
  });

  it('refuses the authorization_code grant with 400 unsupported_grant_type', async () => {
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        client_secret: clientSecret,
        code: 'AUTHORIZATION_CODE',
      }).toString(),
    });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: 'unsupported_grant_type' });
  });
});
