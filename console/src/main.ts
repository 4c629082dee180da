/**
 * The console's shell: who is signed in, the header, the session refresh, and one page at a time from the
 * hash route. Everything else is in the views.
 */
import './app.css';
import { announce } from './announcer.js';
import { onUnauthorized, setApiRoot } from './api.js';
import { h, replaceChildren } from './elements.js';
import { ADMIN_PAGES, isRouteHash, parseRoute, type Route, routeHref } from './router.js';
import { loadMe, type Me, refreshSession, signInUrl, signOutAction } from './session.js';
import { refreshDelayMs } from './session-clock.js';
import type { ConsoleContext, View } from './view.js';
import { groupsView, groupView } from './views/groups.js';
import { homeView } from './views/home.js';
import { newUserView } from './views/new-user.js';
import { userView } from './views/user.js';
import { usersView } from './views/users.js';

interface Settings {
  readonly adminGroup: string;
}

/** `/console/`, or `/prod/console/` behind a stage: API paths are taken from the same root. */
const consolePath = location.pathname.replace(/\/index\.html$/, '').replace(/\/?$/, '/');
// One address for the page (it is served at /console and /console/ alike), without a reload.
if (location.pathname !== consolePath) history.replaceState(null, '', consolePath + location.search + location.hash);
setApiRoot(consolePath.replace(/console\/$/, ''));

const state: { me: Me | null; settings: Settings; view: View | null; renders: number; refreshTimer?: number } = {
  me: null,
  settings: { adminGroup: 'admins' },
  view: null,
  renders: 0,
};

const isAdmin = () => state.me?.groups.includes(state.settings.adminGroup) ?? false;

const ctx: ConsoleContext = {
  get me() {
    return state.me;
  },
  get isAdmin() {
    return isAdmin();
  },
  consolePath,
  navigate(route: Route) {
    const href = routeHref(route);
    // The same hash fires no hashchange: draw the page again (after an action that changed it).
    if (href === location.hash || (href === '#/' && !isRouteHash(location.hash))) void render({ focus: true });
    else location.hash = href;
  },
  async reloadSession() {
    const me = await loadMe();
    if (me.ok) {
      state.me = me.data;
      scheduleRefresh();
    }
    drawHeader(parseRoute(location.hash));
  },
};

async function loadSettings(): Promise<Settings> {
  try {
    const response = await fetch(`${consolePath}settings.json`, { credentials: 'same-origin' });
    const settings = (await response.json()) as Partial<Settings>;
    return typeof settings.adminGroup === 'string' ? { adminGroup: settings.adminGroup } : state.settings;
  } catch {
    return state.settings;
  }
}

/** Renews the session a minute before it ends, for as long as the page is open. */
function scheduleRefresh(): void {
  window.clearTimeout(state.refreshTimer);
  if (!state.me) return;
  state.refreshTimer = window.setTimeout(
    async () => {
      const renewed = await refreshSession();
      if (renewed.ok) await ctx.reloadSession();
      else if (renewed.status !== 401) state.refreshTimer = window.setTimeout(scheduleRefresh, 30_000);
    },
    refreshDelayMs(state.me.expiresAt, Date.now()),
  );
}

function drawHeader(route: Route): void {
  const nav = document.getElementById('nav');
  const account = document.getElementById('account');
  if (!nav || !account) return;
  const link = (target: Route, label: string, pages: readonly Route['page'][]) =>
    h('a', { href: routeHref(target), 'aria-current': pages.includes(route.page) ? 'page' : null }, label);
  replaceChildren(
    nav,
    link({ page: 'home' }, state.me ? 'Who am I' : 'Start', ['home']),
    isAdmin() ? link({ page: 'users', search: '', status: '' }, 'Users', ['users', 'user', 'new-user']) : null,
    isAdmin() ? link({ page: 'groups' }, 'Groups', ['groups', 'group']) : null,
  );
  replaceChildren(
    account,
    state.me
      ? [
          h('span', { class: 'who' }, state.me.username ?? state.me.email ?? state.me.sub),
          // A form post: the token service revokes the refresh token, clears the cookies and redirects.
          h(
            'form',
            { method: 'post', action: signOutAction(consolePath) },
            h('button', { type: 'submit', class: 'quiet' }, 'Sign out'),
          ),
        ]
      : h('a', { href: signInUrl(consolePath) }, 'Sign in'),
  );
}

function notAvailableView(): View {
  return {
    title: 'Not available',
    content: h(
      'div',
      { class: 'stack' },
      state.me
        ? h('p', null, `Only members of the ${state.settings.adminGroup} group can manage users and groups.`)
        : h('p', null, 'Sign in first.'),
      h('p', null, h('a', { href: '#/' }, 'Back to the start')),
    ),
  };
}

async function viewFor(route: Route): Promise<View> {
  if (ADMIN_PAGES.has(route.page) && !isAdmin()) return notAvailableView();
  switch (route.page) {
    case 'home':
      return homeView(ctx);
    case 'users':
      return usersView(ctx, route);
    case 'new-user':
      return newUserView(ctx);
    case 'user':
      return userView(ctx, route);
    case 'groups':
      return groupsView(ctx);
    case 'group':
      return groupView(ctx, route);
    case 'not-found':
      return {
        title: 'Page not found',
        content: h('p', null, 'There is no such page. ', h('a', { href: '#/' }, 'Back to the start')),
      };
  }
}

/** Draws the page of the current hash; a slower earlier render that finishes late is dropped. */
async function render({ focus }: { focus: boolean }): Promise<void> {
  const main = document.getElementById('main');
  if (!main) return;
  const route = parseRoute(isRouteHash(location.hash) ? location.hash : '#/');
  const ticket = ++state.renders;
  main.setAttribute('aria-busy', 'true');
  drawHeader(route);
  let view: View;
  try {
    view = await viewFor(route);
  } catch (error) {
    view = {
      title: 'Something went wrong',
      content: h('p', { class: 'form-error' }, error instanceof Error ? error.message : String(error)),
    };
  }
  if (ticket !== state.renders) {
    view.dispose?.();
    return;
  }
  state.view?.dispose?.();
  state.view = view;
  const heading = h('h1', { tabindex: -1 }, view.title);
  replaceChildren(main, heading, view.content);
  main.removeAttribute('aria-busy');
  document.title = `${view.title} · cognito-gate console`;
  if (focus) heading.focus();
  // For `npm run bench` (and any real-user monitoring): when the first page was drawn.
  if (ticket === 1) performance.mark('console:first-page');
}

async function start(): Promise<void> {
  const [settings, me] = await Promise.all([loadSettings(), loadMe()]);
  state.settings = settings;
  state.me = me.ok ? me.data : null;
  onUnauthorized(() => {
    if (!state.me) return;
    // A refused call means the session is over (expired, signed out elsewhere, or revoked by an admin).
    state.me = null;
    window.clearTimeout(state.refreshTimer);
    drawHeader(parseRoute(location.hash));
    const notice = document.getElementById('notice');
    if (notice) {
      replaceChildren(
        notice,
        h('p', null, 'Your session has ended. ', h('a', { href: signInUrl(consolePath) }, 'Sign in again'), '.'),
      );
      notice.hidden = false;
    }
    announce('Your session has ended.');
  });
  document.querySelector('.skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    document.querySelector<HTMLElement>('#main h1')?.focus();
  });
  window.addEventListener('hashchange', () => {
    if (isRouteHash(location.hash)) void render({ focus: true });
  });
  scheduleRefresh();
  await render({ focus: false });
}

void start();
