import { h } from './elements.js';
import { type Route, routeHref } from './router.js';
import type { Me } from './session.js';

/** What every page gets from the shell. */
export interface ConsoleContext {
  readonly me: Me | null;
  readonly isAdmin: boolean;
  /** The console's own path (`/console/`), where sign-in and sign-out return to. */
  readonly consolePath: string;
  navigate(route: Route): void;
  /** Reads /auth/me again (after a refresh) and redraws the header. */
  reloadSession(): Promise<void>;
}

/** A page: the shell puts `title` in the h1 and the document title, and focuses the h1 on navigation. */
export interface View {
  readonly title: string;
  readonly content: Node;
  /** Stops timers when the page is left. */
  dispose?(): void;
}

export function pageLink(route: Route, ...text: string[]): HTMLAnchorElement {
  return h('a', { href: routeHref(route) }, ...text);
}
