/**
 * What a route's error answer carries besides the error itself: the route's name for the log, and the
 * Set-Cookie headers that must go out even on failure (a spent sign-in flow, an ended session, a cookie planted
 * twice). A route adds them before it can fail and then simply throws; the token service's error renderer
 * (auth-error-renderer.ts) sends them with the error.
 */
export class FailureAnswer {
  readonly #cookies: string[] = [];
  constructor(readonly route: string) {}

  setCookies(cookies: readonly string[]): void {
    this.#cookies.push(...cookies);
  }

  get cookies(): readonly string[] {
    return this.#cookies;
  }
}
