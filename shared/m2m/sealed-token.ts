import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A cached token as the table stores it: AES-256-GCM under the entry's seal key (derived from the client
 * secret, see cache-key.ts), with the entry id as associated data, so a sealed value copied to another
 * entry does not open. The times inside are authenticated; the table's own expiry attribute is only for TTL.
 */
export interface CachedToken {
  readonly accessToken: string;
  readonly tokenType: string;
  /** Only when the upstream answer named the scopes. */
  readonly scope?: string;
  /** Epoch ms: reuse until then (75% of the lifetime by default). */
  readonly freshUntil: number;
  /** Epoch ms: the token's own expiry, counted from before the upstream call. */
  readonly expiresAt: number;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function sealToken(token: CachedToken, sealKey: Buffer, id: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
  cipher.setAAD(associatedData(id));
  const body = Buffer.concat([cipher.update(JSON.stringify(token), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, body, cipher.getAuthTag()]);
}

/** The token, or undefined when the value is not one this key sealed for this id (never an exception). */
export function openToken(sealed: Uint8Array, sealKey: Buffer, id: string): CachedToken | undefined {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES + 1 || sealed[0] !== VERSION) return undefined;
  const raw = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey, raw.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(associatedData(id));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(raw.subarray(1 + IV_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return asCachedToken(JSON.parse(plain.toString('utf8')));
  } catch {
    return undefined;
  }
}

const associatedData = (id: string) => Buffer.from(`cognito-gate/m2m/v${VERSION}/${id}`);

function asCachedToken(value: unknown): CachedToken | undefined {
  const token = value as Partial<CachedToken> | null;
  if (
    typeof token?.accessToken !== 'string' ||
    typeof token.tokenType !== 'string' ||
    typeof token.freshUntil !== 'number' ||
    typeof token.expiresAt !== 'number' ||
    (token.scope !== undefined && typeof token.scope !== 'string')
  )
    return undefined;
  return token as CachedToken;
}
