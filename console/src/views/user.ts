import { type AdminCall, adminApi, type GroupPage, type UserWithGroups } from '../admin-api.js';
import { announce } from '../announcer.js';
import { confirmAction } from '../confirm-dialog.js';
import { h } from '../elements.js';
import { accountState, formatDateTime } from '../format.js';
import {
  checkboxField,
  clearErrors,
  formMessage,
  inputField,
  selectField,
  showError,
  stringValue,
  submitButton,
  whileBusy,
} from '../forms.js';
import type { Route } from '../router.js';
import { type ConsoleContext, pageLink, type View } from '../view.js';

type UserRoute = Extract<Route, { page: 'user' }>;

interface AccountAction {
  readonly call: AdminCall;
  readonly label: string;
  readonly question: string;
  readonly done: string;
  readonly danger?: boolean;
}

function accountActions(user: UserWithGroups): AccountAction[] {
  const name = user.username;
  return [
    user.enabled
      ? {
          call: 'disableUser',
          label: 'Disable',
          question: `${name} will not be able to sign in, and every session of ${name} is signed out.`,
          done: `${name} is disabled and signed out everywhere.`,
          danger: true,
        }
      : {
          call: 'enableUser',
          label: 'Enable',
          question: `${name} will be able to sign in again.`,
          done: `${name} is enabled.`,
        },
    {
      call: 'resetPassword',
      label: 'Reset password',
      question: `${name}'s password stops working; Cognito sends ${name} a code to choose a new one.`,
      done: `${name}'s password is reset; Cognito has sent a code.`,
    },
    {
      call: 'signOutUser',
      label: 'Sign out everywhere',
      question: `Every session of ${name} ends; ${name} can sign in again.`,
      done: `${name} is signed out everywhere.`,
    },
    {
      call: 'deleteUser',
      label: 'Delete user',
      question: `${name} and their group memberships are deleted. This cannot be undone.`,
      done: `${name} is deleted.`,
      danger: true,
    },
  ];
}

export async function userView(ctx: ConsoleContext, route: UserRoute): Promise<View> {
  const params = { username: route.username };
  const [found, groups] = await Promise.all([
    adminApi<UserWithGroups>('getUser', { params }),
    adminApi<GroupPage>('listGroups', { query: { limit: 60 } }),
  ]);
  if (!found.ok) {
    announce(found.error.message);
    return {
      title: route.username,
      content: h(
        'div',
        { class: 'stack' },
        h('p', { class: 'form-error' }, `${found.error.message} (${found.status})`),
        h('p', null, pageLink({ page: 'users', search: '', status: '' }, 'Back to users')),
      ),
    };
  }
  const user = found.data;
  const reload = (message: string) => {
    announce(message);
    ctx.navigate(route);
  };

  const actionsForm = h('form', { class: 'stack' }, formMessage());
  const actionButtons = h('div', { class: 'actions wrap' });
  for (const action of accountActions(user)) {
    actionButtons.append(
      h(
        'button',
        {
          type: 'button',
          class: action.danger ? 'danger' : null,
          onclick: () =>
            void whileBusy(actionsForm, async () => {
              const confirmed = await confirmAction({
                title: `${action.label}: ${user.username}?`,
                body: action.question,
                confirmLabel: action.label,
                danger: action.danger ?? false,
              });
              if (!confirmed) return;
              clearErrors(actionsForm);
              const result = await adminApi(action.call, { params });
              if (!result.ok) return showError(actionsForm, result.error);
              if (action.call === 'deleteUser') {
                announce(action.done);
                ctx.navigate({ page: 'users', search: '', status: '' });
              } else reload(action.done);
            }),
        },
        action.label,
      ),
    );
  }
  actionsForm.prepend(actionButtons);

  const passwordForm = h(
    'form',
    { class: 'stack', novalidate: true },
    inputField({ label: 'New password', name: 'password', type: 'password', autocomplete: 'new-password' }),
    checkboxField({
      label: 'Permanent',
      name: 'permanent',
      hint: 'Unticked, the user must choose a new password at the next sign-in.',
    }),
    formMessage(),
    submitButton('Set password'),
  );
  passwordForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {
      password: String(new FormData(passwordForm).get('password') ?? ''),
      permanent: isChecked(passwordForm, 'permanent'),
    };
    void whileBusy(passwordForm, async () => {
      clearErrors(passwordForm);
      const result = await adminApi('setPassword', { params, body });
      if (!result.ok) return showError(passwordForm, result.error);
      reload(`${user.username}'s password is set${body.permanent ? '' : ' (temporary)'}.`);
    });
  });

  const joinable = groups.ok
    ? groups.data.groups.map((group) => group.name).filter((name) => !user.groups.includes(name))
    : [];
  const addForm = h(
    'form',
    { class: 'filters' },
    selectField({ label: 'Group', name: 'group', choices: joinable.map((name) => [name, name] as const) }),
    submitButton('Add to group'),
    formMessage(),
  );
  addForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const group = stringValue(addForm, 'group');
    void whileBusy(addForm, async () => {
      const result = await adminApi('addToGroup', { params: { ...params, group } });
      if (!result.ok) return showError(addForm, result.error);
      reload(`${user.username} joined ${group}.`);
    });
  });
  const membership = h('form', { class: 'stack' }, formMessage());
  membership.prepend(
    user.groups.length === 0
      ? h('p', null, 'Not in any group.')
      : h(
          'ul',
          { class: 'memberships' },
          user.groups.map((group) =>
            h(
              'li',
              null,
              pageLink({ page: 'group', group }, group),
              h(
                'button',
                {
                  type: 'button',
                  class: 'quiet',
                  'aria-label': `Remove ${user.username} from ${group}`,
                  onclick: () =>
                    void whileBusy(membership, async () => {
                      const confirmed = await confirmAction({
                        title: `Remove ${user.username} from ${group}?`,
                        body: `${user.username} loses what the ${group} group allows, from the next token on.`,
                        confirmLabel: 'Remove',
                      });
                      if (!confirmed) return;
                      const result = await adminApi('removeFromGroup', { params: { ...params, group } });
                      if (!result.ok) return showError(membership, result.error);
                      reload(`${user.username} left ${group}.`);
                    }),
                },
                'Remove',
              ),
            ),
          ),
        ),
  );

  const other = Object.entries(user.attributes).filter(([name]) => name !== 'email' && name !== 'sub');
  return {
    title: user.username,
    content: h(
      'div',
      { class: 'stack' },
      h('p', null, pageLink({ page: 'users', search: '', status: '' }, 'All users')),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Email'),
        h('dd', null, user.attributes.email ?? '–'),
        h('dt', null, 'State'),
        h('dd', { 'data-account-state': '' }, accountState(user)),
        h('dt', null, 'Created'),
        h('dd', null, formatDateTime(user.createdAt)),
        h('dt', null, 'Changed'),
        h('dd', null, formatDateTime(user.updatedAt)),
        h('dt', null, 'Sub'),
        h('dd', { class: 'mono' }, user.attributes.sub ?? '–'),
        other.map(([name, value]) => [h('dt', null, name), h('dd', null, value)]),
      ),
      section('Account', actionsForm),
      section('Groups', membership, joinable.length > 0 ? addForm : null),
      section('Set a password', passwordForm),
    ),
  };
}

function section(title: string, ...content: (Node | null)[]): HTMLElement {
  const id = `section-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return h('section', { class: 'stack', 'aria-labelledby': id }, h('h2', { id }, title), content);
}

function isChecked(form: HTMLFormElement, name: string): boolean {
  return new FormData(form).get(name) === 'true';
}
