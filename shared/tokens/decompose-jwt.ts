import type { DecomposedJwt } from 'aws-jwt-verify/jwt';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import { TokenInvalidError } from '../errors/gate-error.js';
import { parseTokenJson } from './token-json.js';

// aws-jwt-verify's own test of the JWT's shape (jwt.js), before it splits and parses.
const JWT_REGEX = /^[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]+={0,2}$/;

type Types = Readonly<Record<string, 'string' | 'number'>>;
// The fields whose type aws-jwt-verify asserts while decomposing (jwt.js: assertJwtHeader, assertJwtPayload).
const HEADER_TYPES: Types = { alg: 'string', kid: 'string' };
const PAYLOAD_TYPES: Types = {
  exp: 'number',
  iss: 'string',
  sub: 'string',
  nbf: 'number',
  iat: 'number',
  scope: 'string',
  jti: 'string',
};

/**
 * Header parameters that Cognito never sends. `crit` names extensions that a verifier must understand or refuse
 * (RFC 7515 §4.1.11), and we implement none; `jku`, `x5u`, `jwk` and `x5c` point at or carry a key, and the key
 * must only ever come from the pool's JWKS (§4.1.2-4.1.6), so a token that offers one is refused, never followed.
 */
function refusedHeaderParameter(header: Record<string, unknown>): string | undefined {
  // Named lookups, not a loop over names: a fresh token pays five monomorphic property loads.
  if (header.crit !== undefined) return 'crit';
  if (header.jku !== undefined) return 'jku';
  if (header.x5u !== undefined) return 'x5u';
  if (header.jwk !== undefined) return 'jwk';
  if (header.x5c !== undefined) return 'x5c';
  return undefined;
}

function assertTypes(value: Record<string, unknown>, types: Types, part: string): void {
  for (const name in types) {
    const field = value[name];
    if (field !== undefined && (types[name] === 'number' ? !Number.isFinite(field) : typeof field !== types[name]))
      throw new TokenInvalidError(`JWT ${part} ${name} is not a ${types[name]}`);
  }
}

/**
 * aws-jwt-verify's decomposeUnverifiedJwt, made strict: the same checks of shape and field types, but a header or
 * payload that JSON.parse would read ambiguously (duplicate members, `__proto__`, `constructor`), or a header that
 * asks for more than a kid in the pool's JWKS, is refused with TokenInvalidError. Signature and claims are
 * verified afterwards by the library, unchanged.
 */
export function decomposeJwt(jwt: unknown): DecomposedJwt {
  if (typeof jwt !== 'string' || !JWT_REGEX.test(jwt)) throw new TokenInvalidError('token is not a compact JWS');
  const [headerB64, payloadB64, signatureB64] = jwt.split('.') as [string, string, string];
  const header = parseTokenJson(Buffer.from(headerB64, 'base64').toString('utf8'), 'header');
  assertTypes(header, HEADER_TYPES, 'header');
  const refused = refusedHeaderParameter(header);
  if (refused) throw new TokenInvalidError(`JWT header carries ${refused}, which is refused`);
  const payload = parseTokenJson(Buffer.from(payloadB64, 'base64').toString('utf8'), 'payload');
  assertTypes(payload, PAYLOAD_TYPES, 'payload');
  const aud = payload.aud;
  if (
    !(
      aud === undefined ||
      typeof aud === 'string' ||
      (Array.isArray(aud) && aud.every((one) => typeof one === 'string'))
    )
  )
    throw new TokenInvalidError('JWT payload aud is not a string or an array of strings');
  return { header: header as JwtHeader, headerB64, payload: payload as JwtPayload, payloadB64, signatureB64 };
}
