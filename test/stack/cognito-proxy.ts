import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { CognitoFault } from './cognito-fault.js';
import { LOOPBACK_HOST, PortInUseError } from './ports.js';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const JSON_PROTOCOL = 'application/x-amz-json-1.1';
/** The name a port conflict or a failure is reported under. */
export const COGNITO_STAND_IN = 'Cognito stand-in';

export type CognitoInput = Record<string, unknown>;
export type CognitoOutput = Record<string, unknown>;
/** Calls cognito-local in the Cognito JSON protocol; a Cognito error comes back as a CognitoFault. */
export type Upstream = (operation: string, input: CognitoInput) => Promise<CognitoOutput>;
/** An operation the proxy answers itself, with cognito-local at hand for the rest. */
export type Operation = (input: CognitoInput, upstream: Upstream) => Promise<CognitoOutput>;

export interface StartCognitoProxyOptions {
  /** Port to bind on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** cognito-local's base URL. */
  upstreamEndpoint: string;
  /** By operation name (the part of X-Amz-Target after the dot). */
  operations: Readonly<Record<string, Operation>>;
}

export interface CognitoProxy {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

function upstreamOf(endpoint: string): Upstream {
  return async (operation, input) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': JSON_PROTOCOL, 'x-amz-target': `${TARGET_PREFIX}${operation}` },
      body: JSON.stringify(input),
    });
    const text = await response.text();
    let body: CognitoOutput & { __type?: string; message?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`cognito-local answered ${operation} with ${response.status} and no JSON`);
    }
    if (response.ok) return body;
    if (response.status === 400 && typeof body.__type === 'string') {
      throw new CognitoFault(body.__type, String(body.message ?? ''));
    }
    throw new Error(`cognito-local answered ${operation} with ${response.status}: ${String(body.message ?? '')}`);
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': JSON_PROTOCOL });
  res.end(JSON.stringify(body));
}

/** Everything the proxy does not answer goes to cognito-local byte for byte: other operations, JWKS, health. */
function passThrough(req: IncomingMessage, res: ServerResponse, upstream: URL): void {
  const forwarded = request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  forwarded.on('error', (error) => sendJson(res, 502, { __type: 'InternalErrorException', message: error.message }));
  req.pipe(forwarded);
}

async function answer(operation: Operation, body: string, upstream: Upstream, res: ServerResponse): Promise<void> {
  let input: CognitoInput;
  try {
    input = JSON.parse(body) as CognitoInput;
  } catch {
    sendJson(res, 400, { __type: 'SerializationException', message: 'The request body is not JSON.' });
    return;
  }
  try {
    sendJson(res, 200, await operation(input, upstream));
  } catch (error) {
    if (error instanceof CognitoFault) {
      sendJson(res, 400, { __type: error.type, message: error.message });
      return;
    }
    console.error(`[${COGNITO_STAND_IN}] ${(error as Error).message}`);
    sendJson(res, 500, { __type: 'InternalErrorException', message: 'The local Cognito stand-in failed.' });
  }
}

/**
 * Speaks Cognito's JSON protocol in front of cognito-local: the operations given here are answered by the
 * proxy (X-Amz-Target names them), every other request is forwarded unchanged.
 */
export async function startCognitoProxy(options: StartCognitoProxyOptions): Promise<CognitoProxy> {
  const upstreamUrl = new URL(options.upstreamEndpoint);
  const upstream = upstreamOf(options.upstreamEndpoint);
  const server = createServer((req, res) => {
    const target = req.headers['x-amz-target'];
    const name =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const operation = req.method === 'POST' && req.url === '/' ? options.operations[name] : undefined;
    if (operation === undefined || !Object.hasOwn(options.operations, name)) {
      passThrough(req, res, upstreamUrl);
      return;
    }
    readBody(req).then(
      (body) => answer(operation, body, upstream, res),
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      rejectListen(error.code === 'EADDRINUSE' ? new PortInUseError(COGNITO_STAND_IN, options.port) : error),
    );
    server.listen(options.port, LOOPBACK_HOST, () => resolveListen());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${COGNITO_STAND_IN} has no TCP address`);
  let stopped = false;
  return {
    endpoint: `http://${LOOPBACK_HOST}:${address.port}`,
    port: address.port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      server.closeAllConnections();
      await closed;
    },
  };
}
