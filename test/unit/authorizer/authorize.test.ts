import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Authorizer,
  createAuthorizer,
  type IamAuthorizerResponse,
  type SimpleAuthorizerResponse,
} from '../../../shared/authorizer/authorize.js';
import { loadAuthorizerConfig } from '../../../shared/authorizer/authorizer-config.js';
import { UnauthorizedResponse } from '../../../shared/errors/gate-error.js';
import { createLogger } from '../../../shared/logging/logger.js';
import type { DecisionMetrics } from '../../../shared/metrics/decision-metrics.js';
import { MAX_POLICY_BYTES, policyBytes } from '../../../shared/policy/iam-policy.js';
import type { RuleSpec } from '../../../shared/rules/rule-document.js';
import { createTokenVerifier, type TokenVerifier } from '../../../shared/tokens/verifier.js';
import { loadEvent } from '../../support/fixtures.js';
import { iamAllows } from '../../support/iam-evaluator.js';
import { JwksServer } from '../../support/jwks-server.js';
import { accessClaims, generateTestKey, jwksOf, signJwt, type TestKey } from '../../support/signing.js';

const CLIENT = 'client-a';
const REST_PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:api123/dev/';

function restEvent(method: string, path: string, headers: Record<string, string> = {}): Record<string, any> {
  const event = loadEvent('offline-rest-request-authorizer');
  event.methodArn = `${REST_PREFIX}${method}${path}`;
  event.httpMethod = method;
  event.headers = headers;
  event.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
  return event;
}

function httpEvent(method: string, path: string, headers: Record<string, string>, cookies?: string[]) {
  const event = loadEvent('authorizer-http-v2.powertools-ts');
  event.routeArn = `arn:aws:execute-api:eu-west-1:123456789012:api123/$default/${method}${path}`;
  event.routeKey = `${method} ${path}`;
  event.rawPath = path;
  event.requestContext.http.method = method;
  event.requestContext.http.path = path;
  event.headers = headers;
  if (cookies) event.cookies = cookies;
  return event;
}

/** Every decision counted, as the EMF metrics would count them. */
class CountingMetrics implements DecisionMetrics {
  readonly counts: string[] = [];
  allowed() {
    this.counts.push('allowed');
  }
  denied(reason: string) {
    this.counts.push(reason);
  }
  jwksFetched() {}
}

/**
 * Each test builds its own authorizer: the authorizer remembers routes, verdicts and policies per instance, so a
 * test that shared one would see the work of the tests before it.
 */
describe('the authorizer core, one fresh authorizer per test', () => {
  const jwks = new JwksServer();
  let key: TestKey;

  beforeAll(async () => {
    await jwks.start();
    key = generateTestKey();
    jwks.serve(jwksOf(key));
  });
  afterAll(() => jwks.stop());

  interface Built {
    authorize: Authorizer;
    logs: Record<string, unknown>[];
    metrics: CountingMetrics;
    verifications: () => number;
  }

  function build(rules: RuleSpec[], env: Record<string, string> = {}, verifier?: TokenVerifier): Built {
    const config = loadAuthorizerConfig(
      {
        COGNITO_USER_POOL_ID: 'local_pool',
        COGNITO_ISSUER: jwks.issuer,
        COGNITO_CLIENT_IDS: CLIENT,
        AUTH_RULES: JSON.stringify({ rules }),
        ...env,
      },
      undefined,
    );
    const real = verifier ?? createTokenVerifier(config);
    let verifications = 0;
    const counting: TokenVerifier = {
      hydrate: real.hydrate,
      verify: (token, accept) => {
        verifications++;
        return real.verify(token, accept);
      },
    };
    const logs: Record<string, unknown>[] = [];
    const metrics = new CountingMetrics();
    const logger = createLogger('authorizer', { write: (line) => logs.push(JSON.parse(line)) });
    return {
      authorize: createAuthorizer(config, counting, logger, metrics),
      logs,
      metrics,
      verifications: () => verifications,
    };
  }

  const token = (overrides: Record<string, unknown> = {}) =>
    signJwt(key, accessClaims({ issuer: jwks.issuer, clientId: CLIENT }, overrides));
  const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });

  /** The reason of a refusal (401), or the error API Gateway would answer 500 for. */
  async function refusal(decision: Promise<unknown>): Promise<string> {
    try {
      await decision;
      return 'answered';
    } catch (error) {
      return error instanceof UnauthorizedResponse ? error.reason : `500:${(error as { reason?: string }).reason}`;
    }
  }

  it('never shares verdicts between callers whose compared claims differ: tenant acme is in, globex is out', async () => {
    // Prepare: same scope, same groups; only the claim that the rules compare tells them apart
    const { authorize } = build([
      { route: 'GET /orders', scopes: ['cognito-gate/read'], claims: { 'custom:tenant': 'acme' } },
      {
        route: 'GET /reports',
        anyOf: [{ groups: ['auditors'] }, { claims: { 'custom:region': 'eu' } }],
      },
    ]);
    const acme = token({ 'custom:tenant': 'acme', 'custom:region': 'eu' });
    const globex = token({ 'custom:tenant': 'globex', 'custom:region': 'us' });
    const noTenant = token();
    // Act
    const answers = [];
    for (const jwt of [acme, globex, noTenant]) {
      for (const path of ['/orders', '/reports']) {
        answers.push(((await authorize(httpEvent('GET', path, bearer(jwt)))) as SimpleAuthorizerResponse).isAuthorized);
      }
    }
    // Assess
    expect(answers).toEqual([true, true, false, false, false, false]);
  });

  it('tells an absent claim from a null one: an optional claim passes when absent, never when null', async () => {
    // Prepare
    const { authorize } = build([
      {
        route: 'GET /eu',
        scopes: ['cognito-gate/read'],
        claims: { 'custom:region': { equals: 'eu', optional: true } },
      },
    ]);
    // Act
    const absent = (await authorize(httpEvent('GET', '/eu', bearer(token())))) as SimpleAuthorizerResponse;
    const nulled = (await authorize(
      httpEvent('GET', '/eu', bearer(token({ 'custom:region': null }))),
    )) as SimpleAuthorizerResponse;
    // Assess
    expect([absent.isAuthorized, nulled.isAuthorized]).toEqual([true, false]);
  });

  it('never lets an "ANY /" rule answer for $connect: a token without the $connect scope is denied', async () => {
    // Prepare: the first request this authorizer sees is the WebSocket connection
    const { authorize } = build(
      [
        { route: '$connect', scopes: ['chat/connect'] },
        { route: 'ANY /', public: true },
      ],
      { TOKEN_SOURCES: 'query:access_token' },
    );
    const event = loadEvent('offline-websocket-connect-authorizer');
    event.queryStringParameters.access_token = token({ scope: 'other/scope' });
    event.multiValueQueryStringParameters.access_token = [event.queryStringParameters.access_token];
    // Act
    const response = (await authorize(event)) as IamAuthorizerResponse;
    // Assess
    expect(iamAllows(response.policyDocument, event.methodArn)).toBe(false);
  });

  it('answers an HTTP API with IAM policies when HTTP_API_RESPONSE=iam, a cross-origin cookie POST too', async () => {
    // Prepare
    const { authorize } = build([{ route: 'ANY /echo', scopes: ['cognito-gate/read'] }], { HTTP_API_RESPONSE: 'iam' });
    const prefix = 'arn:aws:execute-api:eu-west-1:123456789012:api123/$default/';
    const forged = httpEvent('POST', '/echo', { origin: 'https://evil.example.com', 'sec-fetch-site': 'same-site' }, [
      `__Host-cg_session=${token()}`,
    ]);
    // Act
    const allowed = (await authorize(httpEvent('GET', '/echo', bearer(token())))) as IamAuthorizerResponse;
    const refused = (await authorize(forged)) as IamAuthorizerResponse;
    // Assess
    expect(allowed.principalId).toBe('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(iamAllows(allowed.policyDocument, `${prefix}GET/echo`)).toBe(true);
    expect(refused).toEqual({
      principalId: 'anonymous',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${prefix}POST/echo`] }],
      },
      context: expect.any(Object),
    });
  });

  it('counts and logs a cross-origin cookie POST as csrf_origin_refused, with the method the request used', async () => {
    // Prepare: alice's browser on a sibling subdomain posts a form to an ANY route with her session cookie:
    //   POST /echo HTTP/1.1
    //   Host: api123.execute-api.eu-west-1.amazonaws.com
    //   Origin: https://evil.example.com
    //   Sec-Fetch-Site: same-site
    //   Cookie: __Host-cg_session=<alice's token>
    const { authorize, logs, metrics } = build([{ route: 'ANY /echo', scopes: ['cognito-gate/read'] }]);
    const forged = httpEvent(
      'POST',
      '/echo',
      {
        host: 'api123.execute-api.eu-west-1.amazonaws.com',
        origin: 'https://evil.example.com',
        'sec-fetch-site': 'same-site',
      },
      [`__Host-cg_session=${token()}`],
    );
    // Act
    const response = (await authorize(forged)) as SimpleAuthorizerResponse;
    // Assess
    expect(response.isAuthorized).toBe(false);
    expect(metrics.counts).toEqual(['csrf_origin_refused']);
    expect(logs.at(-1)).toMatchObject({
      level: 'warn',
      message: 'denied',
      reason: 'csrf_origin_refused',
      route: 'POST /echo',
      origin: ['https://evil.example.com'],
      secFetchSite: ['same-site'],
    });
  });

  it('fails closed with an error (API Gateway 500), not a 401, when the JWKS cannot be fetched, and logs it as an error', async () => {
    // Prepare
    const { authorize, logs, metrics } = build([{ route: 'GET /echo', scopes: ['cognito-gate/read'] }], {
      JWKS_TIMEOUT_MS: '200',
    });
    jwks.mode = 'error500';
    try {
      // Act
      const answer = await refusal(authorize(restEvent('GET', '/echo', bearer(token()))));
      // Assess
      expect(answer).toBe('500:jwks_unavailable');
    } finally {
      jwks.mode = 'ok';
    }
    expect(logs.at(-1)).toMatchObject({ level: 'error', message: 'denied', reason: 'jwks_unavailable' });
    expect(metrics.counts).toEqual(['jwks_unavailable']);
  });

  it('refuses (401 token_invalid) when the verifier fails in a way it does not name', async () => {
    // Prepare: a verifier that throws a plain Error, as a bug in a dependency would
    const broken: TokenVerifier = {
      hydrate: async () => undefined,
      verify: () => {
        throw new Error('unexpected');
      },
    };
    const { authorize, logs } = build([{ route: 'GET /echo', scopes: ['cognito-gate/read'] }], {}, broken);
    // Act / Assess
    expect(await refusal(authorize(restEvent('GET', '/echo', bearer(token()))))).toBe('token_invalid');
    expect(logs.at(-1)).toMatchObject({ reason: 'token_invalid', route: 'GET /echo' });
  });

  it('gives an anonymous caller of a public REST route the API-wide policy of the public routes', async () => {
    // Prepare
    const { authorize } = build([
      { route: 'GET /health', public: true },
      { route: 'GET /status', public: true },
      { route: 'GET /echo', scopes: ['cognito-gate/read'] },
    ]);
    // Act
    const response = (await authorize(restEvent('GET', '/health'))) as IamAuthorizerResponse;
    // Assess
    expect(response.principalId).toBe('anonymous');
    expect(response.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [`${REST_PREFIX}GET/health`, `${REST_PREFIX}GET/status`],
      },
    ]);
  });

  it('answers a repeated bearer token on REST from the cache with the same API-wide policy', async () => {
    // Prepare
    const { authorize, verifications } = build([
      { route: 'GET /echo', scopes: ['cognito-gate/read'] },
      { route: 'GET /echo/{id}', scopes: ['cognito-gate/read'] },
    ]);
    const jwt = token();
    const first = (await authorize(restEvent('GET', '/echo', bearer(jwt)))) as IamAuthorizerResponse;
    // Act
    const again = (await authorize(restEvent('GET', '/echo', bearer(jwt)))) as IamAuthorizerResponse;
    // Assess
    expect(verifications()).toBe(1);
    expect(again.policyDocument).toEqual(first.policyDocument);
    expect(iamAllows(again.policyDocument, `${REST_PREFIX}GET/echo/7`)).toBe(true);
  });

  it('answers a repeated session cookie from the cache too, without verifying it again', async () => {
    // Prepare
    const { authorize, verifications } = build([{ route: 'GET /echo', scopes: ['cognito-gate/read'] }]);
    const cookies = [`__Host-cg_session=${token()}`];
    // Act
    const answers = [
      (await authorize(httpEvent('GET', '/echo', {}, cookies))) as SimpleAuthorizerResponse,
      (await authorize(httpEvent('GET', '/echo', {}, cookies))) as SimpleAuthorizerResponse,
    ];
    // Assess
    expect(answers.map((answer) => answer.isAuthorized)).toEqual([true, true]);
    expect(verifications()).toBe(1);
  });

  it('refuses an event that names no route (401 bad_event)', async () => {
    // Prepare
    const { authorize, logs } = build([{ route: 'GET /echo', scopes: ['cognito-gate/read'] }]);
    const event = restEvent('GET', '/echo', bearer(token()));
    delete event.methodArn;
    // Act / Assess
    expect(await refusal(authorize(event))).toBe('bad_event');
    expect(logs.at(-1)).toMatchObject({ message: 'denied', reason: 'bad_event' });
    expect(logs.at(-1)).not.toHaveProperty('route');
  });

  it('refuses an event whose ARN is not an execute-api ARN (401 bad_event), never an error', async () => {
    const { authorize, logs } = build([{ route: 'GET /echo', scopes: ['cognito-gate/read'] }]);
    const event = restEvent('GET', '/echo', bearer(token()));
    event.methodArn = 'not-an-arn';
    expect(await refusal(authorize(event))).toBe('bad_event');
    expect(logs.at(-1)).toMatchObject({ message: 'denied', reason: 'bad_event' });
  });

  it('refuses a request without a token on a route that no rule covers as token_missing, naming the route', async () => {
    const { authorize, logs } = build([{ route: 'GET /echo', scopes: ['cognito-gate/read'] }]);
    expect(await refusal(authorize(restEvent('GET', '/unknown/x')))).toBe('token_missing');
    expect(logs.at(-1)).toMatchObject({
      level: 'warn',
      message: 'denied',
      reason: 'token_missing',
      route: 'GET /unknown/x',
    });
  });

  it('logs a denial with the rule that refused it, or the request when no rule covers it', async () => {
    // Prepare
    const { authorize, logs, metrics } = build([{ route: 'GET /echo/{id}', scopes: ['cognito-gate/write'] }]);
    // Act
    await authorize(httpEvent('GET', '/echo/7', bearer(token())));
    await authorize(httpEvent('GET', '/other/7', bearer(token())));
    // Assess
    expect(logs.slice(-2)).toEqual([
      expect.objectContaining({
        message: 'denied',
        reason: 'insufficient_scope',
        route: 'GET /echo/{id}',
        principalId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      }),
      expect.objectContaining({ message: 'denied', reason: 'no_rule', route: 'GET /other/7' }),
    ]);
    expect(metrics.counts).toEqual(['insufficient_scope', 'no_rule']);
  });

  it('refuses an event whose Authorization value is not a string as token_missing, never an error', async () => {
    // Prepare: values that API Gateway never sends, from hand-made events
    const { authorize } = build([{ route: 'GET /echo', scopes: ['cognito-gate/read'] }]);
    const single = httpEvent('GET', '/echo', {});
    single.headers = { authorization: 12345 };
    const multi = restEvent('GET', '/echo');
    multi.multiValueHeaders = { Authorization: [{ bearer: token() }] };
    multi.headers = { Authorization: { bearer: token() } };
    const notAList = restEvent('GET', '/echo');
    notAList.multiValueHeaders = { Authorization: `Bearer ${token()}` };
    notAList.headers = {};
    // Act / Assess
    expect(await refusal(authorize(single))).toBe('token_missing');
    expect(await refusal(authorize(multi))).toBe('token_missing');
    expect(await refusal(authorize(notAList))).toBe('token_missing');
  });

  it('refuses an event whose query value is not a string as token_malformed, never an error', async () => {
    // Prepare: a value that API Gateway never sends, from a hand-made event
    const { authorize } = build([{ route: 'GET /echo', scopes: ['cognito-gate/read'] }], {
      TOKEN_SOURCES: 'query:access_token',
      TOKEN_QUERY_ON_HTTP: 'true',
    });
    const event = httpEvent('GET', '/echo', {});
    event.queryStringParameters = { access_token: 42 };
    // Act / Assess
    expect(await refusal(authorize(event))).toBe('token_malformed');
  });

  it('answers for the route alone, and says why, when IAM wildcards cannot state the rules exactly', async () => {
    // Prepare: a {proxy+} allowed beneath a denied {param}: Deny GET/a/* would also deny GET/a/x/y
    const { authorize, logs } = build([
      { route: 'GET /a/{proxy+}', public: true },
      { route: 'GET /a/{id}', scopes: ['other/scope'] },
    ]);
    // Act
    const response = (await authorize(restEvent('GET', '/a/x/y', bearer(token())))) as IamAuthorizerResponse;
    // Assess
    // Its exact ARN, not the {proxy+} rule's glob GET/a/*: cached by token alone, that would also allow GET /a/x,
    // which needs other/scope.
    expect(response.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${REST_PREFIX}GET/a/x/y`] },
    ]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'policy answers for this route only',
        reason: 'rules_overlap',
        rulesVersion: expect.any(String),
      }),
    );
  });

  it('never lets a literal * in the path stretch a route-only Allow over protected routes: it denies that request', async () => {
    // Prepare: rules that IAM cannot state exactly, so the answer is for the route alone
    const { authorize } = build([
      { route: 'GET /files/{proxy+}', public: true },
      { route: 'GET /files/{id}/admin/{x}', scopes: ['other/scope'] },
    ]);
    // The attacker's request: a public path sent with a literal *, hoping API Gateway caches `Allow GET/files/*`
    // under the token alone and then lets the same token call GET /files/1/admin/2.
    const attack = restEvent('GET', '/files/*', {
      Authorization: `Bearer ${token()}`,
      Host: 'api123.execute-api.eu-west-1.amazonaws.com',
      'User-Agent': 'curl/8.5.0',
      Accept: '*/*',
    });
    // Act
    const response = (await authorize(attack)) as IamAuthorizerResponse;
    // Assess
    expect(response.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${REST_PREFIX}GET/files/*`] },
    ]);
    expect(iamAllows(response.policyDocument, `${REST_PREFIX}GET/files/1/admin/2`)).toBe(false);
  });

  it('keeps the API-wide policy up to exactly MAX_POLICY_BYTES, and answers for the route alone one byte past it', async () => {
    // Prepare: public routes whose API-wide policy is measured, then grown to the limit and one byte past it
    const routes = (extra: number): RuleSpec[] =>
      Array.from({ length: 60 }, (_, n) => ({
        route: `GET /${n === 0 ? 'p'.repeat(20 + extra) : `route-${'r'.repeat(60)}-${n}`}`,
        public: true,
      }));
    const measured = (await build(routes(0)).authorize(
      restEvent('GET', '/route-x', bearer(token())),
    )) as IamAuthorizerResponse;
    const grow = MAX_POLICY_BYTES - policyBytes(measured.policyDocument);
    expect(grow).toBeGreaterThan(0);
    const atLimit = build(routes(grow));
    const pastLimit = build(routes(grow + 1));
    // Act
    const fits = (await atLimit.authorize(restEvent('GET', '/route-x', bearer(token())))) as IamAuthorizerResponse;
    const tooLarge = (await pastLimit.authorize(
      restEvent('GET', '/route-x', bearer(token())),
    )) as IamAuthorizerResponse;
    // Assess
    expect(policyBytes(fits.policyDocument)).toBe(MAX_POLICY_BYTES);
    expect(atLimit.logs).toEqual([expect.objectContaining({ reason: 'no_rule' })]);
    expect(tooLarge.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${REST_PREFIX}GET/route-x`] },
    ]);
    expect(pastLimit.logs).toContainEqual(
      expect.objectContaining({ message: 'policy answers for this route only', reason: 'policy_too_large' }),
    );
  });
});
