import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one request to the token endpoint asked for: the client it named and the grant. */
export interface ProxiedCall {
  readonly clientId: string | undefined;
  readonly grantType: string | null;
  readonly scope: string | null;
}

/** An answer the proxy gives instead of forwarding, for what the stand-in cannot do (throttle). */
export interface CannedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;
}

/**
 * A loopback HTTP proxy in front of a token endpoint that records every request it forwards: the test's
 * count of "calls to Cognito". Set `answer` to reply without forwarding.
 */
export class CountingProxy {
  readonly calls: ProxiedCall[] = [];
  answer: CannedAnswer | undefined;
  private server: Server | undefined;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        },
        () => {
          res.writeHead(502);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  callsFor(clientId: string): number {
    return this.calls.filter((call) => call.clientId === clientId).length;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const form = new URLSearchParams(body.toString('utf8'));
    const basic = /^basic\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
    const basicId = basic ? decodeURIComponent(Buffer.from(basic, 'base64').toString().split(':')[0]!) : undefined;
    this.calls.push({
      clientId: basicId ?? form.get('client_id') ?? undefined,
      grantType: form.get('grant_type'),
      scope: form.get('scope'),
    });
    if (this.answer) {
      const { status, headers = {}, body: answerBody } = this.answer;
      return {
        status,
        headers: { 'content-type': 'application/json', ...headers },
        body: Buffer.from(JSON.stringify(answerBody)),
      };
    }
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const response = await fetch(`${this.target}${req.url}`, { method: req.method, headers, body });
    return {
      status: response.status,
      headers: { 'content-type': response.headers.get('content-type') ?? 'application/json' },
      body: Buffer.from(await response.arrayBuffer()),
    };
  }
}
