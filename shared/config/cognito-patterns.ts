/** Cognito's own patterns, written once: config, request validation and the admin schemas all test against these. */

/** An AWS user pool id, `<region>_<id>` (`eu-west-1_AbC`); the region is captured. */
export const AWS_USER_POOL_ID = /^(?<region>[a-z]{2}(?:-[a-z]+)+-\d)_[A-Za-z0-9]+$/;
/** Any user pool id, AWS's or cognito-local's (`local_AbC`). */
export const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
export const AWS_REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** The host of Cognito's issuer URL, `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
export const COGNITO_ISSUER_HOST = /^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/;

/** The characters Cognito allows in a group or identity provider name (letters, marks, symbols, numbers, punctuation). */
export const COGNITO_NAME_CHARS = '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]';
/** A whole group or identity provider name, 1 to 128 of those characters. */
export const COGNITO_NAME = new RegExp(`^${COGNITO_NAME_CHARS}{1,128}$`, 'u');

/** One OAuth scope (RFC 6749 §3.3 scope-token): printable ASCII without space, `"` or `\`. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The region in an AWS pool id, or undefined for another id (cognito-local's `local_...`). */
export function poolRegion(poolId: string): string | undefined {
  return AWS_USER_POOL_ID.exec(poolId)?.groups?.region;
}
