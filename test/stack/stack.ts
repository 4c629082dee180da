import { mkdir } from 'node:fs/promises';

import { type CognitoStandIn, startCognitoStandIn } from './cognito-stand-in.js';
import { type HostedUi, startHostedUi } from './hosted-ui.js';
import { type SeedResult, seedStack } from './seed.js';

export interface StartIdentityStackOptions {
  /** Holds cognito-local's `.cognito/` database, the account state and the logs; reuse it to keep users. */
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
  /** The Cognito stand-in: the admin API (AWS SDK `endpoint`). */
  cognitoEndpoint: string;
  cognito: CognitoStandIn;
  /** Token `iss`: `http://127.0.0.1:<port>/<userPoolId>`. */
  issuer: string;
  /** The hosted UI "domain": `/oauth2/authorize`, `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke`, `/logout`. */
  hostedUiBaseUrl: string;
  jwksUri: string;
  seed: SeedResult;
  stop(): Promise<void>;
}

/** The Cognito stand-in, then the seed, then the hosted UI; stops whatever already started if a later step fails. */
export async function startIdentityStack(options: StartIdentityStackOptions): Promise<IdentityStack> {
  await mkdir(options.stateDir, { recursive: true });
  const cognito = await startCognitoStandIn({ stateDir: options.stateDir, port: options.cognitoPort });
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
      accountState: cognito.accountState,
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
      cognito,
      issuer: started.issuer,
      hostedUiBaseUrl: started.baseUrl,
      jwksUri: started.jwksUri,
      seed,
      stop: async () => {
        // Hosted UI first: it calls the Cognito stand-in while handling requests.
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
