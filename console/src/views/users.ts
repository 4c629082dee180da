import { USER_STATUSES } from '../../../shared/admin/user-statuses.js';
import { adminApi, listUsersQuery, type UserPage } from '../admin-api.js';
import { announce } from '../announcer.js';
import { dataTable } from '../data-table.js';
import { h } from '../elements.js';
import { formatDateTime } from '../format.js';
import { formMessage, inputField, selectField, showError, stringValue, submitButton } from '../forms.js';
import type { Route } from '../router.js';
import { type ConsoleContext, pageLink, type View } from '../view.js';

export async function usersView(ctx: ConsoleContext, route: Extract<Route, { page: 'users' }>): Promise<View> {
  const form = h(
    'form',
    { role: 'search', class: 'filters', 'aria-label': 'Find users' },
    inputField({
      label: 'Username prefix or exact email',
      name: 'search',
      type: 'search',
      value: route.search,
      hint: 'Cognito filters on one attribute at a time: search or status.',
    }),
    selectField({
      label: 'Status',
      name: 'status',
      value: route.status,
      choices: [['', 'Any status'], ...USER_STATUSES.map((status) => [status, status] as const)],
    }),
    submitButton('Search'),
    formMessage(),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate({ page: 'users', search: stringValue(form, 'search'), status: stringValue(form, 'status') });
  });

  const result = await adminApi<UserPage>('listUsers', { query: listUsersQuery(route) });
  let listing: Node;
  if (!result.ok) {
    showError(form, result.error, { usernamePrefix: 'search', email: 'search' });
    listing = h('p', null, 'No users to show.');
  } else {
    const { users, next } = result.data;
    const filtered = route.search !== '' || route.status !== '';
    announce(`${users.length} user${users.length === 1 ? '' : 's'} shown${next ? '; there are more' : ''}.`);
    listing = h(
      'div',
      { class: 'stack' },
      users.length === 0
        ? h('p', null, filtered ? 'No user matches.' : 'No users yet.')
        : dataTable(
            'Users',
            [
              { title: 'Username' },
              { title: 'Email' },
              { title: 'Status' },
              { title: 'Enabled' },
              { title: 'Created', wideOnly: true },
            ],
            users.map((user) => [
              pageLink({ page: 'user', username: user.username }, user.username),
              user.attributes.email ?? '–',
              user.status,
              user.enabled ? 'yes' : 'no',
              formatDateTime(user.createdAt),
            ]),
          ),
      h(
        'nav',
        { class: 'pager', 'aria-label': 'Pages of users' },
        route.next ? pageLink({ ...route, next: undefined }, 'First page') : null,
        next ? pageLink({ ...route, next }, 'Next page') : null,
      ),
    );
  }

  return {
    title: 'Users',
    content: h('div', { class: 'stack' }, h('p', null, pageLink({ page: 'new-user' }, 'Create a user')), form, listing),
  };
}
