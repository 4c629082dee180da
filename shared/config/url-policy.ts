const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Hosts for which plain http is tolerated: the local stand-ins only. */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * The one URL rule of the product: https anywhere, plain http only to a loopback host (the local stack).
 * `allowLoopbackHttp: false` narrows it to https alone, for a caller whose own setting is not local.
 */
export function isSecureOrLoopback(url: URL, { allowLoopbackHttp = true }: { allowLoopbackHttp?: boolean } = {}) {
  return url.protocol === 'https:' || (allowLoopbackHttp && url.protocol === 'http:' && isLoopbackUrl(url));
}
