import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeFileAtomic } from './atomic-write.cjs';
import { assertPortFree, findFreePort, LOOPBACK_HOST, PortInUseError } from './ports.js';

export interface StartCognitoLocalOptions {
  /** Directory that holds `.cognito/` (config and the JSON user database); created if missing. */
  stateDir: string;
  /** Port to bind on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** How long to wait for the first healthy answer. */
  startTimeoutMs?: number;
}

export interface CognitoLocal {
  /** Base URL for the AWS SDK `endpoint` option, e.g. `http://127.0.0.1:9229`. */
  endpoint: string;
  port: number;
  /** The child's process id, for tests that kill it mid-write. */
  pid: number | undefined;
  /** Where the child's stdout/stderr go; it never prints to the parent's console. */
  logFile: string;
  stop(): Promise<void>;
}

const SERVICE = 'cognito-local';
const require = createRequire(import.meta.url);
const exitWithParentPreload = fileURLToPath(new URL('./exit-with-parent.cjs', import.meta.url));
const atomicSavesPreload = fileURLToPath(new URL('./stormdb-atomic-saves.cjs', import.meta.url));

/**
 * cognito-local's config: loopback only, and usernames that are not forced to be email addresses
 * (otherwise every Username becomes a UUID and AdminListGroupsForUser by alias silently returns []).
 */
const COGNITO_LOCAL_CONFIG = {
  ServerConfig: { hostname: LOOPBACK_HOST },
  UserPoolDefaults: { UsernameAttributes: [] as string[] },
};

function cognitoLocalBin(): string {
  const packageJsonPath = require.resolve('cognito-local/package.json');
  const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
    bin: string | Record<string, string>;
  };
  const bin = typeof packageJson.bin === 'string' ? packageJson.bin : packageJson.bin['cognito-local'];
  if (bin === undefined) {
    throw new Error('cognito-local/package.json has no "bin" entry');
  }
  return resolve(dirname(packageJsonPath), bin);
}

async function writeConfig(stateDir: string): Promise<void> {
  const configDir = join(stateDir, '.cognito');
  await mkdir(join(configDir, 'db'), { recursive: true });
  const configPath = join(configDir, 'config.json');
  // Merge so a developer's extra settings (e.g. TriggerFunctions) in an existing state dir survive.
  let existing: Record<string, unknown> = {};
  try {
    existing = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
  } catch {
    existing = {};
  }
  const merged = {
    ...existing,
    ServerConfig: { ...(existing.ServerConfig as object | undefined), ...COGNITO_LOCAL_CONFIG.ServerConfig },
    UserPoolDefaults: {
      ...(existing.UserPoolDefaults as object | undefined),
      ...COGNITO_LOCAL_CONFIG.UserPoolDefaults,
    },
  };
  await writeFileAtomic(configPath, `${JSON.stringify(merged, null, 2)}\n`);
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

async function isHealthy(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(500) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts cognito-local as a child process on 127.0.0.1 and resolves once `/health` answers. */
export async function startCognitoLocal(options: StartCognitoLocalOptions): Promise<CognitoLocal> {
  const stateDir = resolve(options.stateDir);
  // As long as serverless-offline gets: a loaded machine (a parallel test run) starts Node slowly.
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const port = options.port === 0 ? await findFreePort() : options.port;
  await assertPortFree(SERVICE, port);
  await writeConfig(stateDir);

  const logFile = join(stateDir, 'cognito-local.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  // Keep the tail of the output in memory to explain a failed start without echoing the whole log.
  let outputTail = '';
  const remember = (chunk: Buffer): void => {
    outputTail = (outputTail + chunk.toString('utf8')).slice(-4_000);
  };

  // DEBUG would make cognito-local log whole user records, passwords included.
  const { DEBUG: _debug, COGNITO_LOCAL_DEVMODE: _devMode, ...parentEnv } = process.env;
  const preloads = ['--require', exitWithParentPreload, '--require', atomicSavesPreload];
  const child = spawn(process.execPath, [...preloads, cognitoLocalBin()], {
    cwd: stateDir,
    env: { ...parentEnv, PORT: String(port), HOST: LOOPBACK_HOST },
    // The IPC channel exists only so the preload notices a dead parent.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });

  const killOnParentExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnParentExit);

  const endpoint = `http://${LOOPBACK_HOST}:${port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) {
      return;
    }
    stopped = true;
    process.removeListener('exit', killOnParentExit);
    const exited = waitForExit(child);
    child.kill('SIGTERM');
    const forceKill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(forceKill);
    log.end();
  };

  const deadline = Date.now() + startTimeoutMs;
  while (!(await isHealthy(endpoint))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      if (outputTail.includes('EADDRINUSE')) {
        throw new PortInUseError(SERVICE, port);
      }
      throw new Error(
        `${SERVICE} exited during start (code ${String(child.exitCode)}); see ${logFile}. Last output:\n${outputTail}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${SERVICE} did not answer ${endpoint}/health within ${startTimeoutMs} ms; see ${logFile}`);
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 25));
  }

  return { endpoint, port, pid: child.pid, logFile, stop };
}
