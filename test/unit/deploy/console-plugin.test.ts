import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import ConsolePlugin, { consoleBuilder, consoleEnabled } from '../../../plugins/console.mjs';

class ServerlessError extends Error {}

/** What the plugin sees of osls at construction: resolved params blocks, the service, the command. */
function fakeServerless(stageName: string, params: Record<string, Record<string, unknown>>) {
  return {
    classes: { Error: ServerlessError },
    serviceDir: tmpdir(),
    getProvider: () => ({ getStage: () => stageName }),
    configurationInput: { params },
    processedInput: { commands: ['print'] },
    service: {
      functions: { console: { handler: 'functions/console/handler.handler' }, echo: {} } as Record<string, unknown>,
      resources: { Resources: { ConsoleRole: {}, BasicLambdaRole: {} } as Record<string, unknown> },
    },
  };
}

describe('the console plugin', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['on', true],
    [' off ', false],
  ])('reads console=%j as %s', (value, enabled) => {
    expect(consoleEnabled(value)).toBe(enabled);
  });

  it('refuses any other value, naming the param and the variable', () => {
    expect(() => consoleEnabled('false')).toThrow(
      `console (CONSOLE in the local stage's shell) must be "on" or "off", got "false"`,
    );
  });

  it('keeps the console function and its role by default', () => {
    // Prepare
    const serverless = fakeServerless('prod', { default: { console: 'on' } });
    // Act
    new ConsolePlugin(serverless as never, {});
    // Assess
    expect(Object.keys(serverless.service.functions)).toEqual(['console', 'echo']);
    expect(Object.keys(serverless.service.resources.Resources)).toEqual(['ConsoleRole', 'BasicLambdaRole']);
  });

  it('leaves out the function, and so its routes, and its role with --param="console=off"', () => {
    // Prepare
    const serverless = fakeServerless('prod', { default: { console: 'on' } });
    // Act
    new ConsolePlugin(serverless as never, { param: ['console=off'] });
    // Assess
    expect(Object.keys(serverless.service.functions)).toEqual(['echo']);
    expect(Object.keys(serverless.service.resources.Resources)).toEqual(['BasicLambdaRole']);
  });

  it('leaves them out on the local stage when its block (CONSOLE from the shell) says off', () => {
    // Prepare
    const serverless = fakeServerless('dev', { default: { console: 'on' }, dev: { console: 'off' } });
    // Act
    new ConsolePlugin(serverless as never, {});
    // Assess
    expect(Object.keys(serverless.service.functions)).toEqual(['echo']);
  });

  it('stops the command for any other value', () => {
    const serverless = fakeServerless('dev', { default: { console: 'on' }, dev: { console: 'maybe' } });
    expect(() => new ConsolePlugin(serverless as never, {})).toThrow(ServerlessError);
  });

  it("builds once per command, and stops it with the build's own message when the console does not build", async () => {
    // Prepare: a service folder without the build script
    const build = consoleBuilder(tmpdir(), (message) => new ServerlessError(message));
    // Act
    const first = build();
    const second = build();
    // Assess
    expect(second).toBe(first);
    await expect(first).rejects.toThrow(/^the console build failed \(npm run console:build\):\n\S/);
  });
});
