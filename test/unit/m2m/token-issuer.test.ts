import { beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../shared/errors/gate-error.js';
import { TokenEndpointRejection } from '../../../shared/errors/login-errors.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { MemoryTier, STALE_MIN_REMAINING_MS, TokenCache } from '../../../shared/m2m/token-cache.js';
import { TokenEndpointThrottledError } from '../../../shared/m2m/token-errors.js';
import { createTokenIssuer, retryAfterSeconds, type TokenIssuer } from '../../../shared/m2m/token-issuer.js';
import type { ClientCredentialsRequest } from '../../../shared/m2m/token-request.js';
import { FakeCognito, recordingLogger, SealedMapTable } from './support/fakes.js';

const CLIENT = '1example23456789';
const SECRET = 'abcdef01234567890ghijklmnopqrstuvwxyz0123456789abc';
const OTHER_CLIENT = '2example23456789';
const OTHER_SECRET = 'zyxwvu98765432100fedcbaabcdef0123456789abcdefghijk';
const T0 = Date.parse('2026-12-01T10:00:00Z');
const LIFETIME_MS = 3600_000;

const request = (overrides: Partial<ClientCredentialsRequest> = {}): ClientCredentialsRequest => ({
  clientId: CLIENT,
  clientSecret: SECRET,
  authMethod: 'client_secret_basic',
  scopes: ['orders/read'],
  ...overrides,
});

describe('the token issuer: memory, then the shared table, then Cognito', () => {
  let clock: number;
  let cognito: FakeCognito;
  let table: SealedMapTable;
  let log: ReturnType<typeof recordingLogger>;
  /** One Lambda container: its own memory tier and in-flight calls, the shared table and Cognito. */
  const container = (memoryEntries = 100): TokenIssuer => {
    const logger = createLogger('token', { write: log.write });
    return createTokenIssuer({
      cache: new TokenCache(new MemoryTier(memoryEntries), table, logger),
      upstream: cognito,
      tokenEndpoint: 'https://auth.example.com/oauth2/token',
      reuseFraction: 0.75,
      defaultRetryAfterSeconds: 2,
      logger,
      now: () => clock,
    });
  };

  beforeEach(() => {
    clock = T0;
    cognito = new FakeCognito({ [CLIENT]: SECRET, [OTHER_CLIENT]: OTHER_SECRET });
    table = new SealedMapTable();
    log = recordingLogger();
  });

  it('asks Cognito once, then answers the same client, secret and scope from memory', async () => {
    // Prepare
    const issuer = container();
    // Act
    const first = await issuer.issue(request());
    clock += 60_000;
    const second = await issuer.issue(request());
    // Assess
    expect(cognito.calls).toHaveLength(1);
    expect([first.source, second.source]).toEqual(['upstream', 'memory']);
    expect(second.token.accessToken).toBe(first.token.accessToken);
  });

  it('serves a second container from the shared table, without calling Cognito', async () => {
    await container().issue(request());
    const fromTable = await container().issue(request());
    expect(fromTable.source).toBe('table');
    expect(cognito.calls).toHaveLength(1);
  });

  it('keeps the token that the table gave in the second container’s memory', async () => {
    await container().issue(request());
    const second = container();
    await second.issue(request());
    table.failing = true;
    expect((await second.issue(request())).source).toBe('memory');
  });

  it('gives a different scope set its own token', async () => {
    const issuer = container();
    const read = await issuer.issue(request());
    const write = await issuer.issue(request({ scopes: ['orders/write'] }));
    expect(write.source).toBe('upstream');
    expect(write.token.accessToken).not.toBe(read.token.accessToken);
    expect(cognito.calls.map((call) => call.scope)).toEqual(['orders/read', 'orders/write']);
  });

  it('sends a wrong secret to Cognito right after a hit, and passes on its refusal', async () => {
    // Prepare
    const issuer = container();
    await issuer.issue(request());
    await issuer.issue(request());
    // Act
    const attempt = issuer.issue(request({ clientSecret: `${SECRET.slice(0, -1)}d` }));
    // Assess
    await expect(attempt).rejects.toMatchObject({ oauthError: 'invalid_client', httpStatus: 401 });
    expect(cognito.calls).toHaveLength(2);
    expect((await issuer.issue(request())).source).toBe('memory');
  });

  it('reuses a token until 75% of its lifetime, then fetches a new one', async () => {
    // Prepare
    const issuer = container();
    const first = await issuer.issue(request());
    // Act
    clock = T0 + LIFETIME_MS * 0.75 - 1;
    const justBefore = await issuer.issue(request());
    clock = T0 + LIFETIME_MS * 0.75;
    const atThreshold = await issuer.issue(request());
    // Assess
    expect(justBefore.source).toBe('memory');
    expect(justBefore.token.accessToken).toBe(first.token.accessToken);
    expect(atThreshold.source).toBe('upstream');
    expect(atThreshold.token.accessToken).not.toBe(first.token.accessToken);
    expect(cognito.calls).toHaveLength(2);
  });

  it('does not serve a token from the table past its reuse window either', async () => {
    await container().issue(request());
    clock = T0 + LIFETIME_MS * 0.75;
    expect((await container().issue(request())).source).toBe('upstream');
  });

  it('counts the lifetime from before the call, so a cached token never outlives the real one', async () => {
    const issuer = container();
    const { token } = await issuer.issue(request());
    expect(token.expiresAt).toBe(T0 + LIFETIME_MS);
  });

  it('makes one Cognito call for many concurrent misses of one client in one container', async () => {
    // Prepare
    const issuer = container();
    let release!: () => void;
    cognito.gate = new Promise((resolve) => {
      release = resolve;
    });
    // Act
    const pending = Array.from({ length: 20 }, () => issuer.issue(request()));
    await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    const results = await Promise.all(pending);
    // Assess
    expect(cognito.calls).toHaveLength(1);
    expect(new Set(results.map((result) => result.token.accessToken)).size).toBe(1);
    expect(results.filter((result) => result.source === 'coalesced')).toHaveLength(19);
  });

  it('never lets a wrong secret wait for, and share, a right secret’s call', async () => {
    const issuer = container();
    const [right, wrong] = await Promise.allSettled([
      issuer.issue(request()),
      issuer.issue(request({ clientSecret: 'not-the-secret' })),
    ]);
    expect(right.status).toBe('fulfilled');
    expect(wrong).toMatchObject({ status: 'rejected', reason: { oauthError: 'invalid_client' } });
    expect(cognito.calls).toHaveLength(2);
  });

  it('turns Cognito throttling into a 429 that carries Cognito’s Retry-After', async () => {
    cognito.behaviour = { kind: 'refuse', status: 429, error: 'too_many_requests', retryAfter: '7' };
    const attempt = container().issue(request());
    await expect(attempt).rejects.toBeInstanceOf(TokenEndpointThrottledError);
    await expect(attempt).rejects.toMatchObject({ status: 429, headers: { 'retry-after': '7' } });
  });

  it('recognises throttling by the error code as well, and then uses the default Retry-After', async () => {
    cognito.behaviour = { kind: 'refuse', status: 400, error: 'TooManyRequestsException' };
    await expect(container().issue(request())).rejects.toMatchObject({ retryAfterSeconds: 2 });
  });

  it.each([
    ['throttles', { kind: 'refuse', status: 429, error: 'too_many_requests' } as const],
    ['cannot be reached', { kind: 'unreachable' } as const],
  ])('serves a token past its reuse window, but not expired, when Cognito %s', async (_case, behaviour) => {
    // Prepare
    const issuer = container();
    const first = await issuer.issue(request());
    clock = T0 + LIFETIME_MS * 0.8;
    cognito.behaviour = behaviour;
    // Act
    const answer = await issuer.issue(request());
    // Assess
    expect(answer).toMatchObject({ source: 'stale', token: { accessToken: first.token.accessToken } });
  });

  it('serves no stale token in its last minute: the caller gets the 429', async () => {
    const issuer = container();
    await issuer.issue(request());
    clock = T0 + LIFETIME_MS - STALE_MIN_REMAINING_MS;
    cognito.behaviour = { kind: 'refuse', status: 429, error: 'too_many_requests' };
    await expect(issuer.issue(request())).rejects.toBeInstanceOf(TokenEndpointThrottledError);
  });

  it('passes on a 502 when Cognito cannot be reached and nothing is cached', async () => {
    cognito.behaviour = { kind: 'unreachable' };
    await expect(container().issue(request())).rejects.toBeInstanceOf(UpstreamError);
  });

  it('forgets what it holds for credentials that Cognito refuses, so they are never a fallback', async () => {
    // Prepare: a token, then Cognito stops accepting the secret (rotated), then throttles
    const issuer = container();
    await issuer.issue(request());
    clock = T0 + LIFETIME_MS * 0.8;
    cognito.behaviour = { kind: 'refuse', status: 401, error: 'invalid_client' };
    await expect(issuer.issue(request())).rejects.toBeInstanceOf(TokenEndpointRejection);
    cognito.behaviour = { kind: 'refuse', status: 429, error: 'too_many_requests' };
    // Act
    const attempt = issuer.issue(request());
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(TokenEndpointThrottledError);
    expect(table.items.size).toBe(0);
  });

  it('carries on without the table when it fails, and logs that without details', async () => {
    // Prepare
    table.failing = true;
    const issuer = container();
    // Act
    const first = await issuer.issue(request());
    const second = await issuer.issue(request());
    // Assess
    expect([first.source, second.source]).toEqual(['upstream', 'memory']);
    expect(log.entries().filter((entry) => entry.level === 'warn')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: 'token cache table unavailable, carrying on without it',
          operation: 'read',
        }),
      ]),
    );
  });

  it('with the memory tier off, answers every repeat from the table', async () => {
    const issuer = container(0);
    await issuer.issue(request());
    expect((await issuer.issue(request())).source).toBe('table');
    expect(cognito.calls).toHaveLength(1);
  });

  it('does not cache a token whose lifetime Cognito did not say', async () => {
    cognito.behaviour = { kind: 'issue', expiresIn: undefined };
    const issuer = container();
    await issuer.issue(request());
    const second = await issuer.issue(request());
    expect(second.source).toBe('upstream');
    expect(second.token.expiresAt).toBeUndefined();
    expect(table.items.size).toBe(0);
  });

  it('forwards the client authentication method the caller used', async () => {
    await container().issue(request({ authMethod: 'client_secret_post' }));
    expect(cognito.calls[0]!.method).toBe('client_secret_post');
  });

  it('logs each Cognito call with the client id and never the secret or the token', async () => {
    // Prepare
    const issuer = container();
    // Act
    const { token } = await issuer.issue(request());
    await issuer.issue(request({ clientSecret: 'wrong-secret-value' })).catch(() => undefined);
    // Assess
    const calls = log.entries().filter((entry) => entry.message === 'cognito token call');
    expect(calls.map((entry) => [entry.clientId, entry.result, entry.status])).toEqual([
      [CLIENT, 'ok', 200],
      [CLIENT, 'refused', 401],
    ]);
    const everything = log.lines.join('\n');
    for (const secret of [SECRET, 'wrong-secret-value', token.accessToken, token.accessToken.split('.')[1]!])
      expect(everything).not.toContain(secret);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  it.each([
    ['seconds', '7', 7],
    ['zero, which would invite an immediate retry', '0', 1],
    ['an hour and more', '86400', 3600],
    ['an HTTP date', 'Tue, 01 Dec 2026 10:00:30 GMT', 30],
    ['garbage', 'soon', 5],
    ['nothing', undefined, 5],
  ])('reads %s', (_case, header, expected) => {
    expect(retryAfterSeconds(header, now, 5)).toBe(expected);
  });
});
