'use strict';
/**
 * The web console in the service (a local Serverless plugin, listed before serverless-esbuild):
 * - `CONSOLE=off` removes the console function, and with it the /console routes, from what is packaged,
 *   deployed or run offline; `on` (the default) keeps it; anything else stops the command.
 * - Before serverless-esbuild bundles, it builds the console (scripts/console-build.ts) so the function
 *   imports the current console/ sources as #console-assets.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

class ConsolePlugin {
  constructor(serverless, _options, { log } = {}) {
    const setting = (process.env.CONSOLE ?? 'on').trim() || 'on';
    if (setting !== 'on' && setting !== 'off') {
      throw new serverless.classes.Error(`CONSOLE must be "on" or "off", got "${setting}"`);
    }
    this.enabled = setting === 'on';
    this.serviceDir = serverless.serviceDir ?? serverless.config.servicePath;
    if (!this.enabled) {
      delete serverless.service.functions.console;
      log?.notice?.('CONSOLE=off: the console function and its /console routes are left out');
    }
    this.built = false;
    const build = () => this.build();
    this.hooks = {
      'before:package:createDeploymentArtifacts': build,
      'before:deploy:function:packageFunction': build,
      'before:offline:start': build,
      'before:offline:start:init': build,
      'before:invoke:local:invoke': build,
    };
  }

  build() {
    if (!this.enabled || this.built) return;
    execFileSync(process.execPath, ['--import', 'tsx', path.join(this.serviceDir, 'scripts/console-build.ts')], {
      cwd: this.serviceDir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.built = true;
  }
}

module.exports = ConsolePlugin;
