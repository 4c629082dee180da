/**
 * The authorizer context's `groups`: API Gateway takes flat strings only, so the list travels as one string that
 * the authorizer writes (shared/policy/authorizer-context.ts) and every backend reads (request-identity.ts).
 */
// Cognito allows commas (and %) in group names: escaped, so a group named "ops,admins" cannot pose as two groups.
const GROUP_ESCAPES: Record<string, string> = { '%': '%25', ',': '%2C' };
const GROUP_UNESCAPES: Record<string, string> = { '%25': '%', '%2C': ',' };

/** Groups as one comma-separated string; a comma or % inside a name is percent-encoded. */
export function encodeGroupList(groups: readonly string[]): string {
  return groups.map((group) => group.replace(/[%,]/g, (char) => GROUP_ESCAPES[char]!)).join(',');
}

/** The inverse of encodeGroupList, for backends reading the context. */
export function decodeGroupList(value: string): string[] {
  if (value === '') return [];
  return value
    .split(',')
    .map((group) => group.replace(/%(?:25|2C)/gi, (sequence) => GROUP_UNESCAPES[sequence.toUpperCase()]!));
}
