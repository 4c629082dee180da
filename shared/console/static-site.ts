import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { headerValues } from '../http/headers.js';
import { headerValue, methodAndPath } from '../http/proxy-event.js';

/** One file of the built console (npm run console:build writes them; the console function serves them). */
export interface ConsoleAsset {
  /** Relative to /console/: `index.html`, `app-5TQ2VHVK.js`. */
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
  /** Its name carries its content hash, so it may be cached for a year. */
  readonly immutable: boolean;
}

export interface StaticRequest {
  readonly rawPath: string;
  /** The `{proxy+}` part after /console/; absent on the `/console` route itself. */
  readonly file: string | undefined;
  readonly acceptsGzip: boolean;
  readonly ifNoneMatch: string | undefined;
}

/**
 * The page may load its own script and stylesheet and call its own origin, nothing else: no inline code, no
 * CDN, no framing (the admin buttons must not be clickjacked). `form-action` is left out on purpose: the
 * sign-out form's redirect ends at the Cognito hosted UI, another origin, and Chromium checks redirects too.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Smaller bodies are not worth a gzip header. */
const GZIP_MIN_BYTES = 1024;

export function staticRequestOf(event: APIGatewayProxyEventV2): StaticRequest {
  return {
    rawPath: methodAndPath(event).path,
    file: event.pathParameters?.proxy,
    acceptsGzip: acceptsGzip(headerValues(event, 'accept-encoding').join(',')),
    ifNoneMatch: headerValue(event, 'if-none-match'),
  };
}

/** `gzip` listed without `q=0`. */
export function acceptsGzip(acceptEncoding: string): boolean {
  return acceptEncoding.split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** index.html names its script and stylesheet by absolute path, from the path the page was asked at. */
export const CONSOLE_DIR_PLACEHOLDER = '{{consoleDir}}';
const DEFAULT_CONSOLE_DIR = '/console/';
const SAFE_DIR = /^(?:\/[A-Za-z0-9._~-]+)*\/$/;

/**
 * The directory the browser sees the console in: `/console/`, or `/prod/console/` behind a stage. The page is
 * served at `/console` and `/console/` alike (serverless-offline strips the trailing slash, so a redirect from
 * one to the other would loop there), and a relative `app.js` would resolve differently from each.
 */
export function consoleDirOf(request: Pick<StaticRequest, 'rawPath' | 'file'>): string {
  const { rawPath, file } = request;
  let dir: string;
  if (file === undefined || file === '') dir = rawPath.endsWith('/') ? rawPath : `${rawPath}/`;
  else if (rawPath.endsWith(`/${file}`)) dir = rawPath.slice(0, rawPath.length - file.length);
  else return DEFAULT_CONSOLE_DIR;
  return SAFE_DIR.test(dir) ? dir : DEFAULT_CONSOLE_DIR;
}

interface ServedFile {
  readonly asset: ConsoleAsset;
  readonly etag: string;
  gzipped?: string;
}

function servedFile(asset: ConsoleAsset): ServedFile {
  return { asset, etag: `"${createHash('sha256').update(asset.body).digest('base64url').slice(0, 22)}"` };
}

/** Serves the console's files: content type, security headers, cache headers, ETag, and gzip when asked. */
export function createStaticSite(
  assets: readonly ConsoleAsset[],
): (request: StaticRequest) => APIGatewayProxyStructuredResultV2 {
  const files = new Map<string, ServedFile>();
  for (const asset of assets) files.set(asset.path, servedFile(asset));
  const index = files.get('index.html')?.asset;
  if (!index?.body.includes(CONSOLE_DIR_PLACEHOLDER)) {
    throw new Error('the console build has no index.html template: run npm run console:build');
  }
  files.delete('index.html');
  // One rendering per directory the page is reached at: in practice one or two per container.
  const indexByDir = new Map<string, ServedFile>();
  const indexFor = (dir: string): ServedFile => {
    let served = indexByDir.get(dir);
    if (!served) {
      served = servedFile({ ...index, body: index.body.replaceAll(CONSOLE_DIR_PLACEHOLDER, dir) });
      if (indexByDir.size < 16) indexByDir.set(dir, served);
    }
    return served;
  };

  return (request) => {
    const name = request.file === undefined || request.file === '' ? 'index.html' : request.file;
    const served = name === 'index.html' ? indexFor(consoleDirOf(request)) : files.get(name);
    if (!served) {
      return {
        statusCode: 404,
        headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
        body: 'Not found',
      };
    }
    const { asset, etag } = served;
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'content-type': asset.contentType,
      'cache-control': asset.immutable ? IMMUTABLE : 'no-cache',
      etag,
    };
    const compressible = Buffer.byteLength(asset.body) >= GZIP_MIN_BYTES;
    if (compressible) headers.vary = 'accept-encoding';
    if (request.ifNoneMatch?.split(',').some((tag) => tag.trim() === etag)) {
      const { 'content-type': _type, ...notModified } = headers;
      return { statusCode: 304, headers: notModified, body: '' };
    }
    if (compressible && request.acceptsGzip) {
      served.gzipped ??= gzipSync(asset.body).toString('base64');
      return {
        statusCode: 200,
        headers: { ...headers, 'content-encoding': 'gzip' },
        body: served.gzipped,
        isBase64Encoded: true,
      };
    }
    return { statusCode: 200, headers, body: asset.body };
  };
}
