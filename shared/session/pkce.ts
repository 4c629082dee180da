import { createHash, randomBytes } from 'node:crypto';

/** PKCE (RFC 7636) with S256, the only method Cognito accepts; every login uses it. */
export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
  readonly method: 'S256';
}

/** 32 random bytes: a 43-character base64url verifier, the shortest RFC 7636 allows and the strongest it needs. */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}

export function pkceChallenge(verifier: string): string {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier))
    throw new Error('a PKCE verifier has 43 to 128 unreserved characters');
  const hash = createHash('sha256');
  // Stryker disable next-line StringLiteral: equivalent, '' means utf8: the same bytes as ascii here
  hash.update(verifier, 'ascii');
  return hash.digest('base64url');
}
