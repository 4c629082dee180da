import { adminApi, type CreatedUser, type GroupPage } from '../admin-api.js';
import { announce } from '../announcer.js';
import { h, replaceChildren } from '../elements.js';
import { listOrNone } from '../format.js';
import {
  choiceGroup,
  clearErrors,
  formMessage,
  inputField,
  showError,
  stringValue,
  submitButton,
  whileBusy,
} from '../forms.js';
import { type ConsoleContext, pageLink, type View } from '../view.js';

const DELIVERY = [
  ['invite', 'Send an invitation email (Cognito sends the temporary password)'],
  ['show', 'Show a temporary password here, once, and send nothing'],
] as const;

export async function newUserView(_ctx: ConsoleContext): Promise<View> {
  const groups = await adminApi<GroupPage>('listGroups', { query: { limit: 60 } });
  const groupNames = groups.ok ? groups.data.groups.map((group) => group.name) : [];
  const outcome = h('section', { class: 'outcome', 'aria-labelledby': 'created-heading', hidden: true });
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    inputField({
      label: 'Username',
      name: 'username',
      required: true,
      hint: 'Letters, digits and punctuation; no spaces.',
    }),
    inputField({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'off' }),
    choiceGroup({
      label: 'Groups to join',
      name: 'groups',
      type: 'checkbox',
      choices: groupNames.map((name) => [name, name] as const),
    }),
    choiceGroup({
      label: 'Temporary password',
      name: 'delivery',
      type: 'radio',
      choices: DELIVERY,
      checked: ['invite'],
    }),
    formMessage(),
    submitButton('Create user'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      username: stringValue(form, 'username'),
      email: stringValue(form, 'email'),
      groups: data.getAll('groups').map(String),
      sendInvite: data.get('delivery') !== 'show',
    };
    void whileBusy(form, async () => {
      clearErrors(form);
      const created = await adminApi<CreatedUser>('createUser', { body });
      if (!created.ok) {
        showError(form, created.error, { sendInvite: 'delivery' });
        return;
      }
      form.reset();
      showCreated(outcome, created.data);
    });
  });

  return {
    title: 'Create a user',
    content: h(
      'div',
      { class: 'stack' },
      groups.ok ? null : h('p', { class: 'form-error' }, `Groups could not be listed: ${groups.error.message}`),
      outcome,
      form,
    ),
  };
}

/** The temporary password is in the page only until the next navigation: the API never shows it again. */
function showCreated(outcome: HTMLElement, user: CreatedUser): void {
  const heading = h('h2', { id: 'created-heading', tabindex: -1 }, `Created ${user.username}`);
  replaceChildren(
    outcome,
    heading,
    h('p', null, `Status ${user.status}; groups: ${listOrNone(user.groups)}.`),
    user.temporaryPassword
      ? h(
          'div',
          { class: 'secret' },
          h('p', null, 'Temporary password, shown once. Pass it on now; it is not shown again:'),
          h('p', null, h('code', { class: 'password', 'data-temporary-password': '' }, user.temporaryPassword)),
          h('p', { class: 'hint' }, 'The user chooses a new password at the first sign-in.'),
        )
      : h('p', null, 'Cognito emails the user an invitation with a temporary password.'),
    h('p', null, pageLink({ page: 'user', username: user.username }, `Open ${user.username}'s page`)),
  );
  outcome.hidden = false;
  heading.focus();
  announce(`Created ${user.username}.`);
}
