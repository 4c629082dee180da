import type { EnvReader } from '../config/env-reader.js';
import { ConfigError } from '../errors/gate-error.js';
import type { TokenSource } from '../tokens/token-source.js';

// RFC 9110 token characters: what a header field name may hold.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const QUERY_NAME = /^[A-Za-z0-9._~-]+$/;
// Read by the bearer and cookie sources, which check their own syntax: a raw-token source on them would not.
const RESERVED_HEADERS = new Set(['authorization', 'cookie']);

function sourceOf(entry: string): TokenSource {
  if (entry === 'bearer' || entry === 'cookie') return { kind: entry };
  const colon = entry.indexOf(':');
  const kind = entry.slice(0, colon);
  const name = entry.slice(colon + 1);
  if (colon > 0 && kind === 'header' && HEADER_NAME.test(name)) {
    if (RESERVED_HEADERS.has(name.toLowerCase()))
      throw new ConfigError(
        `TOKEN_SOURCES: "${entry}" is read by the ${name.toLowerCase() === 'cookie' ? 'cookie' : 'bearer'} source; list that instead`,
      );
    return { kind, name: name.toLowerCase() };
  }
  if (colon > 0 && kind === 'query' && QUERY_NAME.test(name)) return { kind, name };
  throw new ConfigError(`TOKEN_SOURCES: "${entry}" is not bearer, cookie, header:<name> or query:<name>`);
}

/** TOKEN_SOURCES (default bearer,cookie), in order; TOKEN_QUERY_ON_HTTP lets query sources serve HTTP routes. */
export function tokenSourcesFromEnv(read: EnvReader): { tokenSources: TokenSource[]; queryOnHttp: boolean } {
  const entries = read.list('TOKEN_SOURCES', { required: false });
  const tokenSources = (entries.length > 0 ? entries : ['bearer', 'cookie']).map(sourceOf);
  const keys = tokenSources.map((source) => ('name' in source ? `${source.kind}:${source.name}` : source.kind));
  const twice = keys.find((key, index) => keys.indexOf(key) !== index);
  if (twice) throw new ConfigError(`TOKEN_SOURCES lists "${twice}" twice`);
  const queryOnHttp = read.boolean('TOKEN_QUERY_ON_HTTP', false);
  if (queryOnHttp && !tokenSources.some((source) => source.kind === 'query'))
    throw new ConfigError('TOKEN_QUERY_ON_HTTP=true needs a query:<name> entry in TOKEN_SOURCES');
  return { tokenSources, queryOnHttp };
}
