import type Provider from 'oidc-provider';

interface IssuedToken {
  jti?: unknown;
  accountId?: unknown;
}

export interface SignOutCheck {
  /** True when the user signed out globally at or after the moment this token (refresh, or access JWT) was issued. */
  revoked(username: string, token: { jti?: unknown; iat?: unknown }): boolean;
}

/**
 * Issue times to the millisecond, by token id: `iat` has whole seconds, too coarse to tell a token issued just
 * before an AdminUserGlobalSignOut from one issued just after it (a sign-in right after the sign-out).
 */
export function trackGlobalSignOuts(
  provider: Provider,
  signedOutAt: (username: string) => number | undefined,
): SignOutCheck {
  const issuedAt = new Map<string, number>();
  const remember = (token: IssuedToken): void => {
    if (typeof token.jti === 'string' && typeof token.accountId === 'string') issuedAt.set(token.jti, Date.now());
  };
  provider.on('refresh_token.saved', remember);
  provider.on('access_token.issued', remember);
  return {
    revoked(username, token) {
      const signedOut = signedOutAt(username);
      if (signedOut === undefined) return false;
      const known = typeof token.jti === 'string' ? issuedAt.get(token.jti) : undefined;
      const issued = known ?? (typeof token.iat === 'number' ? token.iat * 1000 : 0);
      return issued <= signedOut;
    },
  };
}
