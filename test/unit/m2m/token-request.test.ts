import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClientAuthenticationError,
  TokenRequestError,
  TokenRequestTooLargeError,
} from '../../../shared/m2m/token-errors.js';
import {
  type ClientCredentialsRequest,
  MAX_BODY_BYTES,
  normalizeScopes,
  parseTokenRequest,
  readTokenRequest,
} from '../../../shared/m2m/token-request.js';
import { tokenErrorResponse } from '../../../shared/m2m/token-response.js';
import { basicAuthorization } from '../../../shared/oidc/token-endpoint.js';
import { loadEvent } from '../../support/fixtures.js';
import {
  basicTokenEvent,
  CLIENT_ID,
  CLIENT_SECRET,
  type TokenEventOptions,
  tokenEvent,
} from '../../support/token-events.js';

const docs = loadEvent('cognito-token-endpoint.aws-docs');
const parse = (options: TokenEventOptions) => parseTokenRequest(readTokenRequest(tokenEvent(options)));
const GRANT: [string, string] = ['grant_type', 'client_credentials'];

/** The error a request fails with, and the response the endpoint would send for it. */
function refusal(options: TokenEventOptions) {
  try {
    parse(options);
  } catch (error) {
    const response = tokenErrorResponse(error) as { statusCode: number; body: string; headers: Record<string, string> };
    return { error, status: response.statusCode, body: JSON.parse(response.body), headers: response.headers };
  }
  throw new Error('the request was accepted');
}

describe('a client-credentials token request', () => {
  it("reads client_secret_basic, with Cognito's documented example header", () => {
    // Prepare
    const { client_id, client_secret, header } = docs.request_rules.basic_auth_example;
    // Act
    const request = parse({
      headers: { Authorization: header.replace('Authorization: ', '') },
      form: [GRANT, ['scope', 'orders/write orders/read']],
    });
    // Assess
    expect(request).toEqual<ClientCredentialsRequest>({
      clientId: client_id,
      clientSecret: client_secret,
      authMethod: 'client_secret_basic',
      scopes: ['orders/read', 'orders/write'],
    });
  });

  it('reads client_secret_post', () => {
    const request = parse({ form: [GRANT, ['client_id', CLIENT_ID], ['client_secret', CLIENT_SECRET]] });
    expect(request).toEqual({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      authMethod: 'client_secret_post',
      scopes: [],
    });
  });

  it('reads the request serverless-offline delivered, as captured', () => {
    const request = parseTokenRequest(readTokenRequest(loadEvent('offline-httpapi-v2-token-request')));
    expect(request).toEqual({
      clientId: docs.request_rules.basic_auth_example.client_id,
      clientSecret: docs.request_rules.basic_auth_example.client_secret,
      authMethod: 'client_secret_basic',
      scopes: ['cognito-gate/read'],
    });
  });

  it("reads a base64-encoded body in API Gateway's payload 2.0 shape, as AWS may deliver it", () => {
    const request = parse({
      shape: 'aws',
      base64: true,
      form: [GRANT, ['client_id', CLIENT_ID], ['client_secret', CLIENT_SECRET]],
    });
    expect(request.clientId).toBe(CLIENT_ID);
  });

  it('accepts client_id in the body beside Basic when it names the same client, as Cognito does', () => {
    const request = parseTokenRequest(readTokenRequest(basicTokenEvent()));
    expect(request.authMethod).toBe('client_secret_basic');
    expect(
      parse({
        headers: { authorization: basicAuthorization(CLIENT_ID, CLIENT_SECRET) },
        form: [GRANT, ['client_id', CLIENT_ID]],
      }).clientId,
    ).toBe(CLIENT_ID);
  });

  it('decodes form-encoded Basic credentials (RFC 6749 §2.3.1), whatever characters they hold', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\u0000')),
        fc.string({ minLength: 1, maxLength: 60 }),
        (clientId, clientSecret) => {
          const request = parse({
            headers: { authorization: basicAuthorization(clientId, clientSecret) },
            form: [GRANT],
          });
          expect([request.clientId, request.clientSecret]).toEqual([clientId, clientSecret]);
        },
      ),
    );
  });

  it.each(['authorization_code', 'refresh_token', 'password', 'urn:ietf:params:oauth:grant-type:jwt-bearer'])(
    'answers 400 {"error":"unsupported_grant_type"} to grant_type=%s',
    (grantType) => {
      const { status, body } = refusal({
        headers: { authorization: basicAuthorization(CLIENT_ID, CLIENT_SECRET) },
        form: [
          ['grant_type', grantType],
          ['code', 'AUTHORIZATION_CODE'],
        ],
      });
      expect(status).toBe(400);
      expect(body).toEqual({ error: 'unsupported_grant_type' });
    },
  );

  it.each<[string, TokenEventOptions]>([
    ['no grant_type', { form: [['client_id', CLIENT_ID]] }],
    ['a repeated grant_type', { form: [GRANT, GRANT, ['client_id', CLIENT_ID], ['client_secret', CLIENT_SECRET]] }],
    [
      'a repeated scope',
      {
        form: [GRANT, ['client_id', CLIENT_ID], ['client_secret', CLIENT_SECRET], ['scope', 'a/b'], ['scope', 'c/d']],
      },
    ],
    ['a JSON body', { headers: { 'content-type': 'application/json' }, form: [GRANT] }],
    ['no content type', { headers: { 'content-type': '' }, form: [GRANT] }],
    ['a GET', { method: 'GET', form: [GRANT] }],
    [
      'both client_secret_basic and client_secret_post',
      {
        headers: { authorization: basicAuthorization(CLIENT_ID, CLIENT_SECRET) },
        form: [GRANT, ['client_id', CLIENT_ID], ['client_secret', CLIENT_SECRET]],
      },
    ],
    [
      'a body client_id that differs from the Basic one',
      {
        headers: { authorization: basicAuthorization(CLIENT_ID, CLIENT_SECRET) },
        form: [GRANT, ['client_id', 'another-client']],
      },
    ],
    ['Basic credentials without a colon', { headers: { authorization: 'Basic bm9jb2xvbg==' }, form: [GRANT] }],
    ['Basic credentials that are not base64', { headers: { authorization: 'Basic ***' }, form: [GRANT] }],
    [
      'a client_secret in the query string',
      {
        rawQueryString: `client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`,
        form: [GRANT, ['client_id', CLIENT_ID], ['client_secret', CLIENT_SECRET]],
      },
    ],
  ])('answers 400 invalid_request to %s', (_case, options) => {
    const { error, status, body } = refusal(options);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'invalid_request' });
  });

  it.each<[string, TokenEventOptions]>([
    ['no client authentication at all', { form: [GRANT] }],
    ['a client_id without a secret', { form: [GRANT, ['client_id', CLIENT_ID]] }],
    ['an empty secret', { form: [GRANT, ['client_id', CLIENT_ID], ['client_secret', '']] }],
    ['a Bearer token instead of client credentials', { headers: { authorization: 'Bearer eyJ.x.y' }, form: [GRANT] }],
  ])('answers 401 invalid_client, with a Basic challenge, to %s', (_case, options) => {
    const { error, status, body, headers } = refusal(options);
    expect(error).toBeInstanceOf(ClientAuthenticationError);
    expect(status).toBe(401);
    expect(body).toEqual({ error: 'invalid_client' });
    expect(headers['www-authenticate']).toMatch(/^Basic /);
  });

  it('answers 413 to a body larger than any token request', () => {
    const { error, status, body } = refusal({ form: [GRANT, ['padding', 'x'.repeat(MAX_BODY_BYTES)]] });
    expect(error).toBeInstanceOf(TokenRequestTooLargeError);
    expect(status).toBe(413);
    expect(body).toEqual({ error: 'invalid_request' });
  });

  it('ignores parameters it does not know, as RFC 6749 §3.2 requires', () => {
    const request = parse({
      form: [GRANT, ['client_id', CLIENT_ID], ['client_secret', CLIENT_SECRET], ['audience', 'x']],
    });
    expect(request.scopes).toEqual([]);
  });
});

describe('scope normalization', () => {
  it('treats the scope as a set: order and repeats do not matter', () => {
    expect(normalizeScopes('b/write a/read b/write')).toEqual(['a/read', 'b/write']);
    expect(normalizeScopes('a/read  b/write')).toEqual(normalizeScopes('b/write a/read'));
  });

  it('gives the empty set for no scope, which means the client’s default scopes', () => {
    expect(normalizeScopes(undefined)).toEqual([]);
    expect(normalizeScopes('')).toEqual([]);
  });

  it.each([
    ['a quote', 'a"b'],
    ['a backslash', 'a\\b'],
    ['a tab', 'a\tb'],
    ['a non-ASCII letter', 'café/read'],
  ])('answers 400 invalid_scope to a scope with %s', (_case, scope) => {
    const { status, body } = refusal({
      form: [GRANT, ['client_id', CLIENT_ID], ['client_secret', CLIENT_SECRET], ['scope', scope]],
    });
    expect(status).toBe(400);
    expect(body).toEqual({ error: 'invalid_scope' });
  });
});
