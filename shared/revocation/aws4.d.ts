// aws4 ships no types: the one function the revocation reader calls, as its README documents it.
declare module 'aws4' {
  interface SignableRequest {
    host?: string;
    port?: string | number;
    path?: string;
    method?: string;
    service?: string;
    region?: string;
    headers?: Record<string, string | number>;
    body?: string;
  }
  interface Credentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  }
  /** Adds Host, Content-Type, Content-Length, X-Amz-Date, X-Amz-Security-Token and Authorization to the headers. */
  function sign<T extends SignableRequest>(
    request: T,
    credentials?: Credentials,
  ): T & { headers: Record<string, string | number> };
  // CommonJS that sets `exports.sign` through an alias, which Node's ESM loader cannot see: import the default.
  const aws4: { sign: typeof sign };
  export default aws4;
}
