import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { QueryCommandInput, QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import aws4 from 'aws4';
import { type Env, EnvReader } from '../config/env-reader.js';

/**
 * DynamoDB's Query as one SigV4-signed POST to its JSON protocol, over node:https: the authorizer's only call to
 * DynamoDB. Loading the SDK client and sending its first request cost a cold start hundreds of milliseconds under
 * load; this costs about what the POST itself does (bench section "Revocation", cold rows). aws4 signs.
 */

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface DynamoDbQueryOptions {
  readonly region: string;
  /** The local stack's dynalite; unset in AWS, where the region's endpoint is used. */
  readonly endpoint?: string;
  readonly credentials: SigningCredentials;
}

/** Only what the revocation reader reads of an answer: the JSON protocol has the SDK's shapes for S and N. */
export type QueryPage = Pick<QueryCommandOutput, 'Items' | 'LastEvaluatedKey'>;

export interface DynamoDbQuery {
  query(input: QueryCommandInput, signal: AbortSignal): Promise<QueryPage>;
  /** Closes the kept-alive connection. */
  destroy(): void;
}

/** DynamoDB's refusal of a request, named after its error type (e.g. ResourceNotFoundException), as the SDK names it. */
export class DynamoDbError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** The function role's credentials, which the Lambda runtime puts in the environment; read once at cold start. */
export function signingCredentialsFromEnv(env: Env): SigningCredentials {
  const read = new EnvReader(env);
  const purpose = 'to read the revocation table (Lambda sets it from the role)';
  const accessKeyId = read.required('AWS_ACCESS_KEY_ID', purpose);
  const secretAccessKey = read.required('AWS_SECRET_ACCESS_KEY', purpose);
  const sessionToken = read.optional('AWS_SESSION_TOKEN');
  return Object.freeze({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) });
}

// DynamoDB's DNS suffix by partition (the SDK's partitions table); every other region is in `aws`.
const DNS_SUFFIX_BY_REGION_PREFIX: readonly (readonly [string, string])[] = [
  ['cn-', 'amazonaws.com.cn'],
  ['us-isob-', 'sc2s.sgov.gov'],
  ['us-isof-', 'csp.hci.ic.gov'],
  ['us-iso-', 'c2s.ic.gov'],
  ['eu-isoe-', 'cloud.adc-e.uk'],
];

export function regionalEndpoint(region: string): string {
  const suffix = DNS_SUFFIX_BY_REGION_PREFIX.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'amazonaws.com';
  return `https://dynamodb.${region}.${suffix}`;
}

/** The SigV4-signed headers of a POST of `body` to `url`; an `X-Amz-Date` among `headers` pins the signing time. */
export function signedPostHeaders(
  url: URL,
  {
    service,
    region,
    headers,
    body,
  }: { service: string; region: string; headers: Record<string, string>; body: string },
  credentials: SigningCredentials,
): Record<string, string | number> {
  const signed = aws4.sign(
    {
      host: url.hostname,
      ...(url.port ? { port: url.port } : {}),
      path: url.pathname,
      method: 'POST',
      service,
      region,
      headers,
      body,
    },
    credentials,
  );
  return signed.headers;
}

const RETRYABLE_TYPES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);

export function createDynamoDbQuery(options: DynamoDbQueryOptions): DynamoDbQuery {
  const url = new URL(options.endpoint ?? regionalEndpoint(options.region));
  const secure = url.protocol === 'https:';
  // Kept alive: the refreshes every few seconds reuse one connection instead of a TLS handshake each.
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const send = secure ? httpsRequest : httpRequest;

  const attempt = async (body: string, signal: AbortSignal): Promise<QueryPage> => {
    const headers = signedPostHeaders(
      url,
      {
        service: 'dynamodb',
        region: options.region,
        headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.Query' },
        body,
      },
      options.credentials,
    );
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = send(url, { method: 'POST', headers, agent, signal }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.on('error', reject);
        // A connection cut mid-answer must not leave the read waiting until its deadline.
        response.on('close', () => {
          if (!response.complete) reject(new Error('DynamoDB closed the connection before the end of its answer'));
        });
      });
      request.on('error', reject);
      request.end(body);
    });
    if (status === 200) return JSON.parse(text) as QueryPage;
    throw refusal(status, text);
  };

  return {
    async query(input, signal) {
      const body = JSON.stringify(input);
      try {
        return await attempt(body, signal);
      } catch (error) {
        // One retry, as the SDK's maxAttempts 2 gave: a kept-alive connection that DynamoDB closed while the
        // container was frozen fails at once, and throttling or a 5xx is often gone on the next try.
        if (signal.aborted || !retryable(error)) throw error;
        return attempt(body, signal);
      }
    },
    destroy: () => agent.destroy(),
  };
}

function retryable(error: unknown): boolean {
  if (error instanceof DynamoDbError) return error.status >= 500 || RETRYABLE_TYPES.has(error.type);
  return (error as Error | undefined)?.name !== 'AbortError' && !(error instanceof SyntaxError);
}

/** DynamoDB's error answer: `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":...}`. */
function refusal(status: number, text: string): DynamoDbError {
  let type = `HTTP${status}`;
  let message = '';
  try {
    const answer = JSON.parse(text) as { __type?: unknown; message?: unknown; Message?: unknown };
    if (typeof answer.__type === 'string') type = answer.__type.slice(answer.__type.lastIndexOf('#') + 1) || type;
    const said = answer.message ?? answer.Message;
    if (typeof said === 'string') message = said;
  } catch {
    // not JSON (a proxy's page): the status says enough
  }
  return new DynamoDbError(type, status, `DynamoDB answered ${status} ${type}${message ? `: ${message}` : ''}`);
}
