export interface CurlRequest {
  method: string;
  url: string;
  init: RequestInit;
}

/**
 * The fetch request for the curl options that README's examples use (-s, -u, -d, -H, -X and a URL). Any other
 * option is refused, so an example that needs more fails the test instead of running differently.
 */
export function curlRequest(args: readonly string[]): CurlRequest {
  const headers = new Headers();
  const data: string[] = [];
  let method: string | undefined;
  let url: string | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const option = args[index] ?? '';
    const value = (): string => {
      index += 1;
      const next = args[index];
      if (next === undefined) throw new Error(`curl ${option} needs a value`);
      return next;
    };
    if (option === '-s') continue;
    if (option === '-u') headers.set('authorization', `Basic ${Buffer.from(value()).toString('base64')}`);
    else if (option === '-d') data.push(value());
    else if (option === '-X') method = value();
    else if (option === '-H') {
      const header = value();
      const colon = header.indexOf(':');
      headers.set(header.slice(0, colon).trim(), header.slice(colon + 1).trim());
    } else if (option.startsWith('-')) throw new Error(`curl option ${option} is not supported by the README runner`);
    else url = option;
  }
  if (url === undefined) throw new Error(`curl without a URL: ${args.join(' ')}`);
  if (data.length > 0 && !headers.has('content-type')) {
    headers.set('content-type', 'application/x-www-form-urlencoded');
  }
  const body = data.length > 0 ? data.join('&') : undefined;
  const resolvedMethod = method ?? (body === undefined ? 'GET' : 'POST');
  return { method: resolvedMethod, url, init: { method: resolvedMethod, headers, body } };
}
