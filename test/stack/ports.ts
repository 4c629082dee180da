import { createServer } from 'node:net';

/** The only interface the local identity stack binds: nothing here should be reachable from the network. */
export const LOOPBACK_HOST = '127.0.0.1';

/** Thrown when a requested port is taken, so callers can tell "pick another port" apart from a crash. */
export class PortInUseError extends Error {
  readonly port: number;

  constructor(service: string, port: number) {
    super(
      `${service}: port ${port} on ${LOOPBACK_HOST} is already in use; stop whatever holds it or pass port 0 to pick a free one`,
    );
    this.name = 'PortInUseError';
    this.port = port;
  }
}

/** Asks the kernel for a free loopback port (listen on 0), then releases it for the caller to bind. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a loopback listener'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}

/** Fails fast with a message naming the port, before a child process would die with a bare EADDRINUSE. */
export async function assertPortFree(service: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(service, port) : error);
    });
    server.listen(port, LOOPBACK_HOST, () => server.close(() => resolve()));
  });
}
