import { mkdir } from 'node:fs/promises';

import { type CognitoLocal, startCognitoLocal } from './cognito-local.js';
import { type HostedUi, startHostedUi } from './hosted-ui.js';
import { type SeedResult, seedStack } from './seed.js';

export interface StartIdentityStackOptions {
  /** Holds cognito-local's `.cognito/` database and its log; reuse it to keep users across restarts. */
  stateDir: string;
  /** 0 picks a free port. */
  cognitoPort: number;
  /** 0 picks a free port. */
  hostedUiPort: number;
  /** The app's OAuth callback URLs (web client redirect URIs). */
  callbackUrls: string[];
  /** The app's sign-out URLs (`logout_uri` values accepted by `/logout`). */
  logoutUrls: string[];
}

export interface IdentityStack {
  /** cognito-local: the admin API (AWS SDK `endpoint`). */
  cognitoEndpoint: string;
  /** Token `iss`: `http://127.0.0.1:<port>/<userPoolId>`. */
  issuer: string;
  /** The hosted UI "domain": `/oauth2/authorize`, `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke`, `/logout`. */
  hostedUiBaseUrl: string;
  jwksUri: string;
  seed: SeedResult;
  stop(): Promise<void>;
}

/** cognito-local, then the seed, then the hosted UI; stops whatever already started if a later step fails. */
export async function startIdentityStack(options: StartIdentityStackOptions): Promise<IdentityStack> {
  await mkdir(options.stateDir, { recursive: true });
  const cognito: CognitoLocal = await startCognitoLocal({ stateDir: options.stateDir, port: options.cognitoPort });
  let hostedUi: HostedUi | undefined;
  try {
    const seed = await seedStack({
      cognitoEndpoint: cognito.endpoint,
      callbackUrls: options.callbackUrls,
      logoutUrls: options.logoutUrls,
    });
    hostedUi = await startHostedUi({
      port: options.hostedUiPort,
      userPoolId: seed.userPoolId,
      cognitoEndpoint: cognito.endpoint,
      webClient: {
        clientId: seed.webClient.clientId,
        clientSecret: seed.webClient.clientSecret,
        redirectUris: seed.webClient.callbackUrls,
        postLogoutRedirectUris: seed.webClient.logoutUrls,
      },
      m2mClient: seed.m2mClient,
    });
    const started = hostedUi;
    return {
      cognitoEndpoint: cognito.endpoint,
      issuer: started.issuer,
      hostedUiBaseUrl: started.baseUrl,
      jwksUri: started.jwksUri,
      seed,
      stop: async () => {
        // Hosted UI first: it calls cognito-local while handling requests.
        await started.stop();
        await cognito.stop();
      },
    };
  } catch (error) {
    await hostedUi?.stop();
    await cognito.stop();
    throw error;
  }
}
