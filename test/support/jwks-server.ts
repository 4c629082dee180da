import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type JwksMode = 'ok' | 'down' | 'slow' | 'error500' | 'garbage';

/** A real JWKS endpoint on 127.0.0.1 whose behaviour a test can switch. */
export class JwksServer {
  mode: JwksMode = 'ok';
  requests = 0;
  private server?: Server;
  private jwks: unknown = { keys: [] };
  url = '';
  issuer = '';

  async start(poolPath = '/local_pool'): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests++;
      if (this.mode === 'down') {
        req.socket.destroy();
        return;
      }
      if (this.mode === 'slow') return; // never answers: the fetcher's deadline must end it
      if (this.mode === 'error500') {
        res.writeHead(500).end('boom');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(this.mode === 'garbage' ? '<html>not json' : JSON.stringify(this.jwks));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.issuer = `http://127.0.0.1:${port}${poolPath}`;
    this.url = `${this.issuer}/.well-known/jwks.json`;
    return this;
  }

  serve(jwks: unknown): void {
    this.jwks = jwks;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
