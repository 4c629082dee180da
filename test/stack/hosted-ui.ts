import { generateKeyPair, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import Provider from 'oidc-provider';

import type { AccountState } from './account-state.js';
import { type SignOutCheck, trackGlobalSignOuts } from './global-sign-out.js';
import { type AppClient, cognitoProviderConfiguration, type WebAppClient } from './hosted-ui/provider-configuration.js';
import { useCognitoRoutes } from './hosted-ui/routes.js';
import { UserDirectory } from './hosted-ui/user-directory.js';
import { LOOPBACK_HOST, PortInUseError } from './ports.js';
import { createLocalCognitoClient } from './seed.js';

// The pieces: hosted-ui/provider-configuration.ts (oidc-provider set up as Cognito behaves), cognito-claims.ts
// (what Cognito puts in its tokens), login-form.ts (the sign-in page), routes.ts (the routes Cognito adds), and
// user-directory.ts (users, passwords and groups, read from cognito-local).

/** The app clients registered with the hosted UI: the web client's code flow, and the M2M client's. */
export type HostedUiWebClient = WebAppClient;
export type HostedUiM2mClient = AppClient;

export interface StartHostedUiOptions {
  /** Port to bind on 127.0.0.1; 0 picks a free one. */
  port: number;
  userPoolId: string;
  /** cognito-local endpoint: the user directory that passwords, groups and attributes come from. */
  cognitoEndpoint: string;
  /** Global sign-outs of the Cognito stand-in: tokens issued before one are refused. */
  accountState?: AccountState;
  webClient: HostedUiWebClient;
  m2mClient: HostedUiM2mClient;
}

export interface HostedUi {
  /** `http://127.0.0.1:<port>/<userPoolId>`: the `iss` of every token, like Cognito's pool URL. */
  issuer: string;
  /** `http://127.0.0.1:<port>`: where `/oauth2/*` and `/logout` live, like a Cognito domain. */
  baseUrl: string;
  jwksUri: string;
  port: number;
  stop(): Promise<void>;
}

const SERVICE = 'hosted UI';

async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const jwk = (privateKey as KeyObject).export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, n: jwk.n, e: jwk.e }, 'sha256');
  return { ...jwk, kid, alg: 'RS256', use: 'sig' };
}

function publicPart(jwk: JWK): JWK {
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: jwk.kid, alg: jwk.alg, use: jwk.use };
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolveListen, rejectListen) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      rejectListen(error.code === 'EADDRINUSE' ? new PortInUseError(SERVICE, port) : error);
    };
    server.once('error', onError);
    server.listen(port, LOOPBACK_HOST, () => {
      server.removeListener('error', onError);
      resolveListen();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('hosted UI server has no TCP address');
  }
  return address.port;
}

/**
 * Starts an oidc-provider shaped like the Cognito hosted UI and its OAuth 2.0 endpoints,
 * with passwords, groups and attributes read from cognito-local at sign-in and at token issue.
 */
export async function startHostedUi(options: StartHostedUiOptions): Promise<HostedUi> {
  const { userPoolId, webClient, m2mClient } = options;
  // Two keys like Cognito (ID tokens and access tokens carry different kids), so verifiers must pick by kid.
  const [idTokenKey, accessTokenKey] = await Promise.all([generateSigningKey(), generateSigningKey()]);
  const publicJwks = { keys: [publicPart(idTokenKey), publicPart(accessTokenKey)] };

  // Bind first: with port 0 the issuer URL is only known once the kernel has picked the port.
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler === undefined) {
      res.statusCode = 503;
      res.end();
      return;
    }
    handler(req, res);
  });
  const port = await listen(server, options.port);
  const baseUrl = `http://${LOOPBACK_HOST}:${port}`;
  const issuer = `${baseUrl}/${userPoolId}`;
  const jwksPath = `/${userPoolId}/.well-known/jwks.json`;

  const cognito = createLocalCognitoClient(options.cognitoEndpoint);
  const directory = new UserDirectory(cognito, userPoolId, webClient);

  let signOuts: SignOutCheck | undefined;
  const provider = new Provider(
    issuer,
    cognitoProviderConfiguration({
      baseUrl,
      jwksPath,
      webClient,
      m2mClient,
      keys: { idTokenKey, accessTokenKey },
      directory,
      signOuts: () => signOuts!,
    }),
  );
  signOuts = trackGlobalSignOuts(provider, (username) => options.accountState?.signedOutAt(userPoolId, username));
  provider.on('server_error', (_ctx: unknown, error: Error) => {
    // Only the message: stacks and contexts could carry request parameters.
    console.error(`[hosted UI] server_error: ${error.message}`);
  });
  useCognitoRoutes(provider, { issuer, baseUrl, userPoolId, webClient, publicJwks, directory, signOuts });

  handler = provider.callback();

  let stopped = false;
  return {
    issuer,
    baseUrl,
    jwksUri: `${baseUrl}${jwksPath}`,
    port,
    stop: async () => {
      if (stopped) {
        return;
      }
      stopped = true;
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      // fetch keeps sockets alive; without this close() would wait for their idle timeout.
      server.closeAllConnections();
      await closed;
      cognito.destroy();
    },
  };
}
