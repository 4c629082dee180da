import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type AdminConfig, loadAdminConfig } from '../../../../shared/admin/admin-config.js';
import { createLogger, type InvocationLogger } from '../../../../shared/logging/logger.js';

/**
 * Admin requests built on real event shapes: a copy of a fixture from test/fixtures/events, with the method,
 * path, query, body and authorizer context of the case under test. Everything else stays as captured.
 */
const FIXTURES = new URL('../../../fixtures/events/', import.meta.url);

export function loadEvent<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T;
}

/** Flat strings, as the lead's Lambda authorizer passes them on. */
export type AuthorizerContext = Record<string, string>;

export const ADMIN_PERSON: AuthorizerContext = {
  principalId: '3f1b2c4d-admin',
  sub: '3f1b2c4d-admin',
  username: 'ada',
  clientId: '5hq3example',
  tokenUse: 'access',
  scopes: 'openid email',
  groups: 'users,admins',
  email: 'ada@example.com',
};

export const NON_ADMIN_PERSON: AuthorizerContext = {
  principalId: '9e8d7c6b-user',
  sub: '9e8d7c6b-user',
  username: 'bo',
  clientId: '5hq3example',
  tokenUse: 'id',
  scopes: '',
  groups: 'users',
};

export const ADMIN_M2M_CLIENT: AuthorizerContext = {
  principalId: '7m2mclient',
  sub: '7m2mclient',
  username: '',
  clientId: '7m2mclient',
  tokenUse: 'access',
  scopes: 'cognito-gate/read cognito-gate/admin',
  groups: '',
};

export interface AdminRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** A string is sent as is (for "not JSON" cases); anything else is JSON.stringify'd. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** undefined → ADMIN_PERSON; null → the authorizer context is absent. */
  identity?: AuthorizerContext | null;
}

function bodyOf(request: AdminRequest): string | null {
  if (request.rawBody !== undefined) return request.rawBody;
  return request.body === undefined ? null : JSON.stringify(request.body);
}

function queryString(query: Record<string, string> | undefined): string {
  return new URLSearchParams(query ?? {}).toString();
}

/** HTTP API payload 2.0, behind a catch-all `ANY /admin/{proxy+}` route with the Lambda authorizer. */
export function v2Request(request: AdminRequest): APIGatewayProxyEventV2 {
  const event = loadEvent<Record<string, any>>('lambda-authorizer-cookies.aws-lambda-go.json');
  const body = bodyOf(request);
  event.routeKey = 'ANY /admin/{proxy+}';
  event.rawPath = request.path;
  event.rawQueryString = queryString(request.query);
  if (request.query) event.queryStringParameters = request.query;
  else delete event.queryStringParameters;
  event.pathParameters = { proxy: request.path.replace(/^\/admin\//, '') };
  event.headers = {
    'user-agent': 'agent',
    ...(body !== null ? { 'content-type': 'application/json' } : {}),
    ...request.headers,
  };
  event.body = body ?? undefined;
  event.isBase64Encoded = false;
  event.requestContext.routeKey = 'ANY /admin/{proxy+}';
  event.requestContext.http.method = request.method;
  event.requestContext.http.path = request.path;
  const identity = request.identity === undefined ? ADMIN_PERSON : request.identity;
  if (identity === null) delete event.requestContext.authorizer;
  else event.requestContext.authorizer = { lambda: { ...identity } };
  return event as APIGatewayProxyEventV2;
}

/** REST proxy integration (payload 1.0) behind `ANY /admin/{proxy+}`; `path` is sent percent-encoded, as REST does. */
export function restRequest(request: AdminRequest): APIGatewayProxyEvent {
  const event = loadEvent<Record<string, any>>('offline-rest-backend-proxy-event.json');
  const body = bodyOf(request);
  event.httpMethod = request.method;
  event.path = request.path;
  event.resource = '/admin/{proxy+}';
  event.pathParameters = { proxy: decodedOrRaw(request.path.replace(/^\/admin\//, '')) };
  event.queryStringParameters = request.query ?? null;
  event.multiValueQueryStringParameters = request.query
    ? Object.fromEntries(Object.entries(request.query).map(([key, value]) => [key, [value]]))
    : null;
  const headers: Record<string, string> = {
    Host: '127.0.0.1:3000',
    'User-Agent': 'curl/7.88.1',
    ...(body !== null ? { 'Content-Type': 'application/json' } : {}),
    ...request.headers,
  };
  event.headers = headers;
  event.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]]));
  event.body = body;
  event.requestContext.httpMethod = request.method;
  event.requestContext.path = `/dev${request.path}`;
  event.requestContext.resourcePath = '/admin/{proxy+}';
  const identity = request.identity === undefined ? ADMIN_PERSON : request.identity;
  if (identity === null) delete event.requestContext.authorizer;
  else event.requestContext.authorizer = { ...identity };
  return event as APIGatewayProxyEvent;
}

function decodedOrRaw(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function lambdaContext(awsRequestId = 'c0ffee00-0000-4000-8000-000000000001'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'cognito-gate-dev-admin',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:cognito-gate-dev-admin',
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: '/aws/lambda/cognito-gate-dev-admin',
    logStreamName: '2026/11/24/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function testConfig(env: Record<string, string> = {}): Readonly<AdminConfig> {
  return loadAdminConfig({ COGNITO_USER_POOL_ID: 'us-east-1_TestPool1', AWS_REGION: 'us-east-1', ...env });
}

/** A logger whose lines the test can read, parsed. */
export function captureLogger(): {
  logger: InvocationLogger;
  lines: string[];
  audit: () => Array<Record<string, any>>;
} {
  const lines: string[] = [];
  const logger = createLogger('admin', { level: 'debug', write: (line) => lines.push(line) });
  const audit = () =>
    lines
      .map((line) => JSON.parse(line) as Record<string, any>)
      .filter((entry) => entry.message === 'admin audit')
      .map((entry) => entry.audit);
  return { logger, lines, audit };
}

export function parseBody(result: { body?: string }): any {
  return result.body ? JSON.parse(result.body) : undefined;
}
