import { GateError } from '../errors/gate-error.js';
import type { Logger } from '../logging/logger.js';
import type { TokenVerifier, VerifiedToken } from '../tokens/verifier.js';
import type { RevocationWriter } from './revocation-store.js';

/** Why the token service ends a session at the authorizer. */
export type SessionEnd = 'logout' | 'refresh_revoked';

export interface SessionRevoker {
  /**
   * Writes one session entry per sign-in (`origin_jti`) that the access tokens prove. Only tokens that verify
   * count: an expired one has nothing left to revoke, and a forged one must not revoke anyone. Never throws:
   * signing out must not fail because of this, so a failed write is logged as an error.
   */
  revoke(accessTokens: readonly string[], cause: SessionEnd): Promise<void>;
}

export function createSessionRevoker({
  writer,
  verifier,
  logger,
}: {
  writer: Pick<RevocationWriter, 'revokeSession'>;
  verifier: TokenVerifier;
  logger: Logger;
}): SessionRevoker {
  const verified = async (token: string): Promise<VerifiedToken | string> => {
    try {
      return await verifier.verify(token, 'access');
    } catch (error) {
      return error instanceof GateError ? error.reason : 'token_invalid';
    }
  };

  return {
    async revoke(accessTokens, cause) {
      const results = await Promise.all(accessTokens.map(verified));
      const sessions = new Map<string, unknown>(); // origin_jti -> sub
      for (const result of results) {
        const originJti = typeof result === 'string' ? undefined : result.claims.origin_jti;
        if (typeof originJti === 'string' && originJti) sessions.set(originJti, (result as VerifiedToken).claims.sub);
      }
      if (sessions.size === 0) {
        // A pool whose app client has token revocation off issues tokens without origin_jti.
        logger.info('no session to revoke at the authorizer', {
          cause,
          tokens: results.map((result) => (typeof result === 'string' ? result : 'no_origin_jti')),
        });
        return;
      }
      for (const [originJti, sub] of sessions) {
        try {
          await writer.revokeSession(originJti, cause);
          logger.info('session revoked at the authorizer', { cause, sub });
        } catch (error) {
          logger.error('session not revoked at the authorizer', {
            cause,
            sub,
            errorName: (error as Error | undefined)?.name,
            errorMessage: (error as Error | undefined)?.message,
          });
        }
      }
    },
  };
}
