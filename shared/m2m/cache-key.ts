import { createHash, hkdfSync } from 'node:crypto';

/**
 * Where a token for one (client id, secret, scope set) lives, and the key that seals it. Both come from
 * HKDF-SHA256 with the client secret as the input keying material, so:
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
  // JSON keeps the parts apart (no pair can be spelled like another); the digest keeps HKDF's info under 1024 bytes.
  const context = createHash('sha256')
    .update(JSON.stringify([clientId, scopes]))
    .digest('hex');
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync('sha256', clientSecret, SALT, `cognito-gate/${VERSION}/${purpose}/${context}`, 32));
  return { id: derive('id').toString('base64url'), sealKey: derive('seal') };
}
