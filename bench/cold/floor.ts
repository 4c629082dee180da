import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';

type Send = (url: string, options: RequestOptions, callback: (res: IncomingMessage) => void) => ClientRequest;

/**
 * The cold-start floor: the least a JWT authorizer can do on its first request. Fetch the JWKS once from the
 * URL the authorizer uses, turn the token's JWK into a KeyObject, one crypto.verify, base64url decode and
 * JSON.parse of header and payload. No claims checks, no rules, no timeout handling.
 */
export function createFloorHandler(sendFor: (url: string) => Send) {
  const jwksUri = process.env.COGNITO_JWKS_URI || `${process.env.COGNITO_ISSUER}/.well-known/jwks.json`;
  let jwks: Promise<{ kid: string }[]> | undefined;
  const keys = new Map<string, KeyObject>();

  function fetchJwks(): Promise<{ kid: string }[]> {
    return new Promise((resolve, reject) => {
      sendFor(jwksUri)(jwksUri, { method: 'GET', headers: { accept: 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve((JSON.parse(Buffer.concat(chunks).toString()) as { keys: { kid: string }[] }).keys);
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
  }

  /** The token's key: the JWKS fetched once, createPublicKey for the one JWK that is used. */
  async function keyFor(kid: string): Promise<KeyObject | undefined> {
    let key = keys.get(kid);
    if (!key) {
      const jwk = (await (jwks ??= fetchJwks())).find((candidate) => candidate.kid === kid);
      if (jwk) keys.set(kid, (key = createPublicKey({ key: jwk as never, format: 'jwk' })));
    }
    return key;
  }

  return async function handler(event: { headers?: Record<string, string>; methodArn: string }) {
    const token = (event.headers?.Authorization ?? '').slice(7);
    const first = token.indexOf('.');
    const second = token.indexOf('.', first + 1);
    const header = JSON.parse(Buffer.from(token.slice(0, first), 'base64url').toString()) as { kid: string };
    const payload = JSON.parse(Buffer.from(token.slice(first + 1, second), 'base64url').toString()) as { sub: string };
    const key = await keyFor(header.kid);
    if (
      !key ||
      !verify('RSA-SHA256', Buffer.from(token.slice(0, second)), key, Buffer.from(token.slice(second + 1), 'base64url'))
    ) {
      throw new Error('Unauthorized');
    }
    return {
      principalId: payload.sub,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
      },
    };
  };
}
