/** When to refresh a session and how to say when it ends. Pure: the unit tests give it the clock. */

/** Refresh this long before expiry, or halfway through a session shorter than twice this. */
export const REFRESH_LEAD_SECONDS = 60;
/** Never sooner than this: a token service that keeps answering short sessions cannot spin the page. */
export const MIN_REFRESH_DELAY_MS = 5_000;

export function refreshDelayMs(expiresAt: number, nowMs: number): number {
  const remainingMs = expiresAt * 1000 - nowMs;
  const leadMs = Math.min(REFRESH_LEAD_SECONDS * 1000, remainingMs / 2);
  return Math.max(MIN_REFRESH_DELAY_MS, Math.round(remainingMs - leadMs));
}

export function describeRemaining(expiresAt: number, nowMs: number): string {
  const seconds = Math.floor(expiresAt - nowMs / 1000);
  if (seconds <= 0) return 'ended';
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `in ${minutes} min`;
  return `in ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
