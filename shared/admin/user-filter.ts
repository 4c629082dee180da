import { ValidationError } from '../errors/gate-error.js';

/** The ListUsers filters the admin API offers; Cognito accepts one filter per request. */
export interface UserListFilter {
  email?: string;
  usernamePrefix?: string;
  status?: string;
}

const FILTER_FIELDS = ['email', 'usernamePrefix', 'status'] as const;

/**
 * Builds Cognito's ListUsers `Filter` string. The values were validated by LIST_USERS_QUERY, which refuses
 * quotes and backslashes; checked again here because this string is a small query language.
 */
export function cognitoUserFilter(filter: UserListFilter): string | undefined {
  const given = FILTER_FIELDS.filter((name) => filter[name] !== undefined);
  if (given.length > 1) {
    throw new ValidationError(`Use one filter at a time: ${given.join(' and ')} were given`, given[1]);
  }
  const name = given[0];
  if (name === undefined) return undefined;
  const value = filter[name] as string;
  if (/["\\]/.test(value)) throw new ValidationError(`${name} contains characters that are not allowed`, name);
  switch (name) {
    case 'email':
      return `email = "${value}"`;
    case 'usernamePrefix':
      return `username ^= "${value}"`;
    case 'status':
      return `cognito:user_status = "${value}"`;
  }
}
