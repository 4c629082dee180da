import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadEvent } from '../support/fixtures.js';

/**
 * The console function as Lambda runs it, over the files the build produced (the local stack's
 * serverless-offline start builds them first), with real HTTP API events.
 */
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
let handler: Handler;

function consoleEvent(rawPath: string, proxy?: string): APIGatewayProxyEventV2 {
  const event = loadEvent<APIGatewayProxyEventV2>('http-payload-v2.aws-docs');
  event.rawPath = rawPath;
  event.requestContext.http.path = rawPath;
  event.rawQueryString = '';
  event.routeKey = proxy === undefined ? 'GET /console' : 'GET /console/{proxy+}';
  event.pathParameters = proxy === undefined ? {} : { proxy };
  event.headers = { accept: 'text/html' };
  event.body = undefined;
  return event;
}

describe('the console function', () => {
  beforeAll(async () => {
    vi.stubEnv('ADMIN_GROUP', 'console-admins');
    ({ handler } = (await import('../../functions/console/handler.js')) as { handler: Handler });
  });

  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('serves the built page, linking the built script by its hashed name', async () => {
    // Act
    const page = await handler(consoleEvent('/console'), {} as Context);
    const scriptPath = /src="\/console\/([^"]+)"/.exec(String(page.body))?.[1] ?? '';
    const script = await handler(consoleEvent(`/console/${scriptPath}`, scriptPath), {} as Context);
    // Assess
    expect(page.statusCode).toBe(200);
    expect(scriptPath).toMatch(/^app-[A-Z0-9]+\.js$/);
    expect(script.statusCode).toBe(200);
    expect(script.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('tells the page which group is the admin group, from ADMIN_GROUP', async () => {
    // Act
    const settings = await handler(consoleEvent('/console/settings.json', 'settings.json'), {} as Context);
    // Assess
    expect(settings.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(String(settings.body))).toEqual({ adminGroup: 'console-admins' });
  });
});
