import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertPortFree, findFreePort, LOOPBACK_HOST, PortInUseError } from './ports.js';

export interface StartOfflineOptions {
  /** Ports on 127.0.0.1; 0 picks a free one. */
  httpPort: number;
  lambdaPort: number;
  /** The WebSocket API's port; 0 or unset picks a free one, so no two stacks contend for serverless-offline's 3001. */
  webSocketPort?: number;
  /** The functions' settings (pool, clients, issuer, secrets for local use). */
  env: Record<string, string>;
  /** Where serverless-esbuild builds, relative to the service: lets tests run beside `npm run dev`. */
  esbuildDir?: string;
  logFile: string;
  startTimeoutMs?: number;
}

export interface Offline {
  /** HTTP API base URL; REST routes live under `${baseUrl}/dev`. */
  baseUrl: string;
  restBaseUrl: string;
  /** The WebSocket API: `ws://127.0.0.1:port`. */
  webSocketUrl: string;
  httpPort: number;
  stop(): Promise<void>;
}

const SERVICE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const SERVERLESS_BIN = fileURLToPath(new URL('../../node_modules/serverless/bin/serverless.js', import.meta.url));
const EXIT_WITH_PARENT = fileURLToPath(new URL('./exit-with-parent.cjs', import.meta.url));

/** Runs the service under serverless-offline (API Gateway and Lambda emulation) until stop(). */
export async function startOffline(options: StartOfflineOptions): Promise<Offline> {
  const httpPort = options.httpPort === 0 ? await findFreePort() : options.httpPort;
  const lambdaPort = options.lambdaPort === 0 ? await findFreePort() : options.lambdaPort;
  await assertPortFree('serverless-offline (HTTP)', httpPort);
  await assertPortFree('serverless-offline (Lambda)', lambdaPort);
  const webSocketPort = options.webSocketPort ? options.webSocketPort : await findFreePort();
  await assertPortFree('serverless-offline (WebSocket)', webSocketPort);
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    ['--require', EXIT_WITH_PARENT, SERVERLESS_BIN, 'offline', 'start', '--stage', 'dev'],
    {
      cwd: SERVICE_DIR,
      env: {
        ...process.env,
        ...options.env,
        GATE_HTTP_PORT: String(httpPort),
        GATE_LAMBDA_PORT: String(lambdaPort),
        GATE_WEBSOCKET_PORT: String(webSocketPort),
        GATE_ESBUILD_DIR: options.esbuildDir ?? '.esbuild',
        SLS_TELEMETRY_DISABLED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    },
  );
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
      if (output.includes('Server ready')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(
        output.includes('EADDRINUSE')
          ? new PortInUseError('serverless-offline', httpPort)
          : new Error(`serverless-offline exited (${code}) during start:\n${output}`),
      ),
    );
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const onParentExit = () => killGroup('SIGKILL');
  process.once('exit', onParentExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onParentExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      killGroup('SIGTERM');
      const force = setTimeout(() => killGroup('SIGKILL'), 3000);
      await exited;
      clearTimeout(force);
    }
    log.end();
  };
  const timeout = options.startTimeoutMs ?? 60_000;
  try {
    await Promise.race([
      ready,
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`serverless-offline not ready within ${timeout} ms:\n${output}`)),
          timeout,
        ).unref(),
      ),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  const baseUrl = `http://${LOOPBACK_HOST}:${httpPort}`;
  return {
    baseUrl,
    restBaseUrl: `${baseUrl}/dev`,
    webSocketUrl: `ws://${LOOPBACK_HOST}:${webSocketPort}`,
    httpPort,
    stop,
  };
}
