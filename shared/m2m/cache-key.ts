import { createHmac } from 'node:crypto';

/**
 * Where a token for one (client id, secret, scope set) lives, and the key that seals it. Both come from
 * HKDF-SHA256 (RFC 5869) with the client secret as the input keying material, so:
 * - a different secret (a wrong one, or a rotated one) gives a different entry: it can never hit;
 * - the table holds neither the secret, nor the client id or scopes, nor anything that opens without the secret;
 * - a lookup compares derived ids, never a secret, so its timing says nothing about the secret.
 */
export interface CacheKeys {
  /** base64url of 32 bytes: the memory and table key. */
  readonly id: string;
  /** AES-256-GCM key of this entry's sealed token. */
  readonly sealKey: Buffer;
}

const VERSION = 'v1';
const SALT = Buffer.from('cognito-gate m2m token cache');

export function deriveCacheKeys(clientId: string, clientSecret: string, scopes: readonly string[]): CacheKeys {
  // JSON keeps the parts apart: no (client id, scope list) can be spelled like another.
  const context = JSON.stringify([clientId, scopes]);
  // HKDF by hand: one extract serves both keys, on every request (node's hkdfSync extracts per call).
  const prk = createHmac('sha256', SALT).update(clientSecret, 'utf8').digest();
  const expand = (purpose: string) =>
    createHmac('sha256', prk).update(`cognito-gate/${VERSION}/${purpose}/${context}\u0001`, 'utf8').digest();
  return { id: expand('id').toString('base64url'), sealKey: expand('seal') };
}
