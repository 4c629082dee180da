import type { RuleDocument } from '../../shared/rules/rule-document.js';
import { loadEvent } from '../../test/support/fixtures.js';
import { accessClaims, signJwt, type TestKey } from '../../test/support/signing.js';

export const CLIENT_ID = 'bench-client';
export const POOL_PATH = '/eu-west-1_BenchPool';
export const METHOD_ARN_PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:bench123/prod/';
/** The route every warm request asks about: a {param} route in the middle of the rule file. */
export interface BenchRoute {
  readonly method: string;
  readonly path: string;
  /** API Gateway's resource, as the event carries it. */
  readonly resource: string;
}
export const BENCH_ROUTE: BenchRoute = { method: 'GET', path: '/orders/0c9e1f4a', resource: '/orders/{id}' };
/** A route of the repository's rules.json, for the bundle as shipped: GET /echo/{id} needs cognito-gate/read. */
export const SHIPPED_ROUTE: BenchRoute = { method: 'GET', path: '/echo/42', resource: '/echo/{id}' };
export const SHIPPED_SCOPE = 'cognito-gate/read';

const RESOURCES = ['users', 'orders', 'invoices', 'products', 'carts', 'reports', 'teams', 'projects', 'tickets'];

/**
 * A rule file of 50 routes, shaped like a real API: per resource list/create/read/update/delete with read and
 * write scopes, deletes for admins, a few public routes, an anyOf and a proxy route.
 */
export function fiftyRouteRules(): RuleDocument {
  const rules: RuleDocument['rules'] = [
    { route: 'GET /health', public: true },
    { route: 'GET /status', public: true },
    { route: 'GET /me', tokenUse: 'any' },
    { route: 'ANY /admin/{proxy+}', anyOf: [{ groups: ['admins'] }, { scopes: ['bench/admin'] }] },
    {
      route: 'GET /orders/{id}/lines',
      scopes: ['bench/orders.read'],
      claims: { 'custom:tenant': { equals: 'acme', optional: true } },
    },
  ];
  for (const resource of RESOURCES) {
    rules.push(
      { route: `GET /${resource}`, scopes: [`bench/${resource}.read`] },
      { route: `POST /${resource}`, scopes: [`bench/${resource}.write`] },
      { route: `GET /${resource}/{id}`, scopes: [`bench/${resource}.read`] },
      { route: `PUT /${resource}/{id}`, scopes: [`bench/${resource}.write`] },
      { route: `DELETE /${resource}/{id}`, groups: ['admins'] },
    );
  }
  if (rules.length !== 50) throw new Error(`bench: the rule file has ${rules.length} routes, not 50`);
  return { rules };
}

/** A Cognito-shaped access token with a distinct jti, allowed on BENCH_ROUTE (or with the given scope). */
export function benchToken(
  key: TestKey,
  issuer: string,
  jti: string,
  scope = 'bench/orders.read bench/orders.write bench/users.read bench/products.read',
  claims: Record<string, unknown> = {},
): string {
  return signJwt(
    key,
    accessClaims(
      { issuer, clientId: CLIENT_ID },
      {
        jti,
        scope,
        'cognito:groups': ['users', 'ops'],
        username: 'alice',
        ...claims,
      },
    ),
  );
}

/** The signature's middle character changed: the same length and shape, but not what was signed. */
export function tamper(token: string): string {
  const dot = token.lastIndexOf('.');
  const at = dot + Math.floor((token.length - dot) / 2);
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

/** A captured REST v1 REQUEST authorizer event, pointed at `route` and carrying `token` as a bearer. */
export function restEvent(token: string, route: BenchRoute = BENCH_ROUTE): Record<string, any> {
  const event = loadEvent('offline-rest-request-authorizer');
  event.methodArn = `${METHOD_ARN_PREFIX}${route.method}${route.path}`;
  event.httpMethod = route.method;
  event.path = `/prod${route.path}`;
  event.resource = route.resource;
  event.headers = { ...event.headers, Authorization: `Bearer ${token}` };
  event.multiValueHeaders = { ...event.multiValueHeaders, Authorization: [`Bearer ${token}`] };
  event.authorizationToken = `Bearer ${token}`;
  event.identitySource = `Bearer ${token}`;
  return event;
}

/** What the Lambda runtime passes: middy arms its early-timeout timer when getRemainingTimeInMillis exists. */
export function lambdaContext(): Record<string, unknown> {
  return {
    functionName: 'cognito-gate-bench-authorizer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:cognito-gate-bench-authorizer',
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/cognito-gate-bench-authorizer',
    logStreamName: '2026/01/01/[$LATEST]bench',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 5_000,
  };
}

/** Does the answer let the request through: a simple response's isAuthorized, or the IAM policy for `route`. */
export function isAllow(response: unknown, route: BenchRoute = BENCH_ROUTE): boolean {
  const r = response as
    | { isAuthorized?: boolean; policyDocument?: { Statement: { Effect: string; Resource: string[] | string }[] } }
    | undefined;
  if (!r) return false;
  if (typeof r.isAuthorized === 'boolean') return r.isAuthorized;
  const arn = `${METHOD_ARN_PREFIX}${route.method}${route.path}`;
  const statements = r.policyDocument?.Statement ?? [];
  const matches = (resource: string) =>
    new RegExp(
      `^${resource
        .split('*')
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ).test(arn);
  const hits = (effect: string) => statements.some((s) => s.Effect === effect && [s.Resource].flat().some(matches));
  return hits('Allow') && !hits('Deny');
}
