import { TokenEndpointRejection } from '../../../../shared/errors/login-errors.js';
import type { CacheKeys } from '../../../../shared/m2m/cache-key.js';
import { openToken, sealToken } from '../../../../shared/m2m/sealed-token.js';
import type { TokenTable } from '../../../../shared/m2m/token-cache.js';
import type { ClientCredentials, TokenSet } from '../../../../shared/oidc/token-endpoint.js';

/**
 * The shared tier as a map of sealed values, for the tier logic's unit tests (the DynamoDB implementation is
 * tested against dynalite). `failing` makes every call throw, as a table that is down would.
 */
export class SealedMapTable implements TokenTable {
  readonly items = new Map<string, Buffer>();
  failing = false;

  async get(keys: CacheKeys) {
    this.check();
    const sealed = this.items.get(keys.id);
    return sealed ? openToken(sealed, keys.sealKey, keys.id) : undefined;
  }
  async put(keys: CacheKeys, token: Parameters<TokenTable['put']>[1]) {
    this.check();
    this.items.set(keys.id, sealToken(token, keys.sealKey, keys.id));
  }
  async delete(keys: CacheKeys) {
    this.check();
    this.items.delete(keys.id);
  }
  private check() {
    if (this.failing) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' });
  }
}

export type UpstreamBehaviour =
  | { kind: 'issue'; expiresIn?: number | undefined }
  | { kind: 'refuse'; status: number; error: string; retryAfter?: string }
  | { kind: 'unreachable' };

/**
 * Cognito's token endpoint as the issuer sees it: it knows one secret per client and issues numbered tokens.
 * Every call is recorded (client id, method, scope), so tests count what reached "Cognito".
 */
export class FakeCognito {
  readonly calls: { clientId: string; method: string; scope: string | undefined }[] = [];
  behaviour: UpstreamBehaviour = { kind: 'issue', expiresIn: 3600 };
  /** Resolves pending calls when a test wants to hold them (coalescing). */
  gate: Promise<void> | undefined;

  constructor(private readonly secrets: Record<string, string>) {}

  readonly clientCredentials = async ({
    client,
    scope,
  }: {
    tokenEndpoint: string;
    client: ClientCredentials;
    scope?: string;
  }): Promise<TokenSet> => {
    this.calls.push({ clientId: client.clientId, method: client.method, scope });
    await this.gate;
    const behaviour = this.behaviour;
    if (behaviour.kind === 'unreachable') {
      const { UpstreamError } = await import('../../../../shared/errors/gate-error.js');
      throw new UpstreamError('cognito.example could not be reached');
    }
    if (behaviour.kind === 'refuse')
      throw new TokenEndpointRejection(behaviour.error, behaviour.status, behaviour.retryAfter);
    if (this.secrets[client.clientId] !== client.clientSecret) throw new TokenEndpointRejection('invalid_client', 401);
    return {
      accessToken: `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ n: this.calls.length, scope })).toString('base64url')}.c2ln`,
      ...(behaviour.expiresIn !== undefined ? { expiresIn: behaviour.expiresIn } : {}),
    };
  };
}

/** A logger that keeps its lines, to check what was logged and that no secret or token was. */
export function recordingLogger() {
  const lines: string[] = [];
  return {
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    write: (line: string) => {
      lines.push(line);
    },
  };
}
