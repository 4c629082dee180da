import {
  CREATE_GROUP_BODY,
  CREATE_USER_BODY,
  CREATED_USER_RESPONSE,
  GROUP_PAGE_RESPONSE,
  GROUP_RESPONSE,
  LIST_USERS_QUERY,
  OPENAPI_RESPONSE,
  PAGE_QUERY,
  SET_PASSWORD_BODY,
  USER_PAGE_RESPONSE,
  USER_WITH_GROUPS_RESPONSE,
} from './admin-schemas.js';
import type { JsonSchema } from './json-schema.js';

export type AdminAction =
  | 'user.create'
  | 'user.list'
  | 'user.get'
  | 'user.delete'
  | 'user.disable'
  | 'user.enable'
  | 'user.sign_out'
  | 'user.reset_password'
  | 'user.set_password'
  | 'user.add_group'
  | 'user.remove_group'
  | 'user.list_groups'
  | 'group.list'
  | 'group.create'
  | 'group.list_users'
  | 'openapi.read';

export type AdminMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface AdminRouteSpec {
  method: AdminMethod;
  /** `{name}` segments are path parameters, validated by PATH_PARAMETER_SCHEMAS. */
  path: string;
  action: AdminAction;
  summary: string;
  /** The success status; 204 answers have no body. */
  status: 200 | 201 | 204;
  body?: JsonSchema;
  query?: JsonSchema;
  response?: JsonSchema;
}

/**
 * The admin API, in one place: the router is built from this table and so is the OpenAPI document, and a
 * unit test checks that the two agree.
 */
export const ADMIN_ROUTES: readonly AdminRouteSpec[] = [
  {
    method: 'POST',
    path: '/admin/users',
    action: 'user.create',
    status: 201,
    summary: 'Create a user, then add it to each of `groups` (all or nothing)',
    body: CREATE_USER_BODY,
    response: CREATED_USER_RESPONSE,
  },
  {
    method: 'GET',
    path: '/admin/users',
    action: 'user.list',
    status: 200,
    summary: 'List users, optionally filtered by email, username prefix or status',
    query: LIST_USERS_QUERY,
    response: USER_PAGE_RESPONSE,
  },
  {
    method: 'GET',
    path: '/admin/users/{username}',
    action: 'user.get',
    status: 200,
    summary: "Get a user's attributes, status, enabled flag and groups",
    response: USER_WITH_GROUPS_RESPONSE,
  },
  { method: 'DELETE', path: '/admin/users/{username}', action: 'user.delete', status: 204, summary: 'Delete a user' },
  {
    method: 'POST',
    path: '/admin/users/{username}/disable',
    action: 'user.disable',
    status: 204,
    summary: 'Disable a user and sign it out everywhere (idempotent)',
  },
  {
    method: 'POST',
    path: '/admin/users/{username}/enable',
    action: 'user.enable',
    status: 204,
    summary: 'Enable a user (idempotent)',
  },
  {
    method: 'POST',
    path: '/admin/users/{username}/sign-out',
    action: 'user.sign_out',
    status: 204,
    summary: 'Sign a user out everywhere: Cognito revokes its refresh tokens, the authorizer refuses its current ones',
  },
  {
    method: 'POST',
    path: '/admin/users/{username}/reset-password',
    action: 'user.reset_password',
    status: 204,
    summary: "Reset a user's password: Cognito sends the user a code",
  },
  {
    method: 'PUT',
    path: '/admin/users/{username}/password',
    action: 'user.set_password',
    status: 204,
    summary: "Set a user's password, temporary or permanent",
    body: SET_PASSWORD_BODY,
  },
  {
    method: 'PUT',
    path: '/admin/users/{username}/groups/{group}',
    action: 'user.add_group',
    status: 204,
    summary: 'Add a user to a group (idempotent)',
  },
  {
    method: 'DELETE',
    path: '/admin/users/{username}/groups/{group}',
    action: 'user.remove_group',
    status: 204,
    summary: 'Remove a user from a group',
  },
  {
    method: 'GET',
    path: '/admin/users/{username}/groups',
    action: 'user.list_groups',
    status: 200,
    summary: "List a user's groups",
    query: PAGE_QUERY,
    response: GROUP_PAGE_RESPONSE,
  },
  {
    method: 'GET',
    path: '/admin/groups',
    action: 'group.list',
    status: 200,
    summary: 'List groups',
    query: PAGE_QUERY,
    response: GROUP_PAGE_RESPONSE,
  },
  {
    method: 'POST',
    path: '/admin/groups',
    action: 'group.create',
    status: 201,
    summary: 'Create a group',
    body: CREATE_GROUP_BODY,
    response: GROUP_RESPONSE,
  },
  {
    method: 'GET',
    path: '/admin/groups/{group}/users',
    action: 'group.list_users',
    status: 200,
    summary: "List a group's users",
    query: PAGE_QUERY,
    response: USER_PAGE_RESPONSE,
  },
  {
    method: 'GET',
    path: '/admin/openapi.json',
    action: 'openapi.read',
    status: 200,
    summary: 'This OpenAPI 3.1 document',
    response: OPENAPI_RESPONSE,
  },
];

export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}
