import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { createAdminHandler, createAdminRoutes } from '../../../functions/admin/create-handler.js';
import { ADMIN_ROUTES } from '../../../shared/admin/admin-routes.js';
import { buildOpenApiDocument } from '../../../shared/admin/openapi-document.js';
import { captureLogger, lambdaContext, parseBody, testConfig, v2Request } from './support/admin-events.js';

const client = new CognitoIdentityProviderClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

function operationsOf(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

describe('the OpenAPI document', () => {
  it("lists exactly the router's routes, method for method", () => {
    // Prepare
    const routes = createAdminRoutes({ config: testConfig(), client, logger: captureLogger().logger });
    // Act
    const documented = operationsOf(buildOpenApiDocument(ADMIN_ROUTES));
    // Assess
    expect(documented).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
    expect(documented).toHaveLength(16);
  });

  it('is served at GET /admin/openapi.json as OpenAPI 3.1, and matches the routes', async () => {
    // Prepare
    const capture = captureLogger();
    const handler = createAdminHandler({ config: testConfig(), client, logger: capture.logger });
    const routes = createAdminRoutes({ config: testConfig(), client, logger: capture.logger });
    // Act
    const result = await handler(v2Request({ method: 'GET', path: '/admin/openapi.json' }), lambdaContext());
    // Assess
    const document = parseBody(result);
    expect(result.statusCode).toBe(200);
    expect(document.openapi).toBe('3.1.0');
    expect(operationsOf(document)).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('documents the request body schema that the handler enforces', () => {
    // Act
    const document = buildOpenApiDocument(ADMIN_ROUTES);
    // Assess
    const create = document.paths['/admin/users']?.post;
    expect(create?.requestBody?.content['application/json'].schema).toBe(
      ADMIN_ROUTES.find((route) => route.action === 'user.create')?.body,
    );
    expect(Object.keys(create?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '429', '500']),
    );
  });

  it('declares every path parameter of every route', () => {
    // Act
    const document = buildOpenApiDocument(ADMIN_ROUTES);
    // Assess
    for (const [path, operations] of Object.entries(document.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const operation of Object.values(operations)) {
        expect(
          operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
        ).toEqual(names);
      }
    }
  });

  it('gives each operation a unique operationId', () => {
    // Act
    const ids = Object.values(buildOpenApiDocument(ADMIN_ROUTES).paths).flatMap((operations) =>
      Object.values(operations).map((operation) => operation.operationId),
    );
    // Assess
    expect(new Set(ids).size).toBe(ids.length);
  });
});
