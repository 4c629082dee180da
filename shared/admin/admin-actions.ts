import type { AdminAction } from './admin-routes.js';
import type { AdminService, AuditNotes, CreateUserInput, PageRequest } from './admin-service.js';
import type { AuditTarget } from './audit-log.js';
import { cognitoUserFilter, type UserListFilter } from './user-filter.js';

/** What an action gets: inputs that have passed their schemas. */
export interface ActionInput {
  path: Readonly<Record<string, string>>;
  query: Readonly<Record<string, unknown>>;
  body: unknown;
}

export interface ActionResult {
  body?: unknown;
  headers?: Record<string, string>;
}

export type ActionFn = (input: ActionInput, notes: AuditNotes) => Promise<ActionResult>;
/** One implementation per action of the route table; the compiler checks none is missing. */
export type AdminActions = Readonly<Record<AdminAction, ActionFn>>;

interface CreateUserBody {
  username: string;
  email: string;
  attributes?: Record<string, string>;
  temporaryPassword?: string;
  sendInvite?: boolean;
  groups?: string[];
}
interface SetPasswordBody {
  password: string;
  permanent?: boolean;
}
interface CreateGroupBody {
  name: string;
  description?: string;
  precedence?: number;
}

export function createAdminActions(service: AdminService, openApiDocument: object): AdminActions {
  const page = (query: ActionInput['query']): PageRequest => ({
    ...(typeof query.limit === 'number' ? { limit: query.limit } : {}),
    ...(typeof query.next === 'string' ? { next: query.next } : {}),
  });
  const username = (input: ActionInput) => input.path.username as string;
  const group = (input: ActionInput) => input.path.group as string;
  const done = async (work: Promise<void>): Promise<ActionResult> => {
    await work;
    return {};
  };

  return {
    'user.create': async (input, notes) => {
      const body = input.body as CreateUserBody;
      const request: CreateUserInput = {
        username: body.username,
        email: body.email,
        attributes: body.attributes ?? {},
        sendInvite: body.sendInvite ?? true,
        groups: body.groups ?? [],
        ...(body.temporaryPassword !== undefined ? { temporaryPassword: body.temporaryPassword } : {}),
      };
      const user = await service.createUser(request, notes);
      return { body: user, headers: { location: `/admin/users/${encodeURIComponent(user.username)}` } };
    },
    'user.list': async (input) => ({
      body: await service.listUsers(page(input.query), cognitoUserFilter(input.query as UserListFilter)),
    }),
    'user.get': async (input) => ({ body: await service.getUser(username(input)) }),
    'user.delete': (input, notes) => done(service.deleteUser(username(input), notes)),
    'user.disable': (input, notes) => done(service.disableUser(username(input), notes)),
    'user.enable': (input) => done(service.enableUser(username(input))),
    'user.sign_out': (input, notes) => done(service.signOutUser(username(input), notes)),
    'user.reset_password': (input) => done(service.resetPassword(username(input))),
    'user.set_password': (input) => {
      const body = input.body as SetPasswordBody;
      return done(service.setPassword(username(input), body.password, body.permanent ?? false));
    },
    'user.add_group': (input) => done(service.addUserToGroup(username(input), group(input))),
    'user.remove_group': (input) => done(service.removeUserFromGroup(username(input), group(input))),
    'user.list_groups': async (input) => ({
      body: await service.listGroupsForUser(username(input), page(input.query)),
    }),
    'group.list': async (input) => ({ body: await service.listGroups(page(input.query)) }),
    'group.create': async (input) => {
      const body = input.body as CreateGroupBody;
      const created = await service.createGroup(body);
      return { body: created, headers: { location: `/admin/groups/${encodeURIComponent(created.name)}/users` } };
    },
    'group.list_users': async (input) => ({ body: await service.listUsersInGroup(group(input), page(input.query)) }),
    'openapi.read': async () => ({ body: openApiDocument }),
  };
}

/** The audit target: path parameters, or the name being created. Never anything else from the body. */
export function auditTarget(action: AdminAction, path: Readonly<Record<string, string>>, body: unknown): AuditTarget {
  const fromBody = (key: string): string | undefined => {
    const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  const username = path.username ?? (action === 'user.create' ? fromBody('username') : undefined);
  const group = path.group ?? (action === 'group.create' ? fromBody('name') : undefined);
  return { ...(username !== undefined ? { username } : {}), ...(group !== undefined ? { group } : {}) };
}
