/**
 * One polite live region (index.html's #announcer) for results that appear without a page change: screen
 * readers read what is put here, sighted users see the result where it happened.
 */
export function announce(message: string): void {
  const region = document.getElementById('announcer');
  if (!region) return;
  // Emptied first, so that the same message twice in a row is read twice.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}
