/** All values of one header, found in any case, in `headers` and REST's `multiValueHeaders`. */
export interface HeaderBag {
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
}

export function headerValues(event: HeaderBag, lowerName: string): string[] {
  const values: string[] = [];
  const multi = event.multiValueHeaders;
  if (multi) {
    for (const key in multi) {
      const list = multi[key];
      // Only strings count: a hand-made event's number or object is no header API Gateway would send.
      if (key.toLowerCase() === lowerName && Array.isArray(list))
        for (const value of list) if (typeof value === 'string') values.push(value);
    }
  }
  if (values.length > 0) return values;
  const single = event.headers;
  if (single) {
    for (const key in single) {
      const value = single[key];
      if (typeof value === 'string' && key.toLowerCase() === lowerName) values.push(value);
    }
  }
  return values;
}
