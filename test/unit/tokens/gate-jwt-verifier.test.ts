import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenInvalidError } from '../../../shared/errors/gate-error.js';
import { decomposeJwt } from '../../../shared/tokens/decompose-jwt.js';
import { GateJwtVerifier } from '../../../shared/tokens/gate-jwt-verifier.js';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
const attempt = (decompose: (jwt: string) => unknown, jwt: string): Outcome => {
  try {
    return { ok: true, value: decompose(jwt) };
  } catch (error) {
    return { ok: false, error };
  }
};

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const FORBIDDEN_NAMES = ['__proto__', 'constructor'];
// Header parameters the gate refuses on purpose (see decompose-jwt.ts): crit, and a key or key location of the sender's.
const REFUSED_HEADER_PARAMETERS = ['crit', 'jku', 'x5u', 'jwk', 'x5c'];

/** JSON values without a member named __proto__ or constructor anywhere, so a refusal is only ever the top level's. */
const plainJson = fc
  .jsonValue({ maxDepth: 2 })
  .filter((value) => !FORBIDDEN_NAMES.some((name) => JSON.stringify(value).includes(`"${name}"`)));
/** Member names that matter to either decomposition, and a few that do not. */
const memberName = fc.constantFrom(
  'alg',
  'kid',
  'typ',
  'exp',
  'iss',
  'sub',
  'nbf',
  'iat',
  'scope',
  'jti',
  'aud',
  'token_use',
  ...REFUSED_HEADER_PARAMETERS,
  ...FORBIDDEN_NAMES,
);
const memberValue = fc.oneof(
  plainJson,
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
);
/** An object's members written out by hand, so that duplicates and forbidden names can occur as an attacker sends them. */
const members = fc.array(fc.tuple(memberName, memberValue), { maxLength: 6 });
const objectText = (entries: ReadonlyArray<readonly [string, unknown]>) =>
  `{${entries.map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`).join(',')}}`;
const signature = fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/);

/** Where the gate is stricter than aws-jwt-verify on purpose: duplicate or prototype members, or a refused header parameter. */
function stricterOnPurpose(
  header: ReadonlyArray<readonly [string, unknown]>,
  payload: ReadonlyArray<readonly [string, unknown]>,
) {
  const ambiguous = (entries: ReadonlyArray<readonly [string, unknown]>) => {
    const names = entries.map(([name]) => name);
    return new Set(names).size !== names.length || names.some((name) => FORBIDDEN_NAMES.includes(name));
  };
  return ambiguous(header) || ambiguous(payload) || header.some(([name]) => REFUSED_HEADER_PARAMETERS.includes(name));
}

describe('GateJwtVerifier: its decomposition pinned to aws-jwt-verify', () => {
  it('decomposes every token made of JSON members exactly as aws-jwt-verify does, except where it is stricter on purpose (property)', () => {
    fc.assert(
      fc.property(members, members, signature, (header, payload, sig) => {
        // Prepare
        const jwt = `${base64url(objectText(header))}.${base64url(objectText(payload))}.${sig}`;
        // Act
        const library = attempt(decomposeUnverifiedJwt, jwt);
        const gate = attempt(decomposeJwt, jwt);
        // Assess: the gate accepts exactly what the library accepts, minus what it refuses on purpose
        if (gate.ok) {
          expect(library).toEqual(gate);
          expect(stricterOnPurpose(header, payload)).toBe(false);
        } else {
          expect(gate.error).toBeInstanceOf(TokenInvalidError);
          expect(library.ok && !stricterOnPurpose(header, payload)).toBe(false);
        }
        if (library.ok && !stricterOnPurpose(header, payload)) expect(gate).toEqual(library);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses every malformed token that aws-jwt-verify refuses, and accepts none that it refuses (property)', () => {
    const segment = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_=.+/ -]{0,16}$/),
      fc.string().map(base64url),
      fc.jsonValue().map((value) => base64url(JSON.stringify(value))),
    );
    const token = fc.oneof(
      fc.string(),
      fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.')),
    );
    fc.assert(
      fc.property(token, (jwt) => {
        // Act
        const library = attempt(decomposeUnverifiedJwt, jwt);
        const gate = attempt(decomposeJwt, jwt);
        // Assess
        if (!library.ok) expect(gate.ok).toBe(false);
        if (gate.ok) expect(gate).toEqual(library);
        if (!gate.ok) expect(gate.error).toBeInstanceOf(TokenInvalidError);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps the rest of getVerifyParameters the library's: the same issuer config and verify properties", () => {
    // Prepare
    const issuers = [
      { issuer: 'https://issuer.example/a', jwksUri: 'https://issuer.example/a/jwks', audience: null },
      { issuer: 'https://issuer.example/b', jwksUri: 'https://issuer.example/b/jwks', audience: null },
    ];
    const jwt = `${base64url('{"alg":"RS256","kid":"k"}')}.${base64url('{"iss":"https://issuer.example/b","sub":"s"}')}.sig`;
    type Parameters = { getVerifyParameters(jwt: string, props?: Record<string, unknown>): unknown };
    const gate = GateJwtVerifier.create(issuers) as unknown as Parameters;
    const library = JwtVerifier.create(issuers) as unknown as Parameters;
    // Act / Assess
    expect(gate.getVerifyParameters(jwt, { graceSeconds: 5 })).toEqual(
      library.getVerifyParameters(jwt, { graceSeconds: 5 }),
    );
  });
});
