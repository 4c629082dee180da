import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  acceptsGzip,
  CONSOLE_DIR_PLACEHOLDER,
  type ConsoleAsset,
  consoleDirOf,
  createStaticSite,
  type StaticRequest,
  staticRequestOf,
} from '../../../shared/console/static-site.js';
import { loadEvent } from '../../support/fixtures.js';

const INDEX: ConsoleAsset = {
  path: 'index.html',
  contentType: 'text/html; charset=utf-8',
  body: `<!doctype html><link rel="stylesheet" href="${CONSOLE_DIR_PLACEHOLDER}app-AB12.css"><script type="module" src="${CONSOLE_DIR_PLACEHOLDER}app-CD34.js"></script>`,
  immutable: false,
};
const SCRIPT: ConsoleAsset = {
  path: 'app-CD34.js',
  contentType: 'text/javascript; charset=utf-8',
  body: `console.log(${JSON.stringify('x'.repeat(2000))});`,
  immutable: true,
};
const serve = createStaticSite([INDEX, SCRIPT]);
const request = (overrides: Partial<StaticRequest>): StaticRequest => ({
  rawPath: '/console/',
  file: undefined,
  acceptsGzip: false,
  ifNoneMatch: undefined,
  ...overrides,
});

describe('the console function', () => {
  it('serves the page with a strict CSP, nosniff, no framing, and revalidation', () => {
    // Act
    const response = serve(request({}));
    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-cache',
    });
    expect(response.body).toContain('src="/console/app-CD34.js"');
  });

  it('serves the same page at /console, with the same absolute asset paths (no redirect that could loop)', () => {
    expect(serve(request({ rawPath: '/console' })).body).toBe(serve(request({})).body);
    expect(serve(request({ rawPath: '/console/index.html', file: 'index.html' })).body).toBe(serve(request({})).body);
  });

  it('names the assets from the path the page was reached at, behind a stage too', () => {
    expect(serve(request({ rawPath: '/prod/console' })).body).toContain('href="/prod/console/app-AB12.css"');
  });

  it('falls back to /console/ for a path that could break out of the attribute', () => {
    expect(consoleDirOf({ rawPath: '/x"><script>/console', file: undefined })).toBe('/console/');
    expect(consoleDirOf({ rawPath: '/console/other.html', file: 'index.html' })).toBe('/console/');
  });

  it('caches a hashed asset for a year, with its content type', () => {
    // Act
    const response = serve(request({ rawPath: '/console/app-CD34.js', file: 'app-CD34.js' }));
    // Assess
    expect(response.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'accept-encoding',
    });
    expect(response.body).toBe(SCRIPT.body);
  });

  it('gzips for a browser that accepts it', () => {
    // Act
    const response = serve(request({ rawPath: '/console/app-CD34.js', file: 'app-CD34.js', acceptsGzip: true }));
    // Assess
    expect(response.isBase64Encoded).toBe(true);
    expect(response.headers?.['content-encoding']).toBe('gzip');
    expect(gunzipSync(Buffer.from(String(response.body), 'base64')).toString('utf8')).toBe(SCRIPT.body);
  });

  it('answers 304 to a matching If-None-Match', () => {
    // Prepare
    const etag = String(serve(request({})).headers?.etag);
    // Act
    const response = serve(request({ ifNoneMatch: `"other", ${etag}` }));
    // Assess
    expect(response.statusCode).toBe(304);
    expect(response.body).toBe('');
    expect(response.headers?.etag).toBe(etag);
  });

  it('answers 404, with the same security headers, for a file it does not have', () => {
    // Act
    const response = serve(request({ rawPath: '/console/../../etc/passwd', file: '../../etc/passwd' }));
    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  });

  it('refuses to start without the built index.html', () => {
    expect(() => createStaticSite([SCRIPT])).toThrow('npm run console:build');
  });

  it('reads path, proxy and headers from a real HTTP API event', () => {
    // Prepare
    const event = loadEvent('http-payload-v2.aws-docs');
    event.rawPath = '/console/app-CD34.js';
    event.requestContext.http.path = event.rawPath;
    event.pathParameters = { proxy: 'app-CD34.js' };
    event.headers = { 'accept-encoding': 'gzip, deflate, br', 'if-none-match': '"abc"' };
    // Act
    const parsed = staticRequestOf(event as never);
    // Assess
    expect(parsed).toEqual({
      rawPath: '/console/app-CD34.js',
      file: 'app-CD34.js',
      acceptsGzip: true,
      ifNoneMatch: '"abc"',
    });
  });

  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.5', true],
    ['gzip;q=0', false],
    ['identity', false],
    ['*', true],
    ['', false],
  ])('Accept-Encoding "%s" takes gzip: %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
