import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Authenticated encryption for cookie values: AES-256-GCM with a key derived by HKDF-SHA256 from the
 * cookie secret and the purpose. A value sealed for one purpose (the login flow) cannot be opened as
 * another (the refresh token): the keys differ, the purpose is the GCM associated data, and it is also
 * inside the sealed payload. The expiry is inside too, so a cookie kept past its Max-Age is still refused.
 * A payload may be deflated before sealing (`z1.`) to keep large cookies small; see `SealOptions.deflate`.
 */
export type SealPurpose = 'flow' | 'refresh';

export type OpenResult<T> =
  | { readonly ok: true; readonly data: T; readonly expiresAt: number }
  | { readonly ok: false; readonly why: 'malformed' | 'tampered' | 'expired' };

const VERSION = 'v1';
/** v1 sealed and deflated first: the same keys, its own associated data. */
const DEFLATED = 'z1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_SEALED_LENGTH = 16 * 1024;
const MAX_PLAIN_LENGTH = 64 * 1024;
const SALT = Buffer.from('cognito-gate cookie seal');
/** A secret shorter than this is refused when the config is loaded. */
export const MIN_SECRET_LENGTH = 32;

export interface SealOptions {
  readonly ttlSeconds: number;
  readonly nowSeconds: number;
  /**
   * Deflate before sealing. Only for a payload with no attacker-chosen content: compressing a secret beside
   * text that an attacker picks lets the sealed length reveal the secret (CRIME).
   */
  readonly deflate?: boolean;
}

interface SealedPayload {
  p: string;
  exp: number;
  d: unknown;
}

export class CookieSealer {
  private readonly keys = new Map<string, Buffer[]>();

  /** The first secret seals; every secret opens, so a new secret can be put first and the old one kept a while. */
  constructor(private readonly secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('at least one cookie secret is required');
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH)
        throw new Error(`a cookie secret must have at least ${MIN_SECRET_LENGTH} characters`);
    }
  }

  seal(purpose: SealPurpose, data: unknown, { ttlSeconds, nowSeconds, deflate = false }: SealOptions): string {
    const format = deflate ? DEFLATED : VERSION;
    const [key] = this.keysFor(purpose);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key!, iv);
    cipher.setAAD(aad(format, purpose));
    const payload: SealedPayload = { p: purpose, exp: nowSeconds + ttlSeconds, d: data };
    // Stryker disable next-line StringLiteral: equivalent, '' means utf8
    const json = Buffer.from(JSON.stringify(payload), 'utf8');
    const body = Buffer.concat([cipher.update(deflate ? deflateRawSync(json) : json), cipher.final()]);
    return `${format}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  open<T = unknown>(purpose: SealPurpose, sealed: string, { nowSeconds }: { nowSeconds: number }): OpenResult<T> {
    const dot = sealed.indexOf('.');
    // Equivalent mutants below: a value without a '.', or with one first, is malformed whatever format reads as.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: equivalent, see above
    const format = dot < 0 ? '' : sealed.slice(0, dot);
    if (sealed.length > MAX_SEALED_LENGTH || (format !== VERSION && format !== DEFLATED))
      return { ok: false, why: 'malformed' };
    const encoded = sealed.slice(format.length + 1);
    if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return { ok: false, why: 'malformed' };
    const raw = Buffer.from(encoded, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES + 1) return { ok: false, why: 'malformed' };
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
    for (const key of this.keysFor(purpose)) {
      let plain: string;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(aad(format, purpose));
        decipher.setAuthTag(tag);
        const opened = Buffer.concat([decipher.update(body), decipher.final()]);
        plain = (format === DEFLATED ? inflateRawSync(opened, { maxOutputLength: MAX_PLAIN_LENGTH }) : opened).toString(
          'utf8',
        );
      } catch {
        continue; // not this key, or tampered: try the next key, then give up
      }
      const payload = JSON.parse(plain) as SealedPayload;
      // Authenticated, so these can only fail if our own code sealed something else under this key.
      if (payload.p !== purpose || typeof payload.exp !== 'number') return { ok: false, why: 'tampered' };
      if (payload.exp <= nowSeconds) return { ok: false, why: 'expired' };
      return { ok: true, data: payload.d as T, expiresAt: payload.exp };
    }
    return { ok: false, why: 'tampered' };
  }

  private keysFor(purpose: SealPurpose): Buffer[] {
    let keys = this.keys.get(purpose);
    // Stryker disable next-line ConditionalExpression: equivalent, deriving the keys again gives the same keys
    if (!keys) {
      keys = this.secrets.map((secret) =>
        Buffer.from(hkdfSync('sha256', secret, SALT, `cognito-gate ${VERSION} ${purpose}`, 32)),
      );
      this.keys.set(purpose, keys);
    }
    return keys;
  }
}

function aad(format: string, purpose: SealPurpose): Buffer {
  return Buffer.from(`cognito-gate/${format}/${purpose}`);
}
