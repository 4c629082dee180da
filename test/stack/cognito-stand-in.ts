import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ACCOUNT_STATE_FILE, AccountState } from './account-state.js';
import { accountOperations } from './cognito-account-operations.js';
import { listOperations } from './cognito-list-operations.js';
import { type CognitoLocal, startCognitoLocal } from './cognito-local.js';
import { COGNITO_STAND_IN, type CognitoProxy, startCognitoProxy } from './cognito-proxy.js';
import { assertPortFree, findFreePort } from './ports.js';
import { setAsideUnreadableStateFiles } from './state-files.js';

export interface StartCognitoStandInOptions {
  /** Holds cognito-local's `.cognito/`, the account state and the logs; reuse it to keep users across restarts. */
  stateDir: string;
  /** The port of the Cognito endpoint on 127.0.0.1; 0 picks a free one. */
  port: number;
}

export interface CognitoStandIn {
  /** The AWS SDK `endpoint`: the proxy, with cognito-local behind it. */
  endpoint: string;
  port: number;
  /** Global sign-outs and required resets, for the hosted-UI stand-in. */
  accountState: AccountState;
  cognitoLocal: CognitoLocal;
  stop(): Promise<void>;
}

/** cognito-local on a private port, and in front of it the proxy that adds what cognito-local lacks. */
export async function startCognitoStandIn(options: StartCognitoStandInOptions): Promise<CognitoStandIn> {
  const port = options.port === 0 ? await findFreePort() : options.port;
  await assertPortFree(COGNITO_STAND_IN, port);
  await mkdir(options.stateDir, { recursive: true });
  await setAsideUnreadableStateFiles(options.stateDir);
  const accountState = await AccountState.open(join(options.stateDir, ACCOUNT_STATE_FILE));
  const cognitoLocal = await startCognitoLocal({ stateDir: options.stateDir, port: 0 });
  let proxy: CognitoProxy;
  try {
    proxy = await startCognitoProxy({
      port,
      upstreamEndpoint: cognitoLocal.endpoint,
      operations: { ...accountOperations(accountState), ...listOperations(accountState) },
    });
  } catch (error) {
    await cognitoLocal.stop();
    throw error;
  }
  return {
    endpoint: proxy.endpoint,
    port: proxy.port,
    accountState,
    cognitoLocal,
    stop: async () => {
      await proxy.stop();
      await cognitoLocal.stop();
    },
  };
}
