import { describe, expect, it } from 'vitest';
import { isRouteHash, parseRoute, type Route, routeHref } from '../../../console/src/router.js';

describe('console hash routes', () => {
  it.each<[string, Route]>([
    ['', { page: 'home' }],
    ['#/', { page: 'home' }],
    ['#/users', { page: 'users', search: '', status: '' }],
    ['#/users?search=al&status=CONFIRMED', { page: 'users', search: 'al', status: 'CONFIRMED' }],
    ['#/users?next=abc_-1', { page: 'users', search: '', status: '', next: 'abc_-1' }],
    ['#/new-user', { page: 'new-user' }],
    ['#/users/alice', { page: 'user', username: 'alice' }],
    ['#/groups', { page: 'groups' }],
    ['#/groups/ops', { page: 'group', group: 'ops' }],
  ])('reads %s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('gives a username with a slash, a hash or a question mark back whole: it cannot add a segment or a query', () => {
    // Prepare
    const route: Route = { page: 'user', username: 'a/b#c?d=e' };
    // Act
    const href = routeHref(route);
    // Assess
    expect(href).toBe('#/users/a%2Fb%23c%3Fd%3De');
    expect(parseRoute(href)).toEqual(route);
  });

  it('round-trips every kind of page', () => {
    const routes: Route[] = [
      { page: 'home' },
      { page: 'users', search: 'x@example.com', status: 'FORCE_CHANGE_PASSWORD', next: 'tok' },
      { page: 'new-user' },
      { page: 'groups' },
      { page: 'group', group: 'on call' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it.each(['#/nope', '#/users/alice/extra', '#/users/%E0%A4%A'])('answers not-found for %s', (hash) => {
    expect(parseRoute(hash)).toEqual({ page: 'not-found', hash });
  });

  it('treats in-page anchors such as #main as no route', () => {
    expect(isRouteHash('#main')).toBe(false);
    expect(isRouteHash('#/users')).toBe(true);
    expect(isRouteHash('')).toBe(true);
  });
});
