import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors/gate-error.js';
import { headerValue, isRestEvent, isV2Event } from '../http/proxy-event.js';
import type { AdminEvent } from './admin-event.js';
import type { JsonSchema } from './json-schema.js';

/**
 * Reads the three inputs of an admin request (path parameters, query string, JSON body) from a REST or
 * HTTP API event. Each failure names what was at fault. Schema validation is the caller's next step.
 */

/**
 * The router fills path parameters from the path it matched, so they must come from the path alone:
 * `prepareForRouting` drops what API Gateway put there (already decoded, and it would win over the router's)
 * and strips an HTTP API stage prefix. REST paths arrive percent-encoded and are decoded in
 * `readPathParameters`; HTTP API paths arrive decoded already.
 */
export function prepareForRouting(event: AdminEvent): void {
  event.pathParameters = undefined;
  if (isV2Event(event)) {
    const { stage, http } = event.requestContext ?? {};
    if (http && stage && stage !== '$default' && http.path.startsWith(`/${stage}/`)) {
      http.path = http.path.slice(stage.length + 1);
    }
  }
}

export function readPathParameters(event: AdminEvent, names: readonly string[]): Record<string, string> {
  const raw = event.pathParameters ?? {};
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = raw[name];
    if (value === undefined) throw new ValidationError(`${name} is required`, name);
    values[name] = isRestEvent(event) ? decodeSegment(name, value) : value;
  }
  return values;
}

function decodeSegment(name: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ValidationError(`${name} is not correctly percent-encoded`, name);
  }
}

/** Query values are strings; those the schema types as integers become numbers when they look like one. */
export function readQuery(event: AdminEvent, schema: JsonSchema | undefined): Record<string, unknown> {
  const raw = (event.queryStringParameters ?? {}) as Record<string, string | undefined>;
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    query[key] = schema?.properties?.[key]?.type === 'integer' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
  }
  return query;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/** The body of a JSON route: present, within the size limit, declared as JSON in UTF-8, and parseable. */
export function readJsonBody(event: AdminEvent, maxBodyBytes: number): unknown {
  const raw = event.body;
  if (raw === null || raw === undefined || raw === '')
    throw new ValidationError('body is required: send a JSON object', 'body');

  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBodyBytes) {
    throw new PayloadTooLargeError(`body is ${bytes.length} bytes; the limit is ${maxBodyBytes}`, {
      field: 'body',
    });
  }

  const contentType = headerValue(event, 'content-type');
  const [mediaType = '', ...params] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  const charset = params
    .find((param) => param.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (!JSON_MEDIA_TYPE.test(mediaType) || (charset !== undefined && charset !== 'utf-8')) {
    throw new UnsupportedMediaTypeError(
      `content-type must be application/json, got ${contentType ? `"${contentType.slice(0, 100)}"` : 'none'}`,
      { field: 'content-type' },
    );
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError('body is not valid UTF-8', 'body');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('body is not valid JSON', 'body');
  }
}
