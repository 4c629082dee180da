import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';
import { CLIENT_ID } from './fixtures.js';

/** What every warm variant answers: the decision, or a throw for Unauthorized. */
export type Decide = (event: Record<string, any>) => Promise<unknown>;

/**
 * (a) The floor: what any JWT authorizer must at least do. One RSA-SHA256 verification against a KeyObject
 * created ahead of time, and the base64url decode and JSON.parse of header and payload. Synchronous.
 */
export function createFloor(jwk: Record<string, string>): (token: string) => { header: unknown; payload: unknown } {
  const key: KeyObject = createPublicKey({ key: jwk, format: 'jwk' });
  return (token) => {
    const first = token.indexOf('.');
    const second = token.indexOf('.', first + 1);
    const header = JSON.parse(Buffer.from(token.slice(0, first), 'base64url').toString());
    const payload = JSON.parse(Buffer.from(token.slice(first + 1, second), 'base64url').toString());
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(token.slice(0, second)),
      key,
      Buffer.from(token.slice(second + 1), 'base64url'),
    );
    if (!ok) throw new Error('Unauthorized');
    return { header, payload };
  };
}

function bearerOf(event: Record<string, any>): string {
  const header: unknown = event.headers?.Authorization ?? event.headers?.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) throw new Error('Unauthorized');
  return header.slice(7);
}

/** The policy the tutorials return: Allow this one method ARN. */
function generatePolicy(principalId: string, methodArn: string, context: Record<string, string>) {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn }],
    },
    context,
  };
}

function checkCognitoAccess(payload: Record<string, any>): void {
  if (payload.token_use !== 'access' || payload.client_id !== CLIENT_ID) throw new Error('Unauthorized');
}

/**
 * (b) The common tutorial: jwt.decode for the kid, jwks-rsa's getSigningKey (with its cache) per request,
 * jwt.verify with the PEM.
 */
export function createJsonwebtokenAuthorizer(jwksUri: string, issuer: string): Decide {
  const client = jwksClient({
    jwksUri,
    cache: true,
    cacheMaxEntries: 5,
    cacheMaxAge: 600_000,
    rateLimit: true,
    jwksRequestsPerMinute: 10,
  });
  return async (event) => {
    const token = bearerOf(event);
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload === 'string') throw new Error('Unauthorized');
    let payload: jwt.JwtPayload;
    try {
      const key = await client.getSigningKey(decoded.header.kid);
      payload = jwt.verify(token, key.getPublicKey(), { algorithms: ['RS256'], issuer }) as jwt.JwtPayload;
    } catch {
      throw new Error('Unauthorized');
    }
    checkCognitoAccess(payload);
    return generatePolicy(payload.sub!, event.methodArn, { sub: payload.sub!, scopes: String(payload.scope ?? '') });
  };
}

/** (c) The same on jose: createRemoteJWKSet once, jwtVerify per request. */
export function createJoseAuthorizer(jwksUri: string, issuer: string): Decide {
  const jwks = createRemoteJWKSet(new URL(jwksUri));
  return async (event) => {
    const token = bearerOf(event);
    let payload: Record<string, any>;
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer, algorithms: ['RS256'] }));
    } catch {
      throw new Error('Unauthorized');
    }
    checkCognitoAccess(payload);
    return generatePolicy(payload.sub!, event.methodArn, { sub: payload.sub!, scopes: String(payload.scope ?? '') });
  };
}
