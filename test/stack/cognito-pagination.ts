import { CognitoFault } from './cognito-fault.js';

/** Cognito's page size limit for ListUsers, ListGroups, ListUsersInGroup and AdminListGroupsForUser. */
const MAX_LIMIT = 60;

export interface Page<T> {
  items: T[];
  /** Present only when more items follow. */
  next?: string;
}

function afterKeyOf(token: unknown): string | undefined {
  if (token === undefined || token === null) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string') return decoded.after;
  } catch {
    // falls through to the fault
  }
  throw new CognitoFault('InvalidParameterException', 'Invalid pagination token.');
}

function pageSize(limit: unknown): number {
  if (limit === undefined || limit === null || limit === 0) return MAX_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
    throw new CognitoFault(
      'InvalidParameterException',
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 0 and ${MAX_LIMIT}`,
    );
  }
  return limit;
}

/**
 * One page of a listing that cognito-local returns whole. Items are ordered by key and a token resumes after
 * the last key handed out, so a deletion between two pages neither repeats nor skips an item.
 */
export function paginate<T>(items: T[], keyOf: (item: T) => string, limit: unknown, token: unknown): Page<T> {
  const size = pageSize(limit);
  const after = afterKeyOf(token);
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((item) => keyOf(item) > after);
  const page = rest.slice(0, size);
  const last = page.at(-1);
  if (rest.length <= size || last === undefined) return { items: page };
  return { items: page, next: Buffer.from(JSON.stringify({ after: keyOf(last) }), 'utf8').toString('base64url') };
}
