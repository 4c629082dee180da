import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Fetcher } from 'aws-jwt-verify/https';
import { JwksUnavailableError } from '../errors/gate-error.js';

const MAX_JWKS_BYTES = 64 * 1024;

export interface JwksFetcherOptions {
  /** Whole-request deadline: connect, status and body. */
  readonly timeoutMs: number;
  /** Plain http is allowed only for a loopback issuer (the local stack). */
  readonly allowHttp: boolean;
  /** After a failed fetch, further fetches fail at once for this long, so a dead endpoint is not hammered. */
  readonly failureCooldownMs?: number;
  /** Told of every fetch that went to the network, and whether it succeeded (the authorizer's metrics). */
  readonly onFetch?: (ok: boolean) => void;
}

/**
 * aws-jwt-verify's fetcher speaks https only and has no connect deadline. This one bounds the whole
 * request, caps the body, and fails closed with JwksUnavailableError on anything unexpected.
 */
export class BoundedJwksFetcher implements Fetcher {
  private failedUntil = 0;
  /** False until a fetch has succeeded: till then no JWKS can be in the cache. */
  fetched = false;
  constructor(private readonly options: JwksFetcherOptions) {}

  async fetch(uri: string): Promise<ArrayBuffer> {
    if (Date.now() < this.failedUntil) throw new JwksUnavailableError('JWKS endpoint failed recently; cooling down');
    try {
      const body = await this.fetchOnce(uri);
      this.fetched = true;
      this.options.onFetch?.(true);
      return body;
    } catch (error) {
      this.options.onFetch?.(false);
      this.failedUntil = Date.now() + (this.options.failureCooldownMs ?? 1000);
      throw error instanceof JwksUnavailableError
        ? error
        : new JwksUnavailableError('JWKS fetch failed', { cause: error });
    }
  }

  private fetchOnce(uri: string): Promise<ArrayBuffer> {
    const url = new URL(uri);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.options.allowHttp)) {
      return Promise.reject(new JwksUnavailableError(`JWKS URI protocol ${url.protocol} is not allowed`));
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: 'GET', headers: { accept: 'application/json' } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          finish(new JwksUnavailableError(`JWKS endpoint answered ${res.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_JWKS_BYTES) finish(new JwksUnavailableError('JWKS response too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          finish(undefined, body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
        });
        res.on('error', finish);
      });
      const timer = setTimeout(
        () => finish(new JwksUnavailableError(`JWKS fetch timed out after ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      timer.unref();
      let settled = false;
      function finish(error?: Error, body?: ArrayBuffer): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          req.destroy();
          reject(error);
        } else resolve(body!);
      }
      req.on('error', finish);
      req.end();
    });
  }
}
