import { describe, expect, it, vi } from 'vitest';
import { UpstreamError } from '../../../shared/errors/gate-error.js';
import { createEndpointSource, resolveEndpoints } from '../../../shared/oidc/discovery.js';
import type { HttpSend } from '../../../shared/oidc/oidc-http.js';
import { loadEvent } from '../../support/fixtures.js';

/** A real Cognito discovery document (a pool with a custom hosted-UI domain). */
const cognitoDocument = () => loadEvent('cognito-openid-configuration.custom-domain');
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X...T';
const POLICY = { issuer: ISSUER, allowLoopbackHttp: false };

describe('endpoints from the discovery document', () => {
  it("takes authorize and token from Cognito's document and puts revoke and logout on the hosted UI domain", () => {
    expect(resolveEndpoints(cognitoDocument(), {}, POLICY)).toEqual({
      authorization: 'https://auth.tableau.rocks/oauth2/authorize',
      token: 'https://auth.tableau.rocks/oauth2/token',
      revocation: 'https://auth.tableau.rocks/oauth2/revoke',
      logout: 'https://auth.tableau.rocks/logout',
    });
  });

  it('uses a revocation_endpoint when the document has one', () => {
    const document = { ...cognitoDocument(), revocation_endpoint: 'https://auth.tableau.rocks/custom/revoke' };
    expect(resolveEndpoints(document, {}, POLICY).revocation).toBe('https://auth.tableau.rocks/custom/revoke');
  });

  it('lets each endpoint be overridden by env', () => {
    const overrides = { token: 'https://proxy.example.com/token', logout: 'https://auth.example.com/logout' };
    expect(resolveEndpoints(cognitoDocument(), overrides, POLICY)).toMatchObject(overrides);
  });

  it('refuses a document for another issuer', () => {
    expect(() =>
      resolveEndpoints(
        { ...cognitoDocument(), issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' },
        {},
        POLICY,
      ),
    ).toThrow('another issuer');
  });

  it('refuses plain-http endpoints unless the issuer is on loopback, and then only loopback ones', () => {
    const local = {
      issuer: 'http://127.0.0.1:9230/local',
      authorization_endpoint: 'http://127.0.0.1:9230/oauth2/authorize',
      token_endpoint: 'http://127.0.0.1:9230/oauth2/token',
    };
    expect(() =>
      resolveEndpoints({ ...cognitoDocument(), token_endpoint: 'http://auth.tableau.rocks/oauth2/token' }, {}, POLICY),
    ).toThrow(UpstreamError);
    expect(resolveEndpoints(local, {}, { issuer: local.issuer, allowLoopbackHttp: true }).token).toBe(
      'http://127.0.0.1:9230/oauth2/token',
    );
    expect(() =>
      resolveEndpoints(
        { ...local, token_endpoint: 'http://evil.example.com/token' },
        {},
        { issuer: local.issuer, allowLoopbackHttp: true },
      ),
    ).toThrow('not https');
  });

  it('refuses a document without the endpoints it needs', () => {
    const { token_endpoint: _dropped, ...document } = cognitoDocument();
    expect(() => resolveEndpoints(document, {}, POLICY)).toThrow('no token_endpoint');
  });
});

describe('the endpoint source', () => {
  const answer = (status: number, body: unknown): HttpSend => vi.fn(async () => ({ status, body }));

  it('fetches the discovery document once per container, however many requests ask at once', async () => {
    // Prepare
    const send = answer(200, cognitoDocument());
    const source = createEndpointSource({
      discoveryUrl: `${ISSUER}/.well-known/openid-configuration`,
      overrides: {},
      policy: POLICY,
      timeoutMs: 1000,
      send,
    });
    // Act
    await Promise.all([source.get(), source.get()]);
    await source.get();
    // Assess
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith(
      `${ISSUER}/.well-known/openid-configuration`,
      expect.objectContaining({ method: 'GET', timeoutMs: 1000 }),
    );
  });

  it('does not keep a failure: the next request fetches again', async () => {
    // Prepare
    const send = vi
      .fn<HttpSend>()
      .mockResolvedValueOnce({ status: 503, body: undefined })
      .mockResolvedValueOnce({ status: 200, body: cognitoDocument() });
    const source = createEndpointSource({
      discoveryUrl: `${ISSUER}/.well-known/openid-configuration`,
      overrides: {},
      policy: POLICY,
      timeoutMs: 1000,
      send,
    });
    // Act / Assess
    await expect(source.get()).rejects.toThrow('answered 503');
    await expect(source.get()).resolves.toMatchObject({ token: 'https://auth.tableau.rocks/oauth2/token' });
  });

  it('fetches nothing when the authorize and token endpoints are both set by env', async () => {
    // Prepare
    const send = answer(500, undefined);
    const overrides = {
      authorization: 'https://auth.example.com/oauth2/authorize',
      token: 'https://auth.example.com/oauth2/token',
    };
    const source = createEndpointSource({
      discoveryUrl: `${ISSUER}/.well-known/openid-configuration`,
      overrides,
      policy: POLICY,
      timeoutMs: 1000,
      send,
    });
    // Act
    const endpoints = await source.get();
    // Assess
    expect(send).not.toHaveBeenCalled();
    expect(endpoints).toEqual({
      ...overrides,
      revocation: 'https://auth.example.com/oauth2/revoke',
      logout: 'https://auth.example.com/logout',
    });
  });
});
