import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const ConsolePlugin = require('../../../scripts/serverless-console.cjs') as new (
  serverless: unknown,
  options: unknown,
  utils: unknown,
) => { enabled: boolean; hooks: Record<string, () => Promise<void>>; build(): Promise<void> };

class ServerlessError extends Error {}
const fakeServerless = (serviceDir = '/service') => ({
  classes: { Error: ServerlessError },
  serviceDir,
  service: { functions: { console: { handler: 'functions/console/handler.handler' }, echo: {} } },
});

describe('the serverless plugin that switches the console', () => {
  const saved = process.env.CONSOLE;
  afterEach(() => {
    if (saved === undefined) delete process.env.CONSOLE;
    else process.env.CONSOLE = saved;
  });

  it('keeps the console function by default, and builds it before bundling', () => {
    // Prepare
    delete process.env.CONSOLE;
    const serverless = fakeServerless();
    // Act
    const plugin = new ConsolePlugin(serverless, {}, {});
    // Assess
    expect(plugin.enabled).toBe(true);
    expect(Object.keys(serverless.service.functions)).toEqual(['console', 'echo']);
    expect(Object.keys(plugin.hooks)).toEqual(
      expect.arrayContaining(['before:package:createDeploymentArtifacts', 'before:offline:start:init']),
    );
  });

  it('removes the console function, and so its routes, with CONSOLE=off', () => {
    // Prepare
    process.env.CONSOLE = 'off';
    const serverless = fakeServerless();
    // Act
    const plugin = new ConsolePlugin(serverless, {}, {});
    // Assess
    expect(plugin.enabled).toBe(false);
    expect(Object.keys(serverless.service.functions)).toEqual(['echo']);
  });

  it('stops the command for any other value, naming the variable', () => {
    process.env.CONSOLE = 'false';
    expect(() => new ConsolePlugin(fakeServerless(), {}, {})).toThrow('CONSOLE must be "on" or "off", got "false"');
  });

  it("stops the command when the console does not build, with the build's own message", async () => {
    // Prepare: a service folder without the build script
    delete process.env.CONSOLE;
    const plugin = new ConsolePlugin(fakeServerless(tmpdir()), {}, {});
    // Act
    const first = plugin.hooks['before:offline:start:init']!();
    const second = plugin.hooks['before:package:createDeploymentArtifacts']!();
    // Assess
    await expect(first).rejects.toThrow(/^the console build failed \(npm run console:build\):\n\S/);
    expect(second).toBe(first);
  });
});
