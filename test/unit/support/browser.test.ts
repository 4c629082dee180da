import { describe, expect, it } from 'vitest';
import { resolveBrowserExecutable } from '../../support/browser.js';

describe('resolveBrowserExecutable', () => {
  it('uses CHROMIUM_PATH when it names an existing file', async () => {
    // Act
    const resolved = await resolveBrowserExecutable({ CHROMIUM_PATH: process.execPath });
    // Assess
    expect(resolved).toMatchObject({ source: 'CHROMIUM_PATH', executablePath: process.execPath });
  });

  it('refuses a CHROMIUM_PATH that does not exist, naming the variable and the path', async () => {
    // Act
    const attempt = resolveBrowserExecutable({ CHROMIUM_PATH: '/nonexistent/chromium' });
    // Assess
    await expect(attempt).rejects.toThrow('CHROMIUM_PATH is /nonexistent/chromium, which does not exist');
  });
});
