import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Authorizer, createAuthorizer, type IamAuthorizerResponse } from '../../../shared/authorizer/authorize.js';
import { loadAuthorizerConfig } from '../../../shared/authorizer/authorizer-config.js';
import { UnauthorizedResponse } from '../../../shared/errors/gate-error.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { ANONYMOUS_CONTEXT } from '../../../shared/policy/authorizer-context.js';
import { createTokenVerifier, type TokenVerifier } from '../../../shared/tokens/verifier.js';
import { loadEvent } from '../../support/fixtures.js';
import { iamAllows } from '../../support/iam-evaluator.js';
import { JwksServer } from '../../support/jwks-server.js';
import {
  accessClaims,
  generateTestKey,
  idClaims,
  jwksOf,
  nowSeconds,
  signJwt,
  signJwtText,
  type TestKey,
} from '../../support/signing.js';

const CLIENT = 'client-a';
const RULES = {
  rules: [
    { route: 'GET /health', public: true },
    { route: 'GET /echo', scopes: ['cognito-gate/read'] },
    { route: 'POST /echo', scopes: ['cognito-gate/write'] },
    { route: 'GET /echo/{id}', scopes: ['cognito-gate/read'] },
    { route: 'ANY /echo/admin/{proxy+}', groups: ['admins'] },
    { route: 'GET /me', tokenUse: 'any' },
  ],
};

function restEvent(method: string, path: string, token?: string): Record<string, any> {
  const event = loadEvent('offline-rest-request-authorizer');
  event.methodArn = `arn:aws:execute-api:eu-west-1:123456789012:api123/dev/${method}${path}`;
  event.httpMethod = method;
  event.headers = token ? { Authorization: `Bearer ${token}` } : {};
  event.multiValueHeaders = token ? { Authorization: [`Bearer ${token}`] } : {};
  return event;
}

function httpEvent(
  method: string,
  path: string,
  headers: Record<string, string>,
  cookies?: string[],
): Record<string, any> {
  const event = loadEvent('authorizer-http-v2.powertools-ts');
  event.routeArn = `arn:aws:execute-api:eu-west-1:123456789012:api123/$default/${method}${path}`;
  event.routeKey = `${method} ${path}`;
  event.rawPath = path;
  event.requestContext.http.method = method;
  event.requestContext.http.path = path;
  event.requestContext.routeKey = `${method} ${path}`;
  event.headers = headers;
  if (cookies) event.cookies = cookies;
  return event;
}

/**
 * A real HTTP API (payload 2.0) event for a request a browser sent to https://app.example.com, the API's custom
 * domain: API Gateway fills host, domainName and http.method from the request, and moves the Cookie header into
 * `cookies`. `headers` is every header the browser sent, written out in full by each test.
 */
function browserHttpEvent(
  method: string,
  path: string,
  headers: Record<string, string>,
  cookies: string[],
): Record<string, any> {
  const event = httpEvent(method, path, headers, cookies);
  event.requestContext.domainName = 'app.example.com';
  event.requestContext.domainPrefix = 'app';
  event.requestContext.http.sourceIp = '198.51.100.7';
  event.requestContext.http.userAgent = headers['user-agent'];
  event.identitySource = [];
  return event;
}

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const AWS_EDGE_HEADERS = {
  'x-amzn-trace-id': 'Root=1-67a1b2c3-0123456789abcdef01234567',
  'x-forwarded-for': '198.51.100.7',
  'x-forwarded-port': '443',
  'x-forwarded-proto': 'https',
};

describe('the authorizer handler with real events and a real JWKS', () => {
  const server = new JwksServer();
  const logs: string[] = [];
  let key: TestKey;
  let fixture: { issuer: string; clientId: string };
  let authorize: Authorizer;
  let verifier: TokenVerifier;
  let verifications = 0;

  beforeAll(async () => {
    await server.start();
    key = generateTestKey();
    server.serve(jwksOf(key));
    fixture = { issuer: server.issuer, clientId: CLIENT };
    const config = loadAuthorizerConfig(
      {
        COGNITO_USER_POOL_ID: 'local_pool',
        COGNITO_ISSUER: server.issuer,
        COGNITO_CLIENT_IDS: CLIENT,
        AUTH_RULES: JSON.stringify(RULES),
      },
      undefined,
    );
    const real = createTokenVerifier(config);
    verifier = {
      hydrate: real.hydrate,
      verify: (token, accept) => {
        verifications++;
        return real.verify(token, accept);
      },
    };
    authorize = createAuthorizer(config, verifier, createLogger('test', { write: (line) => logs.push(line) }));
  });
  afterAll(() => server.stop());

  const token = (overrides: Record<string, unknown> = {}) => signJwt(key, accessClaims(fixture, overrides));

  it('refuses a REST request without a token with Unauthorized (401) and logs token_missing', async () => {
    await expect(authorize(restEvent('GET', '/echo'))).rejects.toThrow('Unauthorized');
    expect(logs.at(-1)).toContain('"reason":"token_missing"');
  });

  it('refuses a REST request with a bad token with Unauthorized and never logs the token', async () => {
    const bad = token({ exp: nowSeconds() - 100 });
    await expect(authorize(restEvent('GET', '/echo', bad))).rejects.toThrow('Unauthorized');
    expect(logs.at(-1)).toContain('"reason":"token_expired"');
    expect(logs.join('\n')).not.toContain(bad.split('.')[2]);
  });

  it('gives a REST caller a policy that lists exactly the routes its scopes allow', async () => {
    // Act
    const response = (await authorize(
      restEvent('GET', '/echo', token({ scope: 'cognito-gate/read' })),
    )) as IamAuthorizerResponse;
    // Assess
    const prefix = 'arn:aws:execute-api:eu-west-1:123456789012:api123/dev/';
    expect(response.principalId).toBe('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(response.policyDocument.Statement[0]).toEqual({
      Action: 'execute-api:Invoke',
      Effect: 'Allow',
      Resource: [`${prefix}GET/health`, `${prefix}GET/echo`, `${prefix}GET/echo/*`, `${prefix}GET/me`],
    });
    // GET/echo/* would also match /echo/admin/..., which needs admins: an explicit Deny carves it out
    expect(response.policyDocument.Statement[1]).toMatchObject({
      Effect: 'Deny',
      Resource: expect.arrayContaining([`${prefix}GET/echo/admin/*`]),
    });
    expect(iamAllows(response.policyDocument, `${prefix}POST/echo`)).toBe(false);
    expect(iamAllows(response.policyDocument, `${prefix}GET/echo/admin/x`)).toBe(false);
  });

  it('passes flat identity values to the backend', async () => {
    const response = (await authorize(
      restEvent('GET', '/echo', token({ 'cognito:groups': ['users', 'ops'], email: 'a@example.com' })),
    )) as IamAuthorizerResponse;
    expect(response.context).toEqual({
      sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      username: 'alice',
      clientId: CLIENT,
      tokenUse: 'access',
      scopes: 'cognito-gate/read',
      groups: 'users,ops',
      email: 'a@example.com',
    });
  });

  it('leaves out of the policy (403) a route that needs a scope the token lacks, and logs the reason', async () => {
    const response = (await authorize(
      restEvent('POST', '/echo', token({ scope: 'other/scope' })),
    )) as IamAuthorizerResponse;
    expect(response.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [
          'arn:aws:execute-api:eu-west-1:123456789012:api123/dev/GET/health',
          'arn:aws:execute-api:eu-west-1:123456789012:api123/dev/GET/me',
        ],
      },
    ]);
    expect(iamAllows(response.policyDocument, 'arn:aws:execute-api:eu-west-1:123456789012:api123/dev/POST/echo')).toBe(
      false,
    );
    expect(logs.at(-1)).toContain('"reason":"insufficient_scope"');
  });

  it('answers an explicit Deny of the stage to a valid token that may call no route', async () => {
    // Prepare: an authorizer without public or any-token routes
    const config = loadAuthorizerConfig(
      {
        COGNITO_USER_POOL_ID: 'local_pool',
        COGNITO_ISSUER: server.issuer,
        COGNITO_CLIENT_IDS: CLIENT,
        AUTH_RULES: JSON.stringify({ rules: [{ route: 'GET /echo', scopes: ['cognito-gate/write'] }] }),
      },
      undefined,
    );
    const strict = createAuthorizer(config, verifier, createLogger('test', { write: () => undefined }));
    // Act
    const response = (await strict(restEvent('GET', '/echo', token()))) as IamAuthorizerResponse;
    // Assess
    expect(response.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Deny',
        Resource: ['arn:aws:execute-api:eu-west-1:123456789012:api123/dev/*'],
      },
    ]);
  });

  it('denies a route that no rule covers with reason no_rule', async () => {
    const response = (await authorize(restEvent('GET', '/unknown', token()))) as IamAuthorizerResponse;
    expect(
      iamAllows(
        response.policyDocument,
        response.policyDocument.Statement[0]!.Resource[0]!.replace(/GET\/health$/, 'GET/unknown'),
      ),
    ).toBe(false);
    expect(logs.at(-1)).toContain('"reason":"no_rule"');
  });

  it('lets anyone call a public route without a token', async () => {
    const response = await authorize(httpEvent('GET', '/health', {}));
    expect(response).toMatchObject({ isAuthorized: true });
  });

  it('answers an HTTP API request with a simple response from the session cookie', async () => {
    const response = await authorize(httpEvent('GET', '/echo', {}, [`__Host-cg_session=${token()}`]));
    expect(response).toMatchObject({ isAuthorized: true, context: { username: 'alice', tokenUse: 'access' } });
  });

  it('refuses with 401 cookie_duplicated a session cookie that came twice, and lets neither copy in', async () => {
    // Prepare: on AWS the HTTP API cookies array keeps the browser's order, the longer path (a planted copy) first.
    const planted = token({ sub: 'mallory', username: 'mallory' });
    const event = httpEvent('GET', '/echo', {}, [`__Host-cg_session=${planted}`, `__Host-cg_session=${token()}`]);
    // Act / Assess
    await expect(authorize(event)).rejects.toThrow('Unauthorized');
    expect(logs.at(-1)).toContain('"reason":"cookie_duplicated"');
  });

  it('does not read a bare cg_session that a sibling subdomain set beside the __Host- session', async () => {
    const planted = token({ sub: 'mallory', username: 'mallory' });
    const event = httpEvent('GET', '/echo', {}, [`cg_session=${planted}`, `__Host-cg_session=${token()}`]);
    const response = await authorize(event);
    expect(response).toMatchObject({ isAuthorized: true, context: { username: 'alice' } });
  });

  it('answers isAuthorized false (403) on an HTTP API route that needs another scope', async () => {
    const response = await authorize(httpEvent('POST', '/echo', { authorization: `Bearer ${token()}` }));
    expect(response).toMatchObject({ isAuthorized: false });
  });

  it('accepts an ID token only on a route whose rule allows it', async () => {
    const idToken = signJwt(key, idClaims(fixture));
    expect(await authorize(httpEvent('GET', '/me', { authorization: `Bearer ${idToken}` }))).toMatchObject({
      isAuthorized: true,
      context: { tokenUse: 'id', email: 'alice@example.com' },
    });
    expect(await authorize(httpEvent('GET', '/echo', { authorization: `Bearer ${idToken}` }))).toMatchObject({
      isAuthorized: false,
    });
  });

  it('grants the admin route to a member of admins', async () => {
    const response = await authorize(
      httpEvent('DELETE', '/echo/admin/users/bob', {
        authorization: `Bearer ${token({ 'cognito:groups': ['admins'] })}`,
      }),
    );
    expect(response).toMatchObject({ isAuthorized: true });
  });

  it('decides a repeated token from the decision cache without verifying it again', async () => {
    // Prepare
    const repeated = token();
    await authorize(httpEvent('GET', '/echo', { authorization: `Bearer ${repeated}` }));
    const before = verifications;
    // Act
    const response = await authorize(restEvent('GET', '/echo/7', repeated));
    // Assess
    expect(verifications).toBe(before);
    expect(
      iamAllows(
        (response as IamAuthorizerResponse).policyDocument,
        'arn:aws:execute-api:eu-west-1:123456789012:api123/dev/GET/echo/7',
      ),
    ).toBe(true);
  });

  it.each([
    ['whose kid is in no JWKS', () => signJwt(generateTestKey(), accessClaims(fixture))],
    ['with a crit header', () => signJwt(key, accessClaims(fixture), { crit: ['exp'] })],
    ['with a jku header', () => signJwt(key, accessClaims(fixture), { jku: 'https://evil.example.com/jwks.json' })],
    ['issued in the future', () => token({ iat: nowSeconds() + 600, exp: nowSeconds() + 1200 })],
    ['that lives a year', () => token({ exp: nowSeconds() + 365 * 86_400 })],
    [
      'with a __proto__ member',
      () =>
        signJwtText(
          key,
          JSON.stringify({ alg: 'RS256', kid: key.kid }),
          JSON.stringify(accessClaims(fixture)).replace(/^\{/, '{"__proto__":{"cognito:groups":["admins"]},'),
        ),
    ],
    [
      'with two cognito:groups members, the last one naming admins',
      () =>
        signJwtText(
          key,
          JSON.stringify({ alg: 'RS256', kid: key.kid }),
          JSON.stringify(accessClaims(fixture)).replace(/\}$/, ',"cognito:groups":["admins"]}'),
        ),
    ],
  ])('answers Unauthorized (401), never an error API Gateway turns into 500, to a token %s', async (_label, make) => {
    // Act / Assess
    await expect(authorize(restEvent('GET', '/echo', make()))).rejects.toBeInstanceOf(UnauthorizedResponse);
    expect(logs.at(-1)).toContain('"reason":"token_invalid"');
  });

  describe('CSRF: the session cookie on a state-changing request', () => {
    /** alice, an admin, signed in on app.example.com: her browser holds this session cookie. */
    let aliceSession: string;
    beforeAll(() => {
      aliceSession = signJwt(key, accessClaims(fixture, { 'cognito:groups': ['admins'] }));
    });

    it('refuses (403) a form on a sibling subdomain that POSTs with her cookie, and logs why without the token', async () => {
      // Prepare: evil.example.com is same-site with app.example.com, so SameSite=Lax lets the cookie through.
      // The request Chrome sends when the page there submits <form method="post" action="https://app.example.com/echo/admin/users/bob/enable">
      const forged = browserHttpEvent(
        'POST',
        '/echo/admin/users/bob/enable',
        {
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
          'accept-encoding': 'gzip, deflate, br, zstd',
          'accept-language': 'en-US,en;q=0.9',
          'cache-control': 'max-age=0',
          'content-length': '0',
          'content-type': 'application/x-www-form-urlencoded',
          host: 'app.example.com',
          origin: 'https://evil.example.com',
          referer: 'https://evil.example.com/',
          'sec-fetch-dest': 'document',
          'sec-fetch-mode': 'navigate',
          'sec-fetch-site': 'same-site',
          'sec-fetch-user': '?1',
          'upgrade-insecure-requests': '1',
          'user-agent': CHROME,
          ...AWS_EDGE_HEADERS,
        },
        [`__Host-cg_session=${aliceSession}`],
      );
      const before = verifications;
      // Act
      const response = await authorize(forged);
      // Assess: refused before her token is even verified
      expect(response).toEqual({ isAuthorized: false, context: ANONYMOUS_CONTEXT });
      expect(verifications).toBe(before);
      const line = JSON.parse(logs.at(-1)!);
      expect(line).toMatchObject({
        reason: 'csrf_origin_refused',
        route: 'POST /echo/admin/users/bob/enable',
        origin: ['https://evil.example.com'],
        secFetchSite: ['same-site'],
      });
      expect(logs.join('\n')).not.toContain(aliceSession.split('.')[2]);
    });

    it('refuses the forged POST even when her token is already in the decision cache', async () => {
      // Prepare: alice's own page reads /echo first, so her token's grants are cached
      const own = browserHttpEvent(
        'GET',
        '/echo',
        {
          accept: '*/*',
          'accept-encoding': 'gzip, deflate, br, zstd',
          'accept-language': 'en-US,en;q=0.9',
          host: 'app.example.com',
          referer: 'https://app.example.com/',
          'sec-fetch-dest': 'empty',
          'sec-fetch-mode': 'cors',
          'sec-fetch-site': 'same-origin',
          'user-agent': CHROME,
          ...AWS_EDGE_HEADERS,
        },
        [`__Host-cg_session=${aliceSession}`],
      );
      expect(await authorize(own)).toMatchObject({ isAuthorized: true });
      // The request a fetch() from evil.example.com sends, with credentials: 'include' and no preflight
      const forged = browserHttpEvent(
        'DELETE',
        '/echo/admin/users/bob',
        {
          accept: '*/*',
          'accept-encoding': 'gzip, deflate, br, zstd',
          'accept-language': 'en-US,en;q=0.9',
          host: 'app.example.com',
          origin: 'https://evil.example.com',
          referer: 'https://evil.example.com/',
          'sec-fetch-dest': 'empty',
          'sec-fetch-mode': 'cors',
          'sec-fetch-site': 'same-site',
          'user-agent': CHROME,
          ...AWS_EDGE_HEADERS,
        },
        [`__Host-cg_session=${aliceSession}`],
      );
      // Act / Assess
      expect(await authorize(forged)).toMatchObject({ isAuthorized: false });
      expect(logs.at(-1)).toContain('"reason":"csrf_origin_refused"');
    });

    it.each([
      ['no Origin and no Sec-Fetch-Site (an old browser, or a client that hides them)', {}],
      ['Origin null (a sandboxed iframe, or a redirect across origins)', { origin: 'null' }],
      ["the app's origin but over http", { origin: 'http://app.example.com' }],
      ['an Origin that lists two origins', { origin: 'https://app.example.com, https://evil.example.com' }],
      ['Sec-Fetch-Site same-site without an Origin', { 'sec-fetch-site': 'same-site' }],
    ])('refuses (403) a cookie POST with %s', async (_label, proof) => {
      // Prepare
      const event = browserHttpEvent(
        'POST',
        '/echo/admin/users/bob/disable',
        {
          accept: '*/*',
          'content-length': '0',
          host: 'app.example.com',
          'user-agent': CHROME,
          ...AWS_EDGE_HEADERS,
          ...proof,
        },
        [`__Host-cg_session=${aliceSession}`],
      );
      // Act / Assess
      expect(await authorize(event)).toMatchObject({ isAuthorized: false });
      expect(logs.at(-1)).toContain('"reason":"csrf_origin_refused"');
    });

    it("allows her own page to POST: Origin is the API's own origin", async () => {
      const event = browserHttpEvent(
        'POST',
        '/echo/admin/users/bob/enable',
        {
          accept: '*/*',
          'content-length': '0',
          host: 'app.example.com',
          origin: 'https://app.example.com',
          referer: 'https://app.example.com/admin',
          'sec-fetch-dest': 'empty',
          'sec-fetch-mode': 'cors',
          'sec-fetch-site': 'same-origin',
          'user-agent': CHROME,
          ...AWS_EDGE_HEADERS,
        },
        [`__Host-cg_session=${aliceSession}`],
      );
      expect(await authorize(event)).toMatchObject({ isAuthorized: true, context: { username: 'alice' } });
    });

    it('allows a POST from her own page under Referrer-Policy: no-referrer (Origin null, Sec-Fetch-Site same-origin)', async () => {
      const event = browserHttpEvent(
        'POST',
        '/echo/admin/users/bob/enable',
        {
          accept: '*/*',
          'content-length': '0',
          host: 'app.example.com',
          origin: 'null',
          'sec-fetch-dest': 'empty',
          'sec-fetch-mode': 'cors',
          'sec-fetch-site': 'same-origin',
          'user-agent': CHROME,
          ...AWS_EDGE_HEADERS,
        },
        [`__Host-cg_session=${aliceSession}`],
      );
      expect(await authorize(event)).toMatchObject({ isAuthorized: true });
    });

    it('refuses a foreign Origin even when Sec-Fetch-Site claims same-origin', async () => {
      // A browser never sends this pair; a CDN in front of the API that rewrites Host needs CSRF_ALLOWED_ORIGINS
      const event = browserHttpEvent(
        'POST',
        '/echo/admin/users/bob/enable',
        {
          accept: '*/*',
          'content-length': '0',
          host: 'app.example.com',
          origin: 'https://evil.example.com',
          'sec-fetch-dest': 'empty',
          'sec-fetch-mode': 'cors',
          'sec-fetch-site': 'same-origin',
          'user-agent': CHROME,
          ...AWS_EDGE_HEADERS,
        },
        [`__Host-cg_session=${aliceSession}`],
      );
      expect(await authorize(event)).toMatchObject({ isAuthorized: false });
    });

    it('lets a sibling page read (GET) with her cookie: safe methods change nothing', async () => {
      const event = browserHttpEvent(
        'GET',
        '/echo',
        {
          accept: '*/*',
          host: 'app.example.com',
          origin: 'https://evil.example.com',
          'sec-fetch-site': 'same-site',
          'user-agent': CHROME,
          ...AWS_EDGE_HEADERS,
        },
        [`__Host-cg_session=${aliceSession}`],
      );
      expect(await authorize(event)).toMatchObject({ isAuthorized: true });
    });

    it('leaves bearer tokens alone: a foreign Origin does not matter when page script had to attach the token', async () => {
      const event = browserHttpEvent(
        'POST',
        '/echo/admin/users/bob/enable',
        {
          accept: '*/*',
          authorization: `Bearer ${aliceSession}`,
          'content-length': '0',
          host: 'app.example.com',
          origin: 'https://partner.example.org',
          'sec-fetch-site': 'cross-site',
          'user-agent': CHROME,
          ...AWS_EDGE_HEADERS,
        },
        [],
      );
      expect(await authorize(event)).toMatchObject({ isAuthorized: true });
    });

    it('answers a REST cookie request with a policy for its own ARN only, so a cached Allow cannot reach a POST', async () => {
      // Prepare: the same GET on a REST API (real AWS event shape), Cookie header in headers and multiValueHeaders
      const event = loadEvent('authorizer-rest-request.powertools-ts');
      event.methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/GET/echo/7';
      event.httpMethod = 'GET';
      event.requestContext.httpMethod = 'GET';
      event.resource = event.requestContext.resourcePath = '/echo/{id}';
      event.path = '/echo/7';
      delete event.headers.Authorization;
      delete event.multiValueHeaders.Authorization;
      event.headers.Cookie = `theme=dark; __Host-cg_session=${aliceSession}`;
      event.multiValueHeaders.Cookie = [event.headers.Cookie];
      // Act
      const response = (await authorize(event)) as IamAuthorizerResponse;
      // Assess: allowed here, and nothing else: not POST, not the admin routes her groups would open to a bearer
      const prefix = 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/';
      expect(response.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${prefix}GET/echo/7`] },
      ]);
      expect(iamAllows(response.policyDocument, `${prefix}POST/echo/admin/users/bob/enable`)).toBe(false);
    });

    it('answers a forged REST cookie POST with an explicit Deny (403) of its ARN', async () => {
      // Prepare: the real REST event shape, as the sibling page's form POST arrives at a REST API
      const event = loadEvent('authorizer-rest-request.powertools-ts');
      const arn = 'arn:aws:execute-api:eu-west-1:123456789012:puhdx84jy9/prod/POST/echo/admin/users/bob/enable';
      event.methodArn = arn;
      event.httpMethod = 'POST';
      event.requestContext.httpMethod = 'POST';
      event.resource = event.requestContext.resourcePath = '/echo/admin/{proxy+}';
      event.path = '/echo/admin/users/bob/enable';
      event.headers = {
        Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        'Content-Length': '0',
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: `__Host-cg_session=${aliceSession}`,
        Host: 'puhdx84jy9.execute-api.eu-west-1.amazonaws.com',
        Origin: 'https://evil.example.com',
        Referer: 'https://evil.example.com/',
        'Sec-Fetch-Dest': 'document',
        'Sec-Fetch-Mode': 'navigate',
        'Sec-Fetch-Site': 'cross-site',
        'User-Agent': CHROME,
        'X-Forwarded-Proto': 'https',
      };
      event.multiValueHeaders = Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k, [v]]));
      // Act
      const response = (await authorize(event)) as IamAuthorizerResponse;
      // Assess
      expect(response.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [arn] },
      ]);
      expect(response.context).toEqual(ANONYMOUS_CONTEXT);
    });

    it('accepts http://127.0.0.1:<port> as the own origin under serverless-offline, whose Host is loopback', async () => {
      // Prepare: the REST event serverless-offline builds, for a same-origin POST from a page it serves
      const event = loadEvent('offline-rest-request-authorizer');
      event.methodArn = 'arn:aws:execute-api:eu-west-1:random-account-id:random-api-id/dev/POST/echo';
      event.httpMethod = 'POST';
      event.requestContext.httpMethod = 'POST';
      event.headers = {
        Host: '127.0.0.1:3000',
        'User-Agent': CHROME,
        Accept: '*/*',
        Origin: 'http://127.0.0.1:3000',
        Cookie: `__Host-cg_session=${signJwt(key, accessClaims(fixture, { scope: 'cognito-gate/write' }))}`,
      };
      event.multiValueHeaders = Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k, [v]]));
      // Act / Assess
      const response = (await authorize(event)) as IamAuthorizerResponse;
      expect(iamAllows(response.policyDocument, event.methodArn)).toBe(true);
      // ...and a page on another loopback port is another origin
      event.headers.Origin = 'http://127.0.0.1:8080';
      event.multiValueHeaders.Origin = ['http://127.0.0.1:8080'];
      const refused = (await authorize(event)) as IamAuthorizerResponse;
      expect(iamAllows(refused.policyDocument, event.methodArn)).toBe(false);
    });

    it('uses CSRF_ALLOWED_ORIGINS instead of the own origin when it is set', async () => {
      // Prepare: the SPA lives on www.example.com, the API on api.example.com
      const config = loadAuthorizerConfig(
        {
          COGNITO_USER_POOL_ID: 'local_pool',
          COGNITO_ISSUER: server.issuer,
          COGNITO_CLIENT_IDS: CLIENT,
          AUTH_RULES: JSON.stringify(RULES),
          CSRF_ALLOWED_ORIGINS: 'https://www.example.com',
        },
        undefined,
      );
      const listed = createAuthorizer(config, verifier, createLogger('test', { write: () => undefined }));
      const post = (origin: string) => {
        const event = browserHttpEvent(
          'POST',
          '/echo/admin/users/bob/enable',
          {
            accept: '*/*',
            'content-length': '0',
            host: 'api.example.com',
            origin,
            'sec-fetch-site': 'same-site',
            'user-agent': CHROME,
            ...AWS_EDGE_HEADERS,
          },
          [`__Host-cg_session=${aliceSession}`],
        );
        event.requestContext.domainName = 'api.example.com';
        return listed(event);
      };
      // Act / Assess
      expect(await post('https://www.example.com')).toMatchObject({ isAuthorized: true });
      expect(await post('https://evil.example.com')).toMatchObject({ isAuthorized: false });
      expect(await post('https://api.example.com')).toMatchObject({ isAuthorized: false });
    });
  });

  it('fails closed, never allowing, when the JWKS cannot be fetched', async () => {
    // Prepare: a fresh authorizer whose cache is cold, against a JWKS endpoint answering 500
    const config = loadAuthorizerConfig(
      {
        COGNITO_USER_POOL_ID: 'local_pool',
        COGNITO_ISSUER: server.issuer,
        COGNITO_CLIENT_IDS: CLIENT,
        AUTH_RULES: JSON.stringify(RULES),
        JWKS_TIMEOUT_MS: '200',
      },
      undefined,
    );
    const cold = createAuthorizer(
      config,
      createTokenVerifier(config),
      createLogger('test', { write: () => undefined }),
    );
    server.mode = 'error500';
    try {
      // Act / Assess
      await expect(cold(restEvent('GET', '/echo', token()))).rejects.toMatchObject({ reason: 'jwks_unavailable' });
    } finally {
      server.mode = 'ok';
    }
  });
});
