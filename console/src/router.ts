/**
 * The console's pages as hash routes (`#/users/alice`): the server serves one index.html, the back button
 * works, and a link can be bookmarked. Pure: no DOM, so the unit tests run it in Node.
 */
export type UserStatusFilter = string;

export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'users'; readonly search: string; readonly status: UserStatusFilter; readonly next?: string }
  | { readonly page: 'new-user' }
  | { readonly page: 'user'; readonly username: string }
  | { readonly page: 'groups' }
  | { readonly page: 'group'; readonly group: string }
  | { readonly page: 'not-found'; readonly hash: string };

/** Pages that only members of the admin group may open. */
export const ADMIN_PAGES: ReadonlySet<Route['page']> = new Set(['users', 'new-user', 'user', 'groups', 'group']);

/** `#main` and other in-page anchors are not routes. */
export function isRouteHash(hash: string): boolean {
  return hash === '' || hash === '#' || hash.startsWith('#/');
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', queryString = ''] = raw.split('?', 2);
  const query = new URLSearchParams(queryString);
  const segments = path.split('/').filter((segment) => segment !== '');
  let decoded: string[];
  try {
    decoded = segments.map((segment) => decodeURIComponent(segment));
  } catch {
    return { page: 'not-found', hash };
  }
  const [first, second, ...rest] = decoded;
  if (rest.length > 0) return { page: 'not-found', hash };
  if (first === undefined) return { page: 'home' };
  if (first === 'users' && second === undefined) {
    const next = query.get('next') ?? undefined;
    return {
      page: 'users',
      search: query.get('search') ?? '',
      status: query.get('status') ?? '',
      ...(next ? { next } : {}),
    };
  }
  if (first === 'users' && second !== undefined) return { page: 'user', username: second };
  if (first === 'new-user' && second === undefined) return { page: 'new-user' };
  if (first === 'groups' && second === undefined) return { page: 'groups' };
  if (first === 'groups' && second !== undefined) return { page: 'group', group: second };
  return { page: 'not-found', hash };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'home':
      return '#/';
    case 'users': {
      const query = new URLSearchParams();
      if (route.search) query.set('search', route.search);
      if (route.status) query.set('status', route.status);
      if (route.next) query.set('next', route.next);
      const text = query.toString();
      return text ? `#/users?${text}` : '#/users';
    }
    case 'new-user':
      return '#/new-user';
    case 'user':
      return `#/users/${encodeURIComponent(route.username)}`;
    case 'groups':
      return '#/groups';
    case 'group':
      return `#/groups/${encodeURIComponent(route.group)}`;
    case 'not-found':
      return route.hash;
  }
}
