import { type AdminRouteSpec, pathParameterNames } from './admin-routes.js';
import { ERROR_RESPONSE, PATH_PARAMETER_SCHEMAS } from './admin-schemas.js';
import type { JsonSchema } from './json-schema.js';

/** An OpenAPI 3.1 document of the admin API, generated from the route table and the schemas we enforce. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  security: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters: Array<{ name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema }>;
  requestBody?: { required: true; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, unknown>;
}

const ERROR_STATUSES: Record<number, string> = {
  400: 'Invalid input; `error.field` names it',
  401: 'No caller identity',
  403: 'The caller is not an admin, or Cognito refuses the operation',
  404: 'No such user, group or route',
  409: 'Conflicts with existing state (user or group exists; user state forbids it)',
  413: 'Body over the size limit (ADMIN_MAX_BODY_BYTES)',
  415: 'Body is not application/json',
  429: 'Throttled by Cognito; see Retry-After',
  500: 'Internal error',
};

export function buildOpenApiDocument(routes: readonly AdminRouteSpec[], version = '1.0.0'): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const operations = (paths[route.path] ??= {});
    operations[route.method.toLowerCase()] = operationOf(route);
  }
  const responses: Record<string, unknown> = {};
  for (const [status, description] of Object.entries(ERROR_STATUSES)) {
    responses[`Error${status}`] = {
      description,
      ...(status === '429'
        ? { headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } } }
        : {}),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'cognito-gate admin API',
      version,
      description:
        'Manage the users and groups of one Cognito user pool. Callers need the admin group (people) or the ' +
        'admin scope (M2M clients); both the API Gateway authorizer and the function itself check this.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: { Error: ERROR_RESPONSE },
      responses,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

function operationOf(route: AdminRouteSpec): OpenApiOperation {
  const parameters: OpenApiOperation['parameters'] = pathParameterNames(route.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: PATH_PARAMETER_SCHEMAS[name] ?? { type: 'string' },
  }));
  for (const [name, schema] of Object.entries(route.query?.properties ?? {})) {
    parameters.push({ name, in: 'query', required: route.query?.required?.includes(name) ?? false, schema });
  }

  const responses: Record<string, unknown> = {
    [route.status]:
      route.status === 204 || !route.response
        ? { description: 'Done' }
        : { description: 'OK', content: { 'application/json': { schema: route.response } } },
  };
  const errors = [400, 401, 403, 404, 429, 500];
  if (route.method !== 'GET') errors.push(409);
  if (route.body) errors.push(413, 415);
  for (const status of errors.sort((a, b) => a - b))
    responses[status] = { $ref: `#/components/responses/Error${status}` };

  return {
    operationId: route.action.replace(/[._](\w)/g, (_, letter: string) => letter.toUpperCase()),
    summary: route.summary,
    tags: [route.action.split('.')[0] ?? 'admin'],
    parameters,
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
    responses,
  };
}
