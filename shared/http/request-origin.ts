/**
 * Whether the browser vouches that a request was made by one of our own pages. Browsers set `Origin` and
 * `Sec-Fetch-Site` themselves and page script cannot change them, so only a browser-made request from an
 * allowed origin passes; a sibling subdomain is same-site but not same-origin, so it does not.
 *
 * - An `Origin` in the allow-list is proof.
 * - `Sec-Fetch-Site: same-origin` is proof when there is no usable `Origin`: a page under
 *   `Referrer-Policy: no-referrer` sends `Origin: null` even to itself.
 * - A foreign `Origin` is never outweighed, and a request with neither header proves nothing.
 */
export interface OriginEvidence {
  readonly origin?: string | undefined;
  readonly secFetchSite?: string | undefined;
}

export function isSameOriginRequest(evidence: OriginEvidence, allowedOrigins: readonly string[]): boolean {
  const { origin } = evidence;
  if (origin !== undefined && origin !== 'null') return allowedOrigins.includes(origin);
  return evidence.secFetchSite?.toLowerCase() === 'same-origin';
}
