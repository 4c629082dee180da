/** How values read on the page. Pure. */

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function formatEpochTime(seconds: number): string {
  return new Date(seconds * 1000).toLocaleTimeString();
}

export function listOrNone(values: readonly string[]): string {
  return values.length > 0 ? values.join(', ') : 'none';
}

/** The account state in words: Cognito's status, and whether the account may sign in at all. */
export function accountState(user: { readonly status: string; readonly enabled: boolean }): string {
  return user.enabled ? user.status : `${user.status}, disabled`;
}
