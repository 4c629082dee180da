import type { AttributeType, GroupType, UserType } from '@aws-sdk/client-cognito-identity-provider';

/** What the admin API shows of a user and a group: Cognito's shapes, renamed and flattened. */
export interface UserView {
  username: string;
  status: string;
  enabled: boolean;
  attributes: Record<string, string>;
  createdAt?: string;
  updatedAt?: string;
}

export interface GroupView {
  name: string;
  description?: string;
  precedence?: number;
  createdAt?: string;
  updatedAt?: string;
}

export function toUserView(user: UserType & { UserAttributes?: AttributeType[] }): UserView {
  const attributes: Record<string, string> = {};
  for (const { Name, Value } of user.Attributes ?? user.UserAttributes ?? []) {
    if (Name !== undefined && Value !== undefined) attributes[Name] = Value;
  }
  return {
    username: user.Username ?? '',
    status: user.UserStatus ?? 'UNKNOWN',
    enabled: user.Enabled ?? false,
    attributes,
    ...timestamps(user.UserCreateDate, user.UserLastModifiedDate),
  };
}

export function toGroupView(group: GroupType): GroupView {
  return {
    name: group.GroupName ?? '',
    ...(group.Description !== undefined ? { description: group.Description } : {}),
    ...(group.Precedence !== undefined ? { precedence: group.Precedence } : {}),
    ...timestamps(group.CreationDate, group.LastModifiedDate),
  };
}

function timestamps(created: Date | undefined, updated: Date | undefined): { createdAt?: string; updatedAt?: string } {
  return {
    ...(isDate(created) ? { createdAt: created.toISOString() } : {}),
    ...(isDate(updated) ? { updatedAt: updated.toISOString() } : {}),
  };
}

function isDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
