import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors/gate-error.js';
import {
  createDynamoDbQuery,
  type DynamoDbQuery,
  regionalEndpoint,
  signedPostHeaders,
  signingCredentialsFromEnv,
} from '../../../shared/revocation/dynamodb-query.js';
import { entryFor, REVOCATION_PARTITION, toItem } from '../../../shared/revocation/revocation-store.js';
import { createLocalDynamoDbClient, tablesOfServerlessYml } from '../../stack/dynamodb.js';
import { LOOPBACK_HOST } from '../../stack/ports.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const ROLE = { accessKeyId: 'ASIALOCALROLE', secretAccessKey: 'local-secret', sessionToken: 'local-session-token' };

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK_HOST, resolve));
  return `http://${LOOPBACK_HOST}:${(server.address() as AddressInfo).port}`;
}
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

describe('signing: the SigV4 test suite AWS publishes', () => {
  it('signs the suite\'s "post-vanilla" request to the published Authorization header', () => {
    // Prepare: the suite's request, credentials and time (aws-sig-v4-test-suite/post-vanilla)
    const request = new URL('https://example.amazonaws.com/');
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
    // Act
    const headers = signedPostHeaders(
      request,
      { service: 'service', region: 'us-east-1', headers: { 'X-Amz-Date': '20150830T123600Z' }, body: '' },
      credentials,
    );
    // Assess: post-vanilla.authz, as published
    expect(headers.Authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    );
  });
});

describe('the signed Query, against dynalite', () => {
  let server: Server;
  let endpoint: string;
  let raw: DynamoDBClient;
  let tableName: string;
  let seen: IncomingHttpHeaders[] = [];
  let dynamoDb: DynamoDbQuery;

  beforeAll(async () => {
    server = dynalite({ createTableMs: 0 });
    // dynalite checks that a request is signed, not the signature: the test reads what was sent
    server.on('request', (request) => seen.push(request.headers));
    endpoint = await listen(server);
    raw = createLocalDynamoDbClient(endpoint);
    const schema = (await tablesOfServerlessYml()).RevocationTable!;
    tableName = schema.TableName!;
    await raw.send(new CreateTableCommand(schema));
    const entry = entryFor('session', 'origin-1', 'logout', { now: T0, tokenLifetimeSeconds: 86_400 });
    await raw.send(new PutItemCommand({ TableName: tableName, Item: toItem(entry, 'logout', T0) }));
  });
  afterAll(async () => {
    raw.destroy();
    await close(server);
  });
  beforeEach(() => {
    seen = [];
    dynamoDb = createDynamoDbQuery({ region: 'eu-west-1', endpoint, credentials: ROLE });
  });
  afterEach(() => dynamoDb.destroy());

  const query = (table = tableName) =>
    dynamoDb.query(
      {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: REVOCATION_PARTITION } },
      },
      AbortSignal.timeout(2000),
    );

  it('gets the items in the shapes the SDK gives', async () => {
    // Act
    const page = await query();
    // Assess
    expect(page.Items).toEqual([expect.objectContaining({ subject: { S: 'origin-1' }, revokedAt: { N: String(T0) } })]);
    expect(page.LastEvaluatedKey).toBeUndefined();
  });

  it("sends DynamoDB's JSON protocol, signed for dynamodb in the function's region with the role's session token", async () => {
    // Act
    await query();
    // Assess
    expect(seen).toHaveLength(1);
    const [headers] = seen;
    expect(headers).toMatchObject({
      'x-amz-target': 'DynamoDB_20120810.Query',
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-security-token': ROLE.sessionToken,
      host: new URL(endpoint).host,
    });
    expect(headers?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIALOCALROLE\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
  });

  it("rejects with DynamoDB's error type and message when the table does not exist, and does not retry", async () => {
    // Act
    const error = await query('no-such-table').catch((failure: unknown) => failure as Error);
    // Assess
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
    expect((error as Error).message).toMatch(/^DynamoDB answered 400 ResourceNotFoundException: \S/);
    expect(seen).toHaveLength(1);
  });
});

/** A stand-in for what dynalite never does (throttle, fail): it answers each request with the next scripted reply. */
describe('the signed Query, against a stand-in that throttles and fails', () => {
  let server: Server;
  let endpoint: string;
  let replies: { status: number; body: string }[];
  let requests: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests++;
      request.resume().on('end', () => {
        const reply = replies.shift() ?? { status: 500, body: '{}' };
        response.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.0' }).end(reply.body);
      });
    });
    endpoint = await listen(server);
  });
  afterAll(() => close(server));
  beforeEach(() => {
    requests = 0;
  });

  const queryOnce = async () => {
    const dynamoDb = createDynamoDbQuery({ region: 'us-east-1', endpoint, credentials: ROLE });
    try {
      return await dynamoDb.query({ TableName: 't' }, AbortSignal.timeout(2000));
    } finally {
      dynamoDb.destroy();
    }
  };
  const throttled = {
    status: 400,
    body: '{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}',
  };

  it('retries a throttled read once and returns the second answer', async () => {
    // Prepare
    replies = [throttled, { status: 200, body: '{"Items":[],"Count":0}' }];
    // Act
    const page = await queryOnce();
    // Assess
    expect(page.Items).toEqual([]);
    expect(requests).toBe(2);
  });

  it('gives up after the second failure, with the error of the last answer', async () => {
    // Prepare
    replies = [
      { status: 500, body: '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"x"}' },
      { status: 503, body: '<html>Service Unavailable</html>' },
    ];
    // Act
    const error = await queryOnce().catch((failure: unknown) => failure as Error);
    // Assess
    expect(error).toMatchObject({ name: 'HTTP503', status: 503, message: 'DynamoDB answered 503 HTTP503' });
    expect(requests).toBe(2);
  });
});

describe('signing credentials from the environment the Lambda runtime sets', () => {
  it("takes the role's key, secret and session token", () => {
    // Act
    const credentials = signingCredentialsFromEnv({
      AWS_ACCESS_KEY_ID: 'ASIAKEY',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });
    // Assess
    expect(credentials).toEqual({ accessKeyId: 'ASIAKEY', secretAccessKey: 'secret', sessionToken: 'token' });
    expect(Object.isFrozen(credentials)).toBe(true);
  });

  it.each([
    ['AWS_ACCESS_KEY_ID', { AWS_SECRET_ACCESS_KEY: 'secret' }],
    ['AWS_SECRET_ACCESS_KEY', { AWS_ACCESS_KEY_ID: 'ASIAKEY', AWS_SECRET_ACCESS_KEY: ' ' }],
  ])('fails naming %s when it is missing', (name, env) => {
    expect(() => signingCredentialsFromEnv(env)).toThrow(
      new ConfigError(`${name} is required to read the revocation table (Lambda sets it from the role)`),
    );
  });
});

describe("DynamoDB's regional endpoint", () => {
  it.each([
    ['eu-west-1', 'https://dynamodb.eu-west-1.amazonaws.com'],
    ['us-gov-west-1', 'https://dynamodb.us-gov-west-1.amazonaws.com'],
    ['cn-north-1', 'https://dynamodb.cn-north-1.amazonaws.com.cn'],
    ['us-iso-east-1', 'https://dynamodb.us-iso-east-1.c2s.ic.gov'],
    ['us-isob-east-1', 'https://dynamodb.us-isob-east-1.sc2s.sgov.gov'],
  ])('of %s is %s', (region, endpoint) => {
    expect(regionalEndpoint(region)).toBe(endpoint);
  });
});
