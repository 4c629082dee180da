import type { GetParameterCommand as GetParameterCommandType, SSMClient } from '@aws-sdk/client-ssm';
import { fetchOnce } from '../cache/fetch-once.js';
import { UpstreamError } from '../errors/gate-error.js';
import { checkCookieSecret, type SecretSetting } from './auth-config.js';
import { CookieSealer } from './seal.js';

/** Reads one SSM parameter's decrypted value. */
export type ParameterFetcher = (name: string) => Promise<string>;

export interface AuthSecrets {
  clientSecret(): Promise<string>;
  cookieSealer(): Promise<CookieSealer>;
}

/**
 * SSM GetParameter (WithDecryption) through the AWS SDK that the Lambda runtime ships. The SDK is imported
 * only when a parameter is first read, so a cold start with env secrets (the local stack) never loads it.
 */
export function ssmParameterFetcher(): ParameterFetcher {
  let sdk: Promise<{ client: SSMClient; GetParameterCommand: typeof GetParameterCommandType }> | undefined;
  return async (name) => {
    sdk ??= import('@aws-sdk/client-ssm').then(({ SSMClient, GetParameterCommand }) => ({
      client: new SSMClient({}),
      GetParameterCommand,
    }));
    const { client, GetParameterCommand } = await sdk;
    const { Parameter } = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    if (typeof Parameter?.Value !== 'string' || Parameter.Value === '')
      throw new Error(`SSM parameter ${name} has no value`);
    return Parameter.Value;
  };
}

/** The client secret and the cookie secret, each read once per container (SSM in AWS, env on loopback). */
export function createAuthSecrets(
  settings: { clientSecret: SecretSetting; cookieSecret: SecretSetting },
  fetchParameter: ParameterFetcher = ssmParameterFetcher(),
): AuthSecrets {
  const read = async (setting: SecretSetting): Promise<string> => {
    if (setting.source === 'env') return setting.value;
    try {
      return await fetchParameter(setting.parameterName);
    } catch (error) {
      // The parameter's name is config, not a secret; the SDK error's name says what went wrong.
      throw new UpstreamError(
        `could not read the SSM parameter named by ${setting.variable} (${(error as Error | undefined)?.name ?? 'error'})`,
        { cause: error },
      );
    }
  };
  return {
    clientSecret: fetchOnce(() => read(settings.clientSecret)),
    cookieSealer: fetchOnce(
      async () =>
        new CookieSealer(checkCookieSecret(await read(settings.cookieSecret), settings.cookieSecret.variable)),
    ),
  };
}
