'use strict';
/**
 * The web console in the service (a local Serverless plugin, listed before serverless-esbuild):
 * - `CONSOLE=off` removes the console function, and with it the /console routes, from what is packaged,
 *   deployed or run offline; `on` (the default) keeps it; anything else stops the command.
 * - Before serverless-esbuild bundles, it builds the console (scripts/console-build.ts) so the function
 *   imports the current console/ sources as #console-assets.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

/** The commands that bundle functions; the build starts as soon as one of them is known to run. */
const BUNDLING_COMMANDS = new Set(['offline', 'package', 'deploy', 'invoke']);

class ConsolePlugin {
  constructor(serverless, _options, { log } = {}) {
    const setting = (process.env.CONSOLE ?? 'on').trim() || 'on';
    if (setting !== 'on' && setting !== 'off') {
      throw new serverless.classes.Error(`CONSOLE must be "on" or "off", got "${setting}"`);
    }
    this.serverless = serverless;
    this.enabled = setting === 'on';
    this.serviceDir = serverless.serviceDir ?? serverless.config?.servicePath;
    if (!this.enabled) {
      delete serverless.service.functions.console;
      log?.notice?.('CONSOLE=off: the console function and its /console routes are left out');
    }
    // Started now, while the framework resolves the configuration; the hooks wait for it.
    if (this.enabled && BUNDLING_COMMANDS.has(serverless.processedInput?.commands?.[0])) this.build();
    const built = () => this.build();
    this.hooks = {
      'before:package:createDeploymentArtifacts': built,
      'before:deploy:function:packageFunction': built,
      'before:offline:start': built,
      'before:offline:start:init': built,
      'before:invoke:local:invoke': built,
    };
  }

  build() {
    if (!this.enabled) return Promise.resolve();
    if (this.building) return this.building;
    this.building = new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'console-build.ts')], {
        cwd: this.serviceDir,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let errors = '';
      child.stderr.on('data', (chunk) => {
        errors += chunk;
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0
          ? resolve()
          : reject(new this.serverless.classes.Error(`the console build failed (npm run console:build):\n${errors}`)),
      );
    });
    // Awaited by the hook; until then a failure must not surface as an unhandled rejection.
    this.building.catch(() => undefined);
    return this.building;
  }
}

module.exports = ConsolePlugin;
