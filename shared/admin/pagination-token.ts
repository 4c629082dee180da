import { ValidationError } from '../errors/gate-error.js';

/**
 * Pagination tokens are opaque to clients: base64url of a version, the listing they belong to and Cognito's
 * own token. A token from one listing is refused by another with a 400 naming `next`.
 */
export type PageScope = 'users' | 'groups' | 'user-groups' | 'group-users';

const VERSION = 'v1';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodePageToken(scope: PageScope, cognitoToken: string | undefined): string | undefined {
  if (!cognitoToken) return undefined;
  return Buffer.from(`${VERSION}:${scope}:${cognitoToken}`, 'utf8').toString('base64url');
}

export function decodePageToken(scope: PageScope, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const invalid = () => new ValidationError('next is not a pagination token from this listing', 'next');
  if (!BASE64URL.test(token)) throw invalid();
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  const prefix = `${VERSION}:${scope}:`;
  if (!decoded.startsWith(prefix) || decoded.length === prefix.length) throw invalid();
  return decoded.slice(prefix.length);
}
