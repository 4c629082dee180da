import { adminApi, type Group, type GroupPage, type UserPage } from '../admin-api.js';
import { announce } from '../announcer.js';
import { dataTable } from '../data-table.js';
import { h } from '../elements.js';
import { accountState } from '../format.js';
import { clearErrors, formMessage, inputField, showError, stringValue, submitButton, whileBusy } from '../forms.js';
import type { Route } from '../router.js';
import { type ConsoleContext, pageLink, type View } from '../view.js';

const PAGE_SIZE = 60;

export async function groupsView(ctx: ConsoleContext): Promise<View> {
  const groups: Group[] = [];
  let next: string | undefined;
  let failure: string | undefined;
  // Groups are few (Cognito allows 10,000 per pool, most pools have a handful): list them all.
  for (let page = 0; page < 20; page += 1) {
    const result = await adminApi<GroupPage>('listGroups', { query: { limit: PAGE_SIZE, next } });
    if (!result.ok) {
      failure = result.error.message;
      break;
    }
    groups.push(...result.data.groups);
    next = result.data.next;
    if (!next) break;
  }

  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    inputField({
      label: 'Name',
      name: 'name',
      required: true,
      hint: 'No commas: the authorizer passes groups comma-separated.',
    }),
    inputField({ label: 'Description', name: 'description' }),
    inputField({
      label: 'Precedence',
      name: 'precedence',
      type: 'number',
      inputmode: 'numeric',
      hint: 'Optional; a lower number wins when a user is in several groups with IAM roles.',
    }),
    formMessage(),
    submitButton('Create group'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const precedence = stringValue(form, 'precedence');
    const description = stringValue(form, 'description');
    const body = {
      name: stringValue(form, 'name'),
      ...(description ? { description } : {}),
      ...(precedence ? { precedence: Number(precedence) } : {}),
    };
    void whileBusy(form, async () => {
      clearErrors(form);
      const created = await adminApi<Group>('createGroup', { body });
      if (!created.ok) return showError(form, created.error);
      announce(`Created the group ${created.data.name}.`);
      ctx.navigate({ page: 'group', group: created.data.name });
    });
  });

  return {
    title: 'Groups',
    content: h(
      'div',
      { class: 'stack' },
      failure ? h('p', { class: 'form-error' }, `Groups could not be listed: ${failure}`) : null,
      groups.length === 0 && !failure ? h('p', null, 'No groups yet.') : null,
      groups.length > 0
        ? dataTable(
            'Groups',
            [{ title: 'Name' }, { title: 'Description' }, { title: 'Precedence', wideOnly: true }],
            groups.map((group) => [
              pageLink({ page: 'group', group: group.name }, group.name),
              group.description ?? '',
              group.precedence === undefined ? '' : String(group.precedence),
            ]),
          )
        : null,
      h(
        'section',
        { class: 'stack', 'aria-labelledby': 'new-group' },
        h('h2', { id: 'new-group' }, 'Create a group'),
        form,
      ),
    ),
  };
}

type GroupRoute = Extract<Route, { page: 'group' }>;

export async function groupView(_ctx: ConsoleContext, route: GroupRoute): Promise<View> {
  const members = h('ul', { class: 'members' });
  const more = h('button', { type: 'button', hidden: true }, 'Show more members');
  const status = h('p', { class: 'form-error', hidden: true });
  let next: string | undefined;
  const loadPage = async (): Promise<number> => {
    const result = await adminApi<UserPage>('listGroupUsers', {
      params: { group: route.group },
      query: { limit: PAGE_SIZE, next },
    });
    if (!result.ok) {
      status.textContent = `${result.error.message} (${result.status})`;
      status.hidden = false;
      more.hidden = true;
      return 0;
    }
    for (const user of result.data.users) {
      members.append(
        h(
          'li',
          null,
          pageLink({ page: 'user', username: user.username }, user.username),
          ` ${user.attributes.email ?? ''} (${accountState(user)})`,
        ),
      );
    }
    next = result.data.next;
    more.hidden = !next;
    return result.data.users.length;
  };
  more.addEventListener('click', () => {
    void loadPage().then((count) => announce(`${count} more members shown.`));
  });
  const count = await loadPage();
  return {
    title: `Group ${route.group}`,
    content: h(
      'div',
      { class: 'stack' },
      h('p', null, pageLink({ page: 'groups' }, 'All groups')),
      status,
      count === 0 && status.hidden ? h('p', null, 'No members.') : null,
      h(
        'section',
        { class: 'stack', 'aria-labelledby': 'members' },
        h('h2', { id: 'members' }, 'Members'),
        members,
        more,
      ),
    ),
  };
}
