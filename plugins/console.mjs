// @ts-check
/**
 * osls plugin: the web console in the service (listed before serverless-esbuild).
 * - The `console` param, `on` (the default) or `off` (the local stage reads it from CONSOLE in the shell), keeps
 *   or leaves out the console function, with its /console routes and its role, in whatever is packaged,
 *   deployed or run offline. Any other value stops the command.
 * - Before serverless-esbuild bundles, it builds the console (scripts/console-build.ts), so that the function
 *   imports the current console/ sources as #console-assets.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { paramSources } from './deploy-params.mjs';

export const CONSOLE_FUNCTION = 'console';
export const CONSOLE_ROLE = 'ConsoleRole';

/** The commands that bundle functions: the build starts as soon as one of them is known to run. */
const BUNDLING_COMMANDS = new Set(['offline', 'package', 'deploy', 'invoke']);

/**
 * @param {unknown} value  the `console` param as resolved, or CONSOLE from the shell
 * @returns {boolean}
 */
export function consoleEnabled(value) {
  const setting = String(value ?? '').trim() || 'on';
  if (setting === 'on') return true;
  if (setting === 'off') return false;
  throw new Error(`console (CONSOLE in the local stage's shell) must be "on" or "off", got "${setting}"`);
}

/**
 * Takes the console out of the service: its function (and so its routes) and its role.
 * @param {{ functions?: Record<string, unknown>, resources?: { Resources?: Record<string, unknown> } }} service
 */
export function leaveOutConsole(service) {
  if (service.functions) delete service.functions[CONSOLE_FUNCTION];
  if (service.resources?.Resources) delete service.resources.Resources[CONSOLE_ROLE];
}

/**
 * Runs scripts/console-build.ts once, in a child process (the build is TypeScript; tsx runs it).
 * @param {string} serviceDir
 * @param {(message: string) => Error} toError
 * @returns {() => Promise<void>}
 */
export function consoleBuilder(serviceDir, toError) {
  /** @type {Promise<void> | undefined} */
  let building;
  return () => {
    building ??= new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join('scripts', 'console-build.ts')], {
        cwd: serviceDir,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let errors = '';
      child.stderr.on('data', (chunk) => {
        errors += chunk;
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(toError(`the console build failed (npm run console:build):\n${errors}`)),
      );
    });
    // Awaited by a hook; until then a failure must not surface as an unhandled rejection.
    building.catch(() => undefined);
    return building;
  };
}

/**
 * @typedef {object} Serverless
 * @property {{ functions?: Record<string, unknown>, resources?: { Resources?: Record<string, unknown> } }} service
 * @property {{ params?: Record<string, Record<string, unknown>> }} [configurationInput]
 * @property {{ commands?: string[] }} [processedInput]
 * @property {string} [serviceDir]
 * @property {{ Error: new (message: string) => Error }} classes
 * @property {(name: 'aws') => { getStage(): string }} getProvider
 */

export default class ConsolePlugin {
  /**
   * @param {Serverless} serverless
   * @param {{ param?: string[] }} options
   * @param {{ log?: { notice?: (message: string) => void } }} [utils]
   */
  constructor(serverless, options, utils = {}) {
    // Params blocks are resolved before plugins load; the functions' own variables are not yet.
    const { defaults, stage, cli } = paramSources({
      configParams: serverless.configurationInput?.params,
      stage: serverless.getProvider('aws').getStage(),
      cliParams: options.param,
    });
    try {
      this.enabled = consoleEnabled(cli.console ?? stage.console ?? defaults.console);
    } catch (error) {
      throw new serverless.classes.Error(/** @type {Error} */ (error).message);
    }
    if (!this.enabled) {
      leaveOutConsole(serverless.service);
      utils.log?.notice?.('console=off: the console function, its /console routes and its role are left out');
    }
    const build = this.enabled
      ? consoleBuilder(serverless.serviceDir ?? process.cwd(), (message) => new serverless.classes.Error(message))
      : () => Promise.resolve();
    // Started now, while the framework resolves the rest of the configuration; the hooks wait for it.
    if (BUNDLING_COMMANDS.has(serverless.processedInput?.commands?.[0] ?? '')) void build().catch(() => undefined);
    this.hooks = {
      'before:package:createDeploymentArtifacts': build,
      'before:deploy:function:packageFunction': build,
      'before:offline:start': build,
      'before:offline:start:init': build,
      'before:invoke:local:invoke': build,
    };
  }
}
