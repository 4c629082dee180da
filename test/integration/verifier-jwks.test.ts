import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from '../../shared/tokens/verifier.js';
import { JwksServer } from '../support/jwks-server.js';
import {
  accessClaims,
  generateTestKey,
  idClaims,
  jwksOf,
  nowSeconds,
  signHs256WithPublicKey,
  signJwt,
  signJwtText,
  type TestKey,
  unsignedJwt,
} from '../support/signing.js';

const CLIENT = 'client-a';
const TIMEOUT_MS = 300;

describe('verification against a real JWKS served over HTTP', () => {
  const server = new JwksServer();
  let key: TestKey;
  let otherKey: TestKey;
  let fixture: { issuer: string; clientId: string };
  let verifier: TokenVerifier;

  const newVerifier = () =>
    createTokenVerifier({
      issuers: [{ issuer: server.issuer, jwksUri: server.url, allowHttp: true }],
      clientIds: [CLIENT],
      clockSkewSeconds: 5,
      jwksTimeoutMs: TIMEOUT_MS,
      jwksCooldownSeconds: 10,
    });

  beforeAll(async () => {
    await server.start();
    key = generateTestKey();
    otherKey = generateTestKey();
    fixture = { issuer: server.issuer, clientId: CLIENT };
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.mode = 'ok';
    server.serve(jwksOf(key));
    verifier = newVerifier();
  });

  it('accepts a good access token and reports its client and use', async () => {
    const verified = await verifier.verify(signJwt(key, accessClaims(fixture)), 'any');
    expect(verified).toMatchObject({ tokenUse: 'access', clientId: CLIENT });
  });

  it('accepts a good ID token whose aud is an allowed client', async () => {
    const verified = await verifier.verify(signJwt(key, idClaims(fixture)), 'id');
    expect(verified).toMatchObject({ tokenUse: 'id', clientId: CLIENT });
  });

  it('fetches the JWKS once and then verifies from the cache', async () => {
    const before = server.requests;
    await verifier.verify(signJwt(key, accessClaims(fixture)), 'any');
    await verifier.verify(signJwt(key, accessClaims(fixture)), 'any');
    expect(server.requests - before).toBe(1);
  });

  it.each([
    ['expired', () => signJwt(key, accessClaims(fixture, { exp: nowSeconds() - 60 })), 'token_expired'],
    ['not yet valid', () => signJwt(key, accessClaims(fixture, { nbf: nowSeconds() + 600 })), 'token_invalid'],
    ['without exp', () => signJwt(key, accessClaims(fixture, { exp: undefined })), 'token_invalid'],
    [
      'from another issuer',
      () => signJwt(key, accessClaims(fixture, { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_evil' })),
      'token_invalid',
    ],
    ['for another client', () => signJwt(key, accessClaims(fixture, { client_id: 'client-z' })), 'token_invalid'],
    ['an ID token for another audience', () => signJwt(key, idClaims(fixture, { aud: 'client-z' })), 'token_invalid'],
    ['with token_use refresh', () => signJwt(key, accessClaims(fixture, { token_use: 'refresh' })), 'token_invalid'],
    ['with alg none', () => unsignedJwt(accessClaims(fixture), key.kid), 'token_invalid'],
    ['HS256-signed with the RSA public key', () => signHs256WithPublicKey(key, accessClaims(fixture)), 'token_invalid'],
    ['signed by an unknown key', () => signJwt(otherKey, accessClaims(fixture)), 'token_invalid'],
    [
      'with a tampered payload',
      () => {
        const [head, , signature] = signJwt(key, accessClaims(fixture)).split('.');
        return `${head}.${Buffer.from(JSON.stringify(accessClaims(fixture, { scope: 'cognito-gate/admin' }))).toString('base64url')}.${signature}`;
      },
      'token_invalid',
    ],
    ['with a truncated signature', () => signJwt(key, accessClaims(fixture)).slice(0, -10), 'token_invalid'],
    ['with a crit header', () => signJwt(key, accessClaims(fixture), { crit: ['exp'] }), 'token_invalid'],
    [
      'with a jku header pointing at a JWKS that holds its key',
      () => signJwt(otherKey, accessClaims(fixture), { jku: `${server.url}?attacker`, kid: key.kid }),
      'token_invalid',
    ],
    [
      'with an embedded jwk',
      () => signJwt(otherKey, accessClaims(fixture), { jwk: otherKey.publicJwk }),
      'token_invalid',
    ],
    [
      'with an x5u header',
      () => signJwt(key, accessClaims(fixture), { x5u: 'https://evil.example.com/c.pem' }),
      'token_invalid',
    ],
    ['with an x5c chain', () => signJwt(key, accessClaims(fixture), { x5c: ['MIIB'] }), 'token_invalid'],
    ['without iat', () => signJwt(key, accessClaims(fixture, { iat: undefined })), 'token_invalid'],
    [
      'issued an hour in the future',
      () => signJwt(key, accessClaims(fixture, { iat: nowSeconds() + 3600, exp: nowSeconds() + 7200 })),
      'token_invalid',
    ],
    [
      'that lives a second longer than the one day Cognito allows an access token',
      () => signJwt(key, accessClaims(fixture, { iat: nowSeconds() - 60, exp: nowSeconds() - 60 + 86_401 })),
      'token_invalid',
    ],
    [
      'that lives ten years, as an ID token',
      () => signJwt(key, idClaims(fixture, { exp: nowSeconds() + 10 * 365 * 86_400 })),
      'token_invalid',
    ],
    [
      'with two sub members',
      () =>
        signJwtText(
          key,
          JSON.stringify({ alg: 'RS256', kid: key.kid }),
          JSON.stringify(accessClaims(fixture)).replace(/^\{/, '{"sub":"bob",'),
        ),
      'token_invalid',
    ],
    [
      'with two kid members',
      () =>
        signJwtText(
          key,
          `{"alg":"RS256","kid":"${otherKey.kid}","kid":"${key.kid}"}`,
          JSON.stringify(accessClaims(fixture)),
        ),
      'token_invalid',
    ],
    [
      'with a constructor member',
      () =>
        signJwtText(
          key,
          JSON.stringify({ alg: 'RS256', kid: key.kid }),
          JSON.stringify(accessClaims(fixture)).replace(/^\{/, '{"constructor":{"prototype":{"admin":true}},'),
        ),
      'token_invalid',
    ],
    [
      'as an ID token for two audiences without azp',
      () => signJwt(key, idClaims(fixture, { aud: [CLIENT, 'client-z'] })),
      'token_invalid',
    ],
    [
      'as an ID token whose azp is another client',
      () => signJwt(key, idClaims(fixture, { aud: [CLIENT, 'client-z'], azp: 'client-z' })),
      'token_invalid',
    ],
    [
      'as an ID token whose azp is an allowed client that is not an audience',
      () => signJwt(key, idClaims(fixture, { aud: 'client-z', azp: CLIENT })),
      'token_invalid',
    ],
    [
      'as an ID token whose azp differs from its one allowed audience',
      () => signJwt(key, idClaims(fixture, { azp: 'client-z' })),
      'token_invalid',
    ],
  ])('refuses a token %s', async (_label, makeToken, reason) => {
    await expect(verifier.verify(makeToken(), 'any')).rejects.toMatchObject({ reason });
  });

  it('refuses an ID token where only access tokens are accepted', async () => {
    await expect(verifier.verify(signJwt(key, idClaims(fixture)), 'access')).rejects.toMatchObject({
      reason: 'token_invalid',
    });
  });

  it('accepts an ID token for two audiences whose azp is the allowed one, and reports azp as its client', async () => {
    const token = signJwt(key, idClaims(fixture, { aud: ['client-z', CLIENT], azp: CLIENT }));
    await expect(verifier.verify(token, 'id')).resolves.toMatchObject({ tokenUse: 'id', clientId: CLIENT });
  });

  it('accepts an ID token whose azp is its one audience', async () => {
    const token = signJwt(key, idClaims(fixture, { azp: CLIENT }));
    await expect(verifier.verify(token, 'id')).resolves.toMatchObject({ clientId: CLIENT });
  });

  it("accepts a token that lives exactly Cognito's one-day maximum, and an iat within the clock skew", async () => {
    const now = nowSeconds();
    await expect(
      verifier.verify(signJwt(key, accessClaims(fixture, { iat: now + 3, exp: now + 3 + 86_400 })), 'any'),
    ).resolves.toBeDefined();
  });

  it('tolerates a clock skew within the configured seconds', async () => {
    await expect(
      verifier.verify(signJwt(key, accessClaims(fixture, { exp: nowSeconds() - 2 })), 'any'),
    ).resolves.toBeDefined();
  });

  it('refetches the JWKS after a key rotation, but only once per cool-down for an unknown kid', async () => {
    // Prepare
    await verifier.verify(signJwt(key, accessClaims(fixture)), 'any');
    server.serve(jwksOf(key, otherKey));
    const before = server.requests;
    // Act
    await verifier.verify(signJwt(otherKey, accessClaims(fixture)), 'any');
    const stranger = generateTestKey();
    await expect(verifier.verify(signJwt(stranger, accessClaims(fixture)), 'any')).rejects.toMatchObject({
      reason: 'token_invalid',
    });
    await expect(verifier.verify(signJwt(stranger, accessClaims(fixture)), 'any')).rejects.toMatchObject({
      reason: 'token_invalid',
    });
    // Assess: one fetch for the rotation, one for the stranger, none while cooling down
    expect(server.requests - before).toBe(2);
  });

  describe('under a flood of random kids, with a one-second cool-down', () => {
    const COOLDOWN_SECONDS = 1;
    let flooded: TokenVerifier;
    const randomKidToken = () => signJwt(key, accessClaims(fixture), { kid: `attacker-${Math.random()}` });
    const waitOutCooldown = () => new Promise((resolve) => setTimeout(resolve, COOLDOWN_SECONDS * 1000 + 100));

    beforeEach(async () => {
      flooded = createTokenVerifier({
        issuers: [{ issuer: server.issuer, jwksUri: server.url, allowHttp: true }],
        clientIds: [CLIENT],
        clockSkewSeconds: 5,
        jwksTimeoutMs: TIMEOUT_MS,
        jwksCooldownSeconds: COOLDOWN_SECONDS,
      });
      await flooded.verify(signJwt(key, accessClaims(fixture)), 'any'); // warm: the JWKS is cached
    });

    it('answers every random kid token_invalid (401), never jwks_unavailable, and fetches once per cool-down', async () => {
      // Prepare
      const before = server.requests;
      // Act: 50 at once, then 50 one after another, the way a script would send them
      const burst = await Promise.allSettled(Array.from({ length: 50 }, () => flooded.verify(randomKidToken(), 'any')));
      const sequential: unknown[] = [];
      for (let i = 0; i < 50; i++) sequential.push(await flooded.verify(randomKidToken(), 'any').catch((e) => e));
      // Assess
      const reasons = [...burst.map((outcome) => (outcome as PromiseRejectedResult).reason), ...sequential].map(
        (error) => (error as { reason?: string }).reason,
      );
      expect(new Set(reasons)).toEqual(new Set(['token_invalid']));
      expect(server.requests - before).toBe(1);
      // Assess: the next cool-down allows exactly one more fetch
      await waitOutCooldown();
      for (let i = 0; i < 20; i++) await flooded.verify(randomKidToken(), 'any').catch(() => undefined);
      expect(server.requests - before).toBe(2);
    });

    it('picks up a real key rotation within one cool-down, even while the flood holds the refetch back', async () => {
      // Prepare: the flood starts the cool-down, then the pool rotates to a new key
      await flooded.verify(randomKidToken(), 'any').catch(() => undefined);
      const rotated = generateTestKey();
      server.serve(jwksOf(key, rotated));
      const signedWithNewKey = signJwt(rotated, accessClaims(fixture));
      // Act / Assess: inside the cool-down the new kid is refused like any unknown kid, with a 401
      await expect(flooded.verify(signedWithNewKey, 'any')).rejects.toMatchObject({ reason: 'token_invalid' });
      await waitOutCooldown();
      // Act / Assess: once it has passed, the first request with the new kid refetches and is accepted
      const before = server.requests;
      await expect(flooded.verify(signedWithNewKey, 'any')).resolves.toMatchObject({ tokenUse: 'access' });
      expect(server.requests - before).toBe(1);
      await expect(flooded.verify(randomKidToken(), 'any')).rejects.toMatchObject({ reason: 'token_invalid' });
    });
  });

  it.each(['down', 'slow', 'error500', 'garbage'] as const)(
    'fails closed in bounded time when the JWKS endpoint is %s',
    async (mode) => {
      // Prepare
      server.mode = mode;
      const started = Date.now();
      // Act
      const outcome = verifier.verify(signJwt(key, accessClaims(fixture)), 'any');
      // Assess
      await expect(outcome).rejects.toMatchObject({ reason: 'jwks_unavailable' });
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
    },
  );
});

describe('the verifier on unusual but valid JSON', () => {
  const server = new JwksServer();
  let key: TestKey;
  let verifier: TokenVerifier;
  let fixture: { issuer: string; clientId: string };

  beforeAll(async () => {
    await server.start('/local_json');
    key = generateTestKey();
    server.serve(jwksOf(key));
    fixture = { issuer: server.issuer, clientId: CLIENT };
    verifier = createTokenVerifier({
      issuers: [{ issuer: server.issuer, jwksUri: server.url, allowHttp: true }],
      clientIds: [CLIENT],
      clockSkewSeconds: 5,
      jwksTimeoutMs: TIMEOUT_MS,
      jwksCooldownSeconds: 10,
    });
  });
  afterAll(() => server.stop());

  it('refuses a __proto__ claim that aws-jwt-verify would delete and accept, and pollutes no prototype', async () => {
    // Prepare: a payload with a literal "__proto__" member, correctly signed
    const payload = JSON.stringify(accessClaims(fixture)).replace(/^\{/, '{"__proto__":{"polluted":true},');
    const token = signJwtText(key, JSON.stringify({ alg: 'RS256', kid: key.kid }), payload);
    // Act / Assess
    await expect(verifier.verify(token, 'any')).rejects.toMatchObject({ reason: 'token_invalid' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads claims with escaped characters the same way', async () => {
    const verified = await verifier.verify(
      signJwt(key, accessClaims(fixture, { username: 'al\u00efce "quoted"' })),
      'any',
    );
    expect(verified.claims.username).toBe('al\u00efce "quoted"');
  });
});
