import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { consoleEnabled } from '../../plugins/console.mjs';
import { type LocalDynamoDb, startLocalDynamoDb } from './dynamodb.js';
import { type Offline, startOffline } from './offline.js';
import { assertPortFree, findFreePort, LOOPBACK_HOST } from './ports.js';
import { LOCAL_REGION } from './seed.js';
import { type IdentityStack, startIdentityStack } from './stack.js';

export interface LocalStackPorts {
  cognito: number;
  hostedUi: number;
  http: number;
  lambda: number;
  /** Unset picks a free port. */
  websocket?: number;
}

export interface StartLocalStackOptions {
  stateDir: string;
  /** 0 picks a free port. */
  ports: LocalStackPorts;
  /** serverless-esbuild's work folder, so tests can run beside `npm run dev`. */
  esbuildDir?: string;
}

/** Everything a test or the banner needs to talk to the running product. */
export interface LocalStackInfo {
  /** The web console, unless CONSOLE=off left it out. */
  consoleUrl: string | undefined;
  apiBaseUrl: string;
  restBaseUrl: string;
  webSocketUrl: string;
  hostedUiBaseUrl: string;
  cognitoEndpoint: string;
  issuer: string;
  jwksUri: string;
  userPoolId: string;
  region: string;
  webClient: { clientId: string; clientSecret: string; callbackUrls: string[]; logoutUrls: string[] };
  m2mClient: { clientId: string; clientSecret: string };
  users: { username: string; password: string; email: string; groups: string[] }[];
  cookieSecret: string;
  /** dynalite, with the tables of serverless.yml by logical id. */
  dynamoDb: { endpoint: string; tables: Record<string, string> };
  /** What the functions print (their JSON log lines among it). */
  offlineLogFile: string;
}

export interface LocalStack extends LocalStackInfo {
  identity: IdentityStack;
  offline: Offline;
  dynamo: LocalDynamoDb;
  stop(): Promise<void>;
}

/** A fixed, public secret: the local stack's cookies protect nothing real. Production reads SSM. */
const LOCAL_COOKIE_SECRET = 'local-only-cookie-secret-0123456789abcdef';

/**
 * The settings of every function, for the local issuer. Nobody edits them by hand: they come from the seed. Without
 * a local DynamoDB, revocation is off (it would otherwise look for the table in AWS).
 */
export function functionEnv(
  identity: IdentityStack,
  apiBaseUrl: string,
  dynamoDb?: Pick<LocalDynamoDb, 'endpoint'>,
): Record<string, string> {
  const { seed } = identity;
  return {
    COGNITO_USER_POOL_ID: seed.userPoolId,
    COGNITO_CLIENT_IDS: [seed.webClient.clientId, seed.m2mClient.clientId].join(','),
    COGNITO_ISSUER: identity.issuer,
    COGNITO_JWKS_URI: identity.jwksUri,
    COGNITO_ENDPOINT: identity.cognitoEndpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    OIDC_CLIENT_ID: seed.webClient.clientId,
    OIDC_CLIENT_SECRET: seed.webClient.clientSecret,
    OIDC_CLIENT_SECRET_PARAM: '', // locally the secret is plain text; deployed, it comes from SSM
    OIDC_REDIRECT_URI: `${apiBaseUrl}/auth/callback`,
    OIDC_LOGOUT_ENDPOINT: `${identity.hostedUiBaseUrl}/logout`,
    COOKIE_SECRET: LOCAL_COOKIE_SECRET,
    COOKIE_SECRET_PARAM: '',
    COOKIE_SECURE: 'false',
    PUBLIC_BASE_URL: apiBaseUrl,
    // The console signs out back to itself; `/` stays the default.
    POST_LOGOUT_PATHS: '/,/console/',
    // The M2M token endpoint forwards misses to the hosted-UI stand-in, where a Cognito domain would be.
    COGNITO_TOKEN_ENDPOINT: `${identity.hostedUiBaseUrl}/oauth2/token`,
    // A developer's machine under load (an IDE, a parallel test run) can take seconds where AWS takes
    // milliseconds; a timed-out call fails closed, which serverless-offline shows as a bare 401.
    JWKS_TIMEOUT_MS: '5000',
    REVOCATION_TIMEOUT_MS: '5000',
    // serverless.yml names the table; dynalite has it under that name (test/stack/dynamodb.ts).
    ...(dynamoDb ? { DYNAMODB_ENDPOINT: dynamoDb.endpoint } : { REVOCATION: 'off' }),
  };
}

/** cognito-local, the seed, the hosted UI and dynalite, then the service under serverless-offline configured for them. */
export async function startLocalStack(options: StartLocalStackOptions): Promise<LocalStack> {
  await mkdir(options.stateDir, { recursive: true });
  // The API port comes first: the app client's callback URLs name it.
  const httpPort = options.ports.http === 0 ? await findFreePort() : options.ports.http;
  await assertPortFree('serverless-offline (HTTP)', httpPort);
  const apiBaseUrl = `http://${LOOPBACK_HOST}:${httpPort}`;
  const dynamo = await startLocalDynamoDb();
  let identity: IdentityStack;
  try {
    identity = await startIdentityStack({
      stateDir: options.stateDir,
      cognitoPort: options.ports.cognito,
      hostedUiPort: options.ports.hostedUi,
      callbackUrls: [`${apiBaseUrl}/auth/callback`],
      logoutUrls: [`${apiBaseUrl}/`, `${apiBaseUrl}/console/`],
    });
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  const offlineLogFile = join(options.stateDir, 'serverless-offline.log');
  let offline: Offline;
  try {
    offline = await startOffline({
      httpPort,
      lambdaPort: options.ports.lambda,
      webSocketPort: options.ports.websocket,
      env: functionEnv(identity, apiBaseUrl, dynamo),
      esbuildDir: options.esbuildDir,
      logFile: offlineLogFile,
    });
  } catch (error) {
    await identity.stop();
    await dynamo.stop();
    throw error;
  }
  const { seed } = identity;
  return {
    consoleUrl: consoleEnabled(process.env.CONSOLE) ? `${offline.baseUrl}/console/` : undefined,
    apiBaseUrl: offline.baseUrl,
    restBaseUrl: offline.restBaseUrl,
    webSocketUrl: offline.webSocketUrl,
    hostedUiBaseUrl: identity.hostedUiBaseUrl,
    cognitoEndpoint: identity.cognitoEndpoint,
    issuer: identity.issuer,
    jwksUri: identity.jwksUri,
    userPoolId: seed.userPoolId,
    region: seed.region,
    webClient: {
      ...seed.webClient,
      callbackUrls: [...seed.webClient.callbackUrls],
      logoutUrls: [...seed.webClient.logoutUrls],
    },
    m2mClient: { clientId: seed.m2mClient.clientId, clientSecret: seed.m2mClient.clientSecret },
    users: seed.users.map(({ username, password, email, groups }) => ({
      username,
      password,
      email,
      groups: [...groups],
    })),
    cookieSecret: LOCAL_COOKIE_SECRET,
    dynamoDb: { endpoint: dynamo.endpoint, tables: { ...dynamo.tables } },
    offlineLogFile,
    identity,
    offline,
    dynamo,
    async stop() {
      await offline.stop();
      await identity.stop();
      await dynamo.stop();
    },
  };
}

export function stackInfo(stack: LocalStack): LocalStackInfo {
  const { identity: _identity, offline: _offline, dynamo: _dynamo, stop: _stop, ...info } = stack;
  return info;
}
