import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/** Stand-in for functions/admin/handler.ts when that does not build: the SDK import and one client. */
const client = new CognitoIdentityProviderClient({ region: process.env.AWS_REGION });

export async function handler() {
  return { statusCode: 200, body: String(typeof client.send) };
}
