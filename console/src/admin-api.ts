import { type ApiResult, callApi } from './api.js';

/**
 * The admin API routes the console calls, as shared/admin/admin-routes.ts names them; a unit test checks each
 * one against ADMIN_ROUTES, so a renamed route fails the build instead of a button.
 */
export const ADMIN_CALLS = {
  listUsers: { method: 'GET', path: '/admin/users' },
  createUser: { method: 'POST', path: '/admin/users' },
  getUser: { method: 'GET', path: '/admin/users/{username}' },
  deleteUser: { method: 'DELETE', path: '/admin/users/{username}' },
  disableUser: { method: 'POST', path: '/admin/users/{username}/disable' },
  enableUser: { method: 'POST', path: '/admin/users/{username}/enable' },
  resetPassword: { method: 'POST', path: '/admin/users/{username}/reset-password' },
  signOutUser: { method: 'POST', path: '/admin/users/{username}/sign-out' },
  setPassword: { method: 'PUT', path: '/admin/users/{username}/password' },
  addToGroup: { method: 'PUT', path: '/admin/users/{username}/groups/{group}' },
  removeFromGroup: { method: 'DELETE', path: '/admin/users/{username}/groups/{group}' },
  listGroups: { method: 'GET', path: '/admin/groups' },
  createGroup: { method: 'POST', path: '/admin/groups' },
  listGroupUsers: { method: 'GET', path: '/admin/groups/{group}/users' },
} as const;

export type AdminCall = keyof typeof ADMIN_CALLS;

export interface User {
  readonly username: string;
  readonly status: string;
  readonly enabled: boolean;
  readonly attributes: Readonly<Record<string, string>>;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}
export interface UserWithGroups extends User {
  readonly groups: readonly string[];
}
export interface CreatedUser extends UserWithGroups {
  readonly temporaryPassword?: string;
}
export interface Group {
  readonly name: string;
  readonly description?: string;
  readonly precedence?: number;
}
export interface UserPage {
  readonly users: readonly User[];
  readonly next?: string;
}
export interface GroupPage {
  readonly groups: readonly Group[];
  readonly next?: string;
}

export const USERS_PAGE_SIZE = 20;

/** Cognito filters on one attribute per request: an `@` makes the search an exact email, else a prefix. */
export function listUsersQuery(filter: {
  readonly search: string;
  readonly status: string;
  readonly next?: string;
}): Record<string, string | number | undefined> {
  const search = filter.search.trim();
  return {
    limit: USERS_PAGE_SIZE,
    next: filter.next,
    ...(search.includes('@') ? { email: search } : search ? { usernamePrefix: search } : {}),
    status: filter.status || undefined,
  };
}

/** Fills `{name}` segments, each percent-encoded: a username cannot add a path segment. */
export function adminPath(call: AdminCall, params: Readonly<Record<string, string>> = {}): string {
  return ADMIN_CALLS[call].path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${call} needs ${name}`);
    return encodeURIComponent(value);
  });
}

export function adminApi<T = undefined>(
  call: AdminCall,
  options: {
    params?: Readonly<Record<string, string>>;
    query?: Readonly<Record<string, string | number | undefined>>;
    body?: unknown;
  } = {},
): Promise<ApiResult<T>> {
  return callApi<T>({
    method: ADMIN_CALLS[call].method,
    path: adminPath(call, options.params),
    ...(options.query ? { query: options.query } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
}
