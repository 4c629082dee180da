import type { AccountState } from './account-state.js';
import { withAccountStatus } from './cognito-account-operations.js';
import { paginate } from './cognito-pagination.js';
import type { CognitoInput, CognitoOutput, Operation } from './cognito-proxy.js';

type Named = CognitoOutput & { Username?: string; GroupName?: string };

/** `cognito:user_status = "X"` or `^= "X"`: answered here, since RESET_REQUIRED is not in cognito-local. */
const STATUS_FILTER = /^\s*cognito:user_status\s*(\^?=)\s*"([^"]*)"\s*$/;

const byUsername = (user: Named) => String(user.Username);
const byGroupName = (group: Named) => String(group.GroupName);

/** The listing's own fields, without the paging ones cognito-local would ignore anyway. */
function withoutPaging(input: CognitoInput): CognitoInput {
  const { Limit: _limit, NextToken: _next, PaginationToken: _token, ...rest } = input;
  return rest;
}

/** Cognito's Limit and NextToken/PaginationToken on the four listings that cognito-local returns whole. */
export function listOperations(state: AccountState): Record<string, Operation> {
  return {
    async ListUsers(input, upstream) {
      const statusFilter = typeof input.Filter === 'string' ? STATUS_FILTER.exec(input.Filter) : null;
      const query = withoutPaging(input);
      if (statusFilter !== null) delete query.Filter;
      const { Users = [] } = (await upstream('ListUsers', query)) as { Users?: Named[] };
      let users = Users.map((user) => withAccountStatus(state, input.UserPoolId, user));
      if (statusFilter !== null) {
        const [, operator, value = ''] = statusFilter;
        users = users.filter((user) =>
          operator === '=' ? user.UserStatus === value : String(user.UserStatus).startsWith(value),
        );
      }
      const page = paginate(users, byUsername, input.Limit, input.PaginationToken);
      return { Users: page.items, ...(page.next ? { PaginationToken: page.next } : {}) };
    },

    async ListUsersInGroup(input, upstream) {
      const { Users = [] } = (await upstream('ListUsersInGroup', withoutPaging(input))) as { Users?: Named[] };
      const users = Users.map((user) => withAccountStatus(state, input.UserPoolId, user));
      const page = paginate(users, byUsername, input.Limit, input.NextToken);
      return { Users: page.items, ...(page.next ? { NextToken: page.next } : {}) };
    },

    async ListGroups(input, upstream) {
      const { Groups = [] } = (await upstream('ListGroups', withoutPaging(input))) as { Groups?: Named[] };
      const page = paginate(Groups, byGroupName, input.Limit, input.NextToken);
      return { Groups: page.items, ...(page.next ? { NextToken: page.next } : {}) };
    },

    async AdminListGroupsForUser(input, upstream) {
      const { Groups = [] } = (await upstream('AdminListGroupsForUser', withoutPaging(input))) as { Groups?: Named[] };
      const page = paginate(Groups, byGroupName, input.Limit, input.NextToken);
      return { Groups: page.items, ...(page.next ? { NextToken: page.next } : {}) };
    },
  };
}
