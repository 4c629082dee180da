import { createHmac, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, string>;
}

export function generateTestKey(kid = `kid-${Math.random().toString(36).slice(2, 10)}`): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

export function jwksOf(...keys: TestKey[]): { keys: Record<string, string>[] } {
  return { keys: keys.map((key) => key.publicJwk) };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(key: TestKey, payload: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const head = b64({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header });
  const body = b64(payload);
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key.privateKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}

/**
 * A JWT signed over exactly the JSON text given, for what JSON.stringify cannot write: duplicate members, a literal
 * `__proto__` member, escapes, whitespace.
 */
export function signJwtText(key: TestKey, headerJson: string, payloadJson: string): string {
  const head = Buffer.from(headerJson).toString('base64url');
  const body = Buffer.from(payloadJson).toString('base64url');
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key.privateKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}

/** The classic algorithm-confusion attack: HS256 keyed with the RSA public key. */
export function signHs256WithPublicKey(key: TestKey, payload: Record<string, unknown>): string {
  const head = b64({ alg: 'HS256', typ: 'JWT', kid: key.kid });
  const body = b64(payload);
  const pem = key.privateKey.export({ format: 'pem', type: 'pkcs1' });
  const signature = createHmac('sha256', pem).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

export function unsignedJwt(payload: Record<string, unknown>, kid: string): string {
  return `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(payload)}.`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface IssuerFixture {
  issuer: string;
  clientId: string;
}

export function accessClaims(fixture: IssuerFixture, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return {
    sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    iss: fixture.issuer,
    client_id: fixture.clientId,
    origin_jti: 'origin',
    event_id: 'event',
    token_use: 'access',
    scope: 'cognito-gate/read',
    auth_time: now,
    exp: now + 3600,
    iat: now,
    jti: Math.random().toString(36).slice(2),
    username: 'alice',
    'cognito:groups': ['users'],
    ...overrides,
  };
}

export function idClaims(fixture: IssuerFixture, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return {
    sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    iss: fixture.issuer,
    aud: fixture.clientId,
    token_use: 'id',
    email: 'alice@example.com',
    email_verified: true,
    'cognito:username': 'alice',
    'cognito:groups': ['users'],
    auth_time: now,
    exp: now + 3600,
    iat: now,
    ...overrides,
  };
}
