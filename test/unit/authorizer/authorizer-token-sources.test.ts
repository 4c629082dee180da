import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Authorizer,
  createAuthorizer,
  type IamAuthorizerResponse,
  type SimpleAuthorizerResponse,
} from '../../../shared/authorizer/authorize.js';
import { loadAuthorizerConfig } from '../../../shared/authorizer/authorizer-config.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { createTokenVerifier } from '../../../shared/tokens/verifier.js';
import { loadEvent } from '../../support/fixtures.js';
import { iamAllows } from '../../support/iam-evaluator.js';
import { JwksServer } from '../../support/jwks-server.js';
import { accessClaims, generateTestKey, idClaims, jwksOf, signJwt, type TestKey } from '../../support/signing.js';

const CLIENT = 'client-a';
const RULES = {
  rules: [
    { route: '$connect', scopes: ['chat/connect'] },
    { route: 'ANY /', public: true },
    { route: 'GET /echo', scopes: ['chat/connect'] },
    { route: 'POST /echo', scopes: ['chat/connect'] },
    { route: 'GET /me', tokenUse: 'any' },
  ],
};
const CONNECT_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:ws12345/prod/$connect';

/** The captured $connect event, as API Gateway would send it for wss://ws12345...amazonaws.com/prod. */
function connectEvent(query: Record<string, string> | undefined, headers: Record<string, string> = {}) {
  const event = loadEvent('offline-websocket-connect-authorizer');
  event.methodArn = CONNECT_ARN;
  event.requestContext.apiId = 'ws12345';
  event.requestContext.stage = 'prod';
  event.requestContext.domainName = 'ws12345.execute-api.eu-west-1.amazonaws.com';
  const all = { ...event.headers, Host: 'ws12345.execute-api.eu-west-1.amazonaws.com', ...headers };
  event.headers = all;
  event.multiValueHeaders = Object.fromEntries(Object.entries(all).map(([name, value]) => [name, [value]]));
  if (query) {
    event.queryStringParameters = query;
    event.multiValueQueryStringParameters = Object.fromEntries(
      Object.entries(query).map(([name, value]) => [name, [value]]),
    );
  } else {
    delete event.queryStringParameters;
    delete event.multiValueQueryStringParameters;
  }
  return event;
}

function httpEvent(method: string, path: string, headers: Record<string, string>, query?: Record<string, string>) {
  const event = loadEvent('authorizer-http-v2.powertools-ts');
  event.routeArn = `arn:aws:execute-api:eu-west-1:123456789012:api123/$default/${method}${path}`;
  event.routeKey = `${method} ${path}`;
  event.rawPath = path;
  event.requestContext.http.method = method;
  event.requestContext.http.path = path;
  event.headers = headers;
  if (query) {
    event.rawQueryString = new URLSearchParams(query).toString();
    event.queryStringParameters = query;
  }
  return event;
}

describe('the authorizer with configured token sources and a WebSocket API', () => {
  const server = new JwksServer();
  const logs: string[] = [];
  let key: TestKey;
  let fixture: { issuer: string; clientId: string };
  const build = (env: Record<string, string>): Authorizer => {
    const config = loadAuthorizerConfig(
      {
        COGNITO_USER_POOL_ID: 'local_pool',
        COGNITO_ISSUER: server.issuer,
        COGNITO_CLIENT_IDS: CLIENT,
        COOKIE_SECURE: 'false',
        AUTH_RULES: JSON.stringify(RULES),
        ...env,
      },
      undefined,
    );
    return createAuthorizer(config, createTokenVerifier(config), createLogger('test', { write: (l) => logs.push(l) }));
  };
  let authorize: Authorizer;

  beforeAll(async () => {
    await server.start();
    key = generateTestKey();
    server.serve(jwksOf(key));
    fixture = { issuer: server.issuer, clientId: CLIENT };
    authorize = build({ TOKEN_SOURCES: 'header:x-gate-token,bearer,cookie,query:access_token' });
  });
  afterAll(() => server.stop());

  const token = (overrides: Record<string, unknown> = {}) =>
    signJwt(key, accessClaims(fixture, { scope: 'chat/connect', ...overrides }));

  describe('WebSocket $connect', () => {
    it('allows a token in ?access_token= with a policy that names $connect only, and the identity as context', async () => {
      // Act
      const response = (await authorize(connectEvent({ access_token: token() }))) as IamAuthorizerResponse;
      // Assess
      expect(response.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [CONNECT_ARN] },
      ]);
      expect(response.principalId).toBe('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
      expect(response.context).toMatchObject({ username: 'alice', clientId: CLIENT, scopes: 'chat/connect' });
    });

    it('refuses a connection without a token with Unauthorized (401), though "ANY /" is public', async () => {
      await expect(authorize(connectEvent(undefined))).rejects.toThrow('Unauthorized');
      expect(logs.at(-1)).toContain('"reason":"token_missing"');
    });

    it('denies a token without the scope that the $connect rule requires', async () => {
      const response = (await authorize(
        connectEvent({ access_token: token({ scope: 'other' }) }),
      )) as IamAuthorizerResponse;
      expect(iamAllows(response.policyDocument, CONNECT_ARN)).toBe(false);
      expect(logs.at(-1)).toContain('"reason":"insufficient_scope"');
    });

    it('refuses a session cookie on $connect from another site (cross-site WebSocket hijacking)', async () => {
      // Prepare: the victim's browser, on https://evil.example.com, runs new WebSocket('wss://ws12345.../prod');
      // the browser adds the API's cookie and its own Origin to the handshake:
      const event = connectEvent(undefined, {
        Origin: 'https://evil.example.com',
        Cookie: `cg_session=${token()}`,
        'Sec-Fetch-Site': 'cross-site',
      });
      // Act
      const response = (await authorize(event)) as IamAuthorizerResponse;
      // Assess
      expect(iamAllows(response.policyDocument, CONNECT_ARN)).toBe(false);
      expect(logs.at(-1)).toContain('"reason":"csrf_origin_refused"');
    });

    it('accepts a session cookie on $connect from a page of the API itself', async () => {
      const event = connectEvent(undefined, {
        Origin: 'https://ws12345.execute-api.eu-west-1.amazonaws.com',
        Cookie: `cg_session=${token()}`,
      });
      const response = (await authorize(event)) as IamAuthorizerResponse;
      expect(iamAllows(response.policyDocument, CONNECT_ARN)).toBe(true);
    });

    it('needs no proof of origin for a custom-header token: no browser sends one on its own', async () => {
      const event = connectEvent(undefined, { Origin: 'https://evil.example.com', 'X-Gate-Token': token() });
      const response = (await authorize(event)) as IamAuthorizerResponse;
      expect(iamAllows(response.policyDocument, CONNECT_ARN)).toBe(true);
    });
  });

  describe('HTTP routes', () => {
    it('refuses a query token on an HTTP route: the request in full, answered 401', async () => {
      // GET /echo?access_token=<jwt> HTTP/1.1
      // Host: api123.execute-api.eu-west-1.amazonaws.com
      const event = httpEvent(
        'GET',
        '/echo',
        { host: 'api123.execute-api.eu-west-1.amazonaws.com' },
        { access_token: token() },
      );
      await expect(authorize(event)).rejects.toThrow('Unauthorized');
      expect(logs.at(-1)).toContain('"reason":"token_missing"');
    });

    it('accepts a query token on an HTTP route when TOKEN_QUERY_ON_HTTP=true', async () => {
      const lenient = build({ TOKEN_SOURCES: 'bearer,query:access_token', TOKEN_QUERY_ON_HTTP: 'true' });
      const event = httpEvent(
        'GET',
        '/echo',
        { host: 'api123.execute-api.eu-west-1.amazonaws.com' },
        { access_token: token() },
      );
      expect(((await lenient(event)) as SimpleAuthorizerResponse).isAuthorized).toBe(true);
    });

    it('refuses a malformed custom header even when the bearer token beside it is in the decision cache', async () => {
      // Prepare: the bearer token's grants are cached by a first request...
      const bearer = token();
      const cached = await authorize(httpEvent('GET', '/echo', { authorization: `Bearer ${bearer}` }));
      expect((cached as SimpleAuthorizerResponse).isAuthorized).toBe(true);
      // ...then a request whose first source, X-Gate-Token, is malformed:
      //   GET /echo HTTP/1.1
      //   X-Gate-Token: not-a-jwt
      //   Authorization: Bearer <the cached token>
      const event = httpEvent('GET', '/echo', { 'x-gate-token': 'not-a-jwt', authorization: `Bearer ${bearer}` });
      // Act / Assess
      await expect(authorize(event)).rejects.toThrow('Unauthorized');
      expect(logs.at(-1)).toContain('"reason":"token_malformed"');
    });

    it('needs no proof of origin for a POST with a custom-header token', async () => {
      const event = httpEvent('POST', '/echo', { origin: 'https://evil.example.com', 'x-gate-token': token() });
      expect(((await authorize(event)) as SimpleAuthorizerResponse).isAuthorized).toBe(true);
    });
  });

  describe('COGNITO_CLIENT_IDS=*', () => {
    let anyClient: Authorizer;
    beforeAll(() => {
      anyClient = build({ COGNITO_CLIENT_IDS: '*' });
    });
    // GET /me takes access and ID tokens alike: what refuses below is the verifier, not the rules.
    const get = (jwt: string) => httpEvent('GET', '/me', { authorization: `Bearer ${jwt}` });
    const allowed = async (jwt: string) => {
      try {
        return ((await anyClient(get(jwt))) as SimpleAuthorizerResponse).isAuthorized;
      } catch {
        return false;
      }
    };

    it('accepts an access token of any app client of the pool', async () => {
      const jwt = signJwt(
        key,
        accessClaims({ issuer: server.issuer, clientId: 'some-other-client' }, { scope: 'chat/connect' }),
      );
      expect(await allowed(jwt)).toBe(true);
    });

    it('accepts an ID token of any app client, named by its one audience or by azp among several', async () => {
      const one = signJwt(key, idClaims({ issuer: server.issuer, clientId: 'some-other-client' }));
      const several = signJwt(key, idClaims({ issuer: server.issuer, clientId: 'x' }, { aud: ['x', 'y'], azp: 'y' }));
      expect(await allowed(one)).toBe(true);
      expect(await allowed(several)).toBe(true);
    });

    it('still refuses a token of another issuer', async () => {
      const jwt = signJwt(
        key,
        accessClaims({ issuer: 'http://127.0.0.1:9/other_pool', clientId: CLIENT }, { scope: 'chat/connect' }),
      );
      expect(await allowed(jwt)).toBe(false);
    });

    it.each([
      ['an access token without client_id', accessClaims({ issuer: '', clientId: '' }, { client_id: undefined })],
      ['an ID token with two audiences and no azp', idClaims({ issuer: '', clientId: '' }, { aud: ['a', 'b'] })],
      [
        'an ID token whose azp is not an audience',
        idClaims({ issuer: '', clientId: '' }, { aud: ['a', 'b'], azp: 'c' }),
      ],
    ])('still refuses %s: the token must name its client', async (_label, claims) => {
      const jwt = signJwt(key, { ...claims, iss: server.issuer, scope: 'chat/connect' });
      expect(await allowed(jwt)).toBe(false);
      expect(logs.at(-1)).toContain('"reason":"token_invalid"');
    });
  });
});

describe('the authorizer handler at cold start', () => {
  it('warns that COGNITO_CLIENT_IDS=* accepts any app client, at every cold start', async () => {
    // Prepare: a fresh module, as a new container would load it
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    vi.stubEnv('COGNITO_USER_POOL_ID', 'eu-west-1_AbC123');
    vi.stubEnv('COGNITO_CLIENT_IDS', '*');
    try {
      for (let start = 0; start < 2; start++) {
        vi.resetModules();
        // Act
        await import('../../../functions/authorizer/handler.js');
      }
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    // Assess
    const warnings = lines.filter((line) => line.includes('COGNITO_CLIENT_IDS=*'));
    expect(warnings).toHaveLength(2);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 'warn', service: 'authorizer' });
  });
});
