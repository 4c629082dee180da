import { UpstreamError } from '../errors/gate-error.js';

/** Cognito's answers are small; anything bigger is not a token response or a discovery document. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface JsonAnswer {
  readonly status: number;
  /** The parsed JSON body, or undefined when the body was empty or not JSON. */
  readonly body: unknown;
  /** The Retry-After header as sent, when there was one: a throttled caller is told when to come back. */
  readonly retryAfter?: string;
}

export type HttpSend = (
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; timeoutMs: number },
) => Promise<JsonAnswer>;

/**
 * One request to the IdP with a whole-request deadline and a size cap, never following redirects (a token
 * endpoint that redirects is misconfigured, and following it could send our credentials elsewhere).
 * Network failures and timeouts become UpstreamError; the status and body are the caller's to judge.
 */
export const sendJson: HttpSend = async (url, { method, headers, body, timeoutMs }) => {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error | undefined)?.name === 'TimeoutError';
    throw new UpstreamError(
      timedOut ? `${hostOf(url)} did not answer within ${timeoutMs} ms` : `${hostOf(url)} could not be reached`,
      { cause: error },
    );
  }
  let text: string;
  try {
    text = await readCapped(response);
  } catch (error) {
    throw new UpstreamError(`${hostOf(url)} sent an unreadable answer`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const retryAfter = response.headers.get('retry-after');
  return { status: response.status, body: parsed, ...(retryAfter ? { retryAfter } : {}) };
};

async function readCapped(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw new Error('response too large');
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new Error('response too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Only the host goes into messages and logs: URLs may carry parameters. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the IdP';
  }
}
